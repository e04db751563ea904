/**
 * Secrets stay secret, through the real CLI: a monitor with an Authorization header, an API key and a `sig=` in its
 * URL, a status message quoting a URL with a password, a webhook URL with a token, and a connection string with `sig=`: none of them shows in `status`, `list`,
 * `history` (text or --json), error messages or the log; the data directory is 0700, the database and log 0600;
 * escape sequences that come from data never reach the terminal.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { sendJson, startFakeServer, type FakeServer } from "../engine/fake-http-server.js";

const SECRETS = ["hdr-secret", "key-secret", "pw-secret", "url-secret", "hook-secret", "tok-secret", "cs-secret"];
const ESC = "\u001b";

let api: FakeServer;
let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  api = await startFakeServer((_req, res) => sendJson(res, 200, { status: "Completed", message: `${ESC}]0;pwned\u0007${ESC}[2Jdone, see https://user:pw-secret@x.example/report?sig=url-secret` }));
  const root = tempDir("dmt-secrets-");
  dataDir = join(root, "data");
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755); // as an earlier release left it
  env = { DURABLE_MONITOR_TUI_DATA_DIR: dataDir, DURABLE_MONITOR_TUI_CONFIG_DIR: tempDir("dmt-config-") };
});
afterAll(() => api.close());

const mode = (path: string) => statSync(path).mode & 0o777;
const expectClean = (what: string, text: string) => {
  for (const secret of SECRETS) expect(text, `${what} shows ${secret}`).not.toContain(secret);
};

describe("secrets stay secret", { timeout: 180_000 }, () => {
  it("status, list, history (text and --json), errors and the log show none; files are private", async () => {
    const port = new URL(api.url).port;
    const started = await runCli(
      [
        "start", "--kind", "http",
        "--url", `http://127.0.0.1:${port}/job?sig=url-secret&x=1`,
        "--header", "Authorization=Bearer hdr-secret",
        "--header", "X-Api-Key=key-secret",
        "--alert-webhook", `http://127.0.0.1:${port}/hooks/T0/B0/hook-secret?token=tok-secret`,
        "--job-id", `evil${ESC}[31m${ESC}]0;title\u0007job`,
        "--interval", "1", "--timeout", "30", "--wait", "--json",
      ],
      { env, timeoutMs: 60_000 },
    );
    expect(started.code, started.stdout + started.stderr).toBe(0);
    expect(api.requests[0]!.headers.authorization).toBe("Bearer hdr-secret"); // it was really used
    const id = (JSON.parse(started.stdout) as { instanceId: string }).instanceId;
    expectClean("start --wait --json", started.stdout + started.stderr);

    const outputs = [];
    for (const args of [["status", id], ["status", id, "--json"], ["list"], ["list", "--json"], ["history", id], ["history", id, "--json"]]) {
      outputs.push(await runCli(args, { env, timeoutMs: 60_000 }));
    }
    for (const out of outputs) {
      expect(out.code, out.stderr).toBe(0);
      expectClean("a monitor command", out.stdout + out.stderr);
    }
    const [statusText, statusJson, listText] = outputs;
    expect(statusText!.stdout).toContain("Authorization");
    expect(statusText!.stdout).toContain(`127.0.0.1:${port}`);
    for (const text of [statusText!.stdout, listText!.stdout, outputs[4]!.stdout]) expect(text).not.toContain(ESC);
    expect(listText!.stdout).toContain("evil");
    const spec = (JSON.parse(statusJson!.stdout) as { spec: { target: { headers: Record<string, string> }; alert: { webhookUrl: string } } }).spec;
    expect(spec.target.headers).toEqual({ Authorization: "***", "X-Api-Key": "***" });
    expect(spec.alert.webhookUrl).toBe(`http://127.0.0.1:${port}/***`);

    const unreachable = await runCli(["list"], {
      env: { ...env, DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=http://127.0.0.1:9/?sig=cs-secret;Authentication=None;TaskHub=default" },
      timeoutMs: 60_000,
    });
    expect(unreachable.code).not.toBe(0);
    expectClean("an error message", unreachable.stdout + unreachable.stderr);

    const log = join(dataDir, "durable-monitor-tui.log");
    expectClean("the log", readFileSync(log, "utf8"));

    expect(mode(dataDir)).toBe(0o700);
    expect(mode(log)).toBe(0o600);
    for (const file of ["hub.sqlite", "hub.sqlite-wal", "hub.sqlite-shm"]) {
      if (existsSync(join(dataDir, file))) expect(mode(join(dataDir, file)), file).toBe(0o600);
    }
    expect(existsSync(join(dataDir, "hub.sqlite"))).toBe(true);
  });
});
