/** `durable-monitor-tui worker` in a child process (it opens the embedded hub), as the benches start it. */
import { spawn, type ChildProcess } from "node:child_process";

/** Runs `node ...argv` (the bin and `worker` among them) and resolves once the worker says it is running. */
export function startWorkerProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, argv, { env, stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolveChild, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("worker running")) resolveChild(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited ${code} before it was ready`)));
  });
}
