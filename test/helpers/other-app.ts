import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

/**
 * Starts "someone else's app": a separate SDK worker process (a script under test/fixtures) on the hub at `address`,
 * and resolves once it prints "ready". Kill it with SIGTERM.
 */
export function spawnOtherApp(script: string, address: string, token: string, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repoRoot, "test/fixtures", script), ...args], {
    env: { ...process.env, OTHER_APP_ADDRESS: address, OTHER_APP_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("ready")) resolve(child);
    });
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => reject(new Error(`the other app exited with ${code}: ${output}`)));
  });
}
