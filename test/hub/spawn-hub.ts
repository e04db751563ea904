/**
 * Runs `durable-monitor-tui hub` (the built bin) in a child process and waits until it has printed its banner.
 * Needs `npm run -s build` first, like every spawned-CLI test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { binPath, cliEnv } from "../helpers/cli.js";

export interface HubProcess {
  child: ChildProcess;
  address: string;
  port: number;
  output(): string;
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnHub(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 20_000): Promise<HubProcess> {
  const child = spawn(process.execPath, [binPath, "hub", ...args], { env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hub did not print its address in time; stdout: ${out} stderr: ${err}`));
    }, timeoutMs);
    const check = () => {
      const match = /^Address: (\S+):(\d+)$/m.exec(out);
      if (match && out.includes("Stop with Ctrl+C")) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve({ child, address: `${match[1]}:${match[2]}`, port: Number(match[2]), output: () => out + err, exited });
      }
    };
    child.stdout!.on("data", check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before printing its address; stdout: ${out} stderr: ${err}`));
    });
  });
}
