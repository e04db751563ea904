/**
 * The attack, replayed: a client that is another local user (uid 65534 when the test runs as root) reaches a
 * hub that is not the worker's private embedded one and starts `command` monitors. Our worker (the real engine,
 * connected like `worker` with a connection string) runs nothing its profile does not define or allow.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { prepareMonitorInput } from "../../src/engine/monitor/input.js";
import { MONITOR_ORCHESTRATOR } from "../../src/engine/monitor/names.js";
import type { MonitorSpecInput } from "../../src/engine/monitor/spec.js";
import { repoRoot } from "../helpers/cli.js";
import { startTestHub, type TestHub } from "../helpers/hub.js";
import { endpointProfile } from "./engine-helpers.js";

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const sdkUrl = pathToFileURL(createRequire(join(repoRoot, "package.json")).resolve("@microsoft/durabletask-js")).href;

/** A separate process (as uid 65534 when we are root) schedules the monitors and prints its uid and their ids. */
function startAsOtherClient(address: string, specs: MonitorSpecInput[]): Promise<{ uid: number; ids: string[] }> {
  const script = `
    const { TaskHubGrpcClient, NoOpLogger } = await import(${JSON.stringify(sdkUrl)});
    const client = new TaskHubGrpcClient({ hostAddress: process.env.HUB, logger: new NoOpLogger() });
    const ids = [];
    for (const input of JSON.parse(process.env.INPUTS)) ids.push(await client.scheduleNewOrchestration(process.env.NAME, input));
    await client.stop();
    process.stdout.write(JSON.stringify({ uid: process.getuid(), ids }));
  `;
  const env = { PATH: process.env.PATH, HUB: address, NAME: MONITOR_ORCHESTRATOR, INPUTS: JSON.stringify(specs.map((s) => prepareMonitorInput(s))) };
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env,
    cwd: "/",
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client exited ${code}: ${err}`))));
  });
}

describe("a command monitor started by another local user through a shared hub", () => {
  let hub: TestHub;
  let worker: LocalEngine;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "dmt-policy-"));
    hub = await startTestHub();
    worker = await createEngine({
      profile: {
        ...endpointProfile(hub.hub.address),
        name: "shared",
        checks: { commands: { "touch-defined": { command: `touch defined; echo '{"message":"defined command ran"}'`, cwd: dir } } },
      },
      withWorker: true,
      logFile: join(dir, "worker.log"),
      verifyTimeoutMs: 5000,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await hub?.stop();
  });

  it("runs nothing the worker's profile does not define; runs what it defines", async () => {
    const adHocMarker = join(dir, "ad-hoc");
    const fast = { pollingIntervalSeconds: 0.5, timeoutSeconds: 30, maxConsecutiveFailures: 1 };
    const { uid, ids } = await startAsOtherClient(hub.hub.address, [
      { kind: "command", target: { command: `id > ${adHocMarker}` }, ...fast },
      { kind: "command", target: { commandName: "not-defined" }, ...fast },
      { kind: "command", target: { commandName: "touch-defined" }, ...fast },
    ]);
    if (asRoot) expect(uid).toBe(NOBODY);
    const [adHoc, unknown, defined] = await Promise.all(ids.map((id) => worker.waitForCompletion(id, 30_000)));

    expect(adHoc!.runtimeStatus).toBe("Failed");
    expect(adHoc!.failure!.message).toMatch(/Command line refused: this worker's profile 'shared'.*allowAdHocCommands/);
    expect(existsSync(adHocMarker)).toBe(false);

    expect(unknown!.failure!.message).toMatch(/No command 'not-defined'.*defined: touch-defined/);

    expect(defined!.output).toMatchObject({ finalStatus: "Completed", lastStatus: { message: "defined command ran" } });
    expect(existsSync(join(dir, "defined"))).toBe(true);
  });
});
