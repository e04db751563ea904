#!/usr/bin/env node
import { nodeVersionProblem } from "./node-version-check.js";

var problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(problem + "\n");
  process.exit(1);
}
if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
const { main } = await import("../dist/cli.js");
process.exitCode = await main(process.argv.slice(2));
