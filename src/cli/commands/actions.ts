/**
 * What the commands do, behind the one module they load on demand (the dashboard's and the hub's aside): none of it
 * is initialised before a command runs (test/cli/startup-graph.test.ts).
 */
export * as monitor from "./monitor-actions.js";
export * as profile from "./profile-actions.js";
export { configFilePath, loadProfiles } from "../../config/index.js";
export { CONNECT_TIMEOUT_MS, withEngine } from "../engine-session.js";
export { describeEndpoint } from "../../engine/connection/errors.js";
