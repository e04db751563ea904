import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, nodeVersionProblem } from "../../bin/node-version-check.js";
import { runCli } from "../helpers/cli.js";

describe("the shim's Node version check", () => {
  it.each(["22.5.0", "22.5.1", "22.12.0", "23.0.0", "24.21.0", "v24.0.0", "30.1.2"])("accepts %s", (version) => {
    expect(nodeVersionProblem(version)).toBeNull();
  });

  it.each(["20.20.2", "18.0.0", "22.4.9", "22.0.0", "v16.20.0", "21.99.99"])("refuses %s in one line naming both versions", (version) => {
    const problem = nodeVersionProblem(version) as string;
    expect(problem).toContain(`>= ${MINIMUM_NODE}`);
    expect(problem).toContain(`found ${version.replace(/^v/, "")}`);
    expect(problem).not.toContain("\n");
  });

  const oldNode = "/usr/bin/node";
  const oldVersion = existsSync(oldNode) ? execFileSync(oldNode, ["-p", "process.versions.node"], { encoding: "utf8" }).trim() : "";
  const isOld = oldVersion !== "" && nodeVersionProblem(oldVersion) !== null;

  it.skipIf(!isOld)("the real shim under an old Node exits 1 with that one line and no stack trace", async () => {
    const { code, stdout, stderr } = await runCli(["--help"], { node: oldNode });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`${nodeVersionProblem(oldVersion)}\n`);
    expect(stderr).toContain(MINIMUM_NODE);
    expect(stderr).toContain(oldVersion);
  });
});
