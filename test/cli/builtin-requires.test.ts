/**
 * scripts/builtin-requires.mjs: the bundle's imports of Node's built-ins become require()s on the banner's line.
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { requireBuiltins } from "../../scripts/builtin-requires.mjs";

const BANNER = 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);';
const rewrite = requireBuiltins as (source: string) => string;

describe("requireBuiltins", () => {
  it("turns every import form of a built-in into a require() on the first line, and keeps every other line in place", () => {
    const source = [
      BANNER,
      'import { helper } from "./chunk-ABC.js";',
      "function early() { return readFileSync; }",
      'import fs from "node:fs";',
      'import * as os from "node:os";',
      "import {",
      "  format,",
      "  inspect as inspect2",
      '} from "node:util";',
      'import events, { EventEmitter } from "node:events";',
      'import { default as path2, join } from "node:path";',
      'import { readFileSync } from "fs";',
      'import "node:process";',
      'import react from "react";',
      "early();",
    ].join("\n");
    const out = rewrite(source);
    const lines = out.split("\n");
    expect(lines).toHaveLength(source.split("\n").length);
    expect(lines[0]).toBe(
      `${BANNER} const fs = require("node:fs"); const os = require("node:os"); const { format, inspect: inspect2 } = require("node:util"); ` +
        'const events = require("node:events"); const { EventEmitter } = require("node:events"); const path2 = require("node:path"); ' +
        'const { join } = require("node:path"); const { readFileSync } = require("fs"); require("node:process");',
    );
    expect(lines[1]).toBe('import { helper } from "./chunk-ABC.js";');
    expect(lines[13]).toBe('import react from "react";');
    expect(lines[14]).toBe("early();");
    expect(out).not.toMatch(/^import .* from "node:(fs|os|util|events|path|process)";$/m);
  });

  it("requires child_process only when a property of its default import is read", () => {
    const out = rewrite([BANNER, 'import childProcess from "node:child_process";', "export const spawn = () => childProcess.spawn;"].join("\n"));
    expect(out.split("\n")[0]).toContain('const childProcess = new Proxy({}, { get: (_, key) => (childProcess$module ??= require("node:child_process"))[key] });');
  });

  it("leaves a file without built-in imports as it is, and refuses one whose first line is not the banner", () => {
    const plain = [BANNER, 'import { x } from "./chunk-X.js";', "x();"].join("\n");
    expect(rewrite(plain)).toBe(plain);
    expect(() => rewrite(['"use strict";', 'import fs from "node:fs";'].join("\n"))).toThrow(/does not start with the banner/);
  });
});
