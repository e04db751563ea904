/**
 * The schemas use zod's small build (`zod/mini`: the same validation core without the chained-method wrappers; the
 * full build costs a one-shot command more start-up than everything else it loads, issue 12). That build has no
 * messages of its own: this sets the English ones the full build sets. Every module that builds a schema imports it.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
