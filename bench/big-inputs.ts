/**
 * bench:limits — a hub holding three 30 MB inputs (written as a hub without limits left them): how long `list`
 * takes and the RSS of this one process (hub + client together), before and after. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../dist/engine/create-engine.js";
import { startHub } from "../dist/engine/hub/index.js";
import { Status } from "../dist/engine/hub/proto.js";
import { openSqliteStore } from "../dist/engine/hub/sqlite-store.js";

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const dir = mkdtempSync(join(tmpdir(), "dmt-bench-big-"));
const dbPath = join(dir, "hub.sqlite");
const store = openSqliteStore(dbPath);
const input = JSON.stringify("p".repeat(30 * 1024 * 1024));
for (let i = 0; i < 3; i++) {
  const now = Date.now() + i;
  store.createInstance({ taskHub: "default", instanceId: `big-${i}`, executionId: "e", name: "someone-elses-orchestration", status: Status.ORCHESTRATION_STATUS_RUNNING, input, createdAt: now, lastUpdatedAt: now }, []);
}
store.close();
globalThis.gc?.();
const hub = await startHub({ dbPath });
const engine = await createEngine({
  profile: {
    name: "bench",
    connection: { type: "dts", connectionString: `Endpoint=http://${hub.address};Authentication=None;TaskHub=default`, parsed: { endpoint: `http://${hub.address}`, authentication: "None", taskHub: "default" } },
    taskHub: "default",
    defaults: {},
    presets: {},
    source: "builtin",
  } as never,
  withWorker: false,
  logFile: join(dir, "log.txt"),
});
const before = process.memoryUsage().rss;
const started = performance.now();
let rows = 0;
for (let i = 0; i < 10; i++) rows = (await engine.list()).length;
const ms = (performance.now() - started) / 10;
const after = process.memoryUsage().rss;
console.log(`three 30 MB inputs stored: list → ${rows} rows in ${ms.toFixed(1)} ms each (10 runs); RSS hub+client ${mb(before)} before, ${mb(after)} after`);
await engine.close();
await hub.stop();
rmSync(dir, { recursive: true, force: true });
