/**
 * The https path for real: the CLI and a worker process reach a TLS gRPC endpoint on loopback (the hub behind a
 * proxy serving a certificate made here, trusted through NODE_EXTRA_CA_CERTS) with a managed-identity credential
 * whose token comes from a fake identity endpoint (App Service style IDENTITY_ENDPOINT: the outside world, faked).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startHub, type RunningHub } from "../../src/engine/hub/index.js";
import { startCountingProxy, type CountingProxy } from "../engine/counting-proxy.js";
import { waitFor } from "../engine/engine-helpers.js";
import { binPath, cliEnv, repoRoot, runCli, tempDir } from "../helpers/cli.js";

const TOKEN = "known-test-token-7f3a";
const TASK_HUB = "tls-hub";

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for localhost and 127.0.0.1, valid one day. */
function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
}

describe.skipIf(!hasOpenssl())("DTS over TLS with an Azure credential (openssl makes the certificate)", () => {
  let hub: RunningHub;
  let proxy: CountingProxy;
  let identity: Server;
  const identityRequests: string[] = [];
  let env: Record<string, string>;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    const dir = tempDir("dmt-tls-");
    const { key, cert, certFile } = selfSignedCertificate(dir);
    hub = await startHub({ dbPath: join(dir, "hub.sqlite") });
    proxy = await startCountingProxy(hub.address, 0, { tls: { key, cert } });
    identity = createServer((req, res) => {
      identityRequests.push(`${req.url} ${String(req.headers["x-identity-header"])}`);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ access_token: TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: "https://durabletask.io", token_type: "Bearer" }));
    });
    await new Promise<void>((resolve) => identity.listen(0, "127.0.0.1", resolve));
    const identityPort = (identity.address() as { port: number }).port;
    env = {
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: `Endpoint=https://localhost:${proxy.port};Authentication=ManagedIdentity;TaskHub=${TASK_HUB}`,
      IDENTITY_ENDPOINT: `http://127.0.0.1:${identityPort}/msi/token`,
      IDENTITY_HEADER: "identity-header-for-test",
      NODE_EXTRA_CA_CERTS: certFile,
    };
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.on("close", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await proxy?.stop();
    await hub?.stop();
    await new Promise((resolve) => identity?.close(resolve));
  });

  it("a worker process and the CLI work through it, and every call carries the credential's token", async () => {
    worker = spawn(process.execPath, [binPath, "worker"], { cwd: repoRoot, env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let workerErr = "";
    worker.stderr!.setEncoding("utf8").on("data", (c: string) => (workerErr += c));
    await waitFor("the worker's work-item stream through TLS", () => proxy.count("GetWorkItems") > 0, 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; worker stderr: ${workerErr}`);
    });

    const r = await runCli(["start", "--duration", "0.5", "--interval", "0.2", "--job-id", "tls", "--no-worker", "--wait", "--json"], { env, timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runtimeStatus: "Completed", jobId: "tls" });

    const methods = new Set(proxy.calls.map((c) => c.method));
    for (const method of ["Hello", "GetWorkItems", "StartInstance", "CompleteOrchestratorTask", "CompleteActivityTask"]) expect(methods).toContain(method);
    for (const call of proxy.calls) expect(call).toMatchObject({ authorization: `Bearer ${TOKEN}`, taskhub: TASK_HUB });
    expect(identityRequests.length).toBeGreaterThanOrEqual(2); // one per process: the worker's and the CLI's
    for (const request of identityRequests) expect(request).toBe("/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fdurabletask.io identity-header-for-test");
    expect(workerErr).toBe("");
  }, 90_000);

  it("without the certificate trusted, the TLS endpoint is refused: TLS is really on", async () => {
    const before = proxy.calls.length;
    const r = await runCli(["list"], { env: { ...env, NODE_EXTRA_CA_CERTS: undefined } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`cannot reach Azure Durable Task Scheduler at https://localhost:${proxy.port} (task hub '${TASK_HUB}')`);
    expect(proxy.calls.length).toBe(before); // no call got through the handshake
  }, 30_000);
});
