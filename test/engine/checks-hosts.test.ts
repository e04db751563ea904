/**
 * Where outgoing requests may go: hosts the worker's profile allows (off the embedded hub), redirects that never carry
 * the monitor's own headers to another origin, and alert webhooks under the same rules.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendAlert } from "../../src/engine/checks/alert.js";
import { checkHttp } from "../../src/engine/checks/http.js";
import { resolveCheckPolicy } from "../../src/engine/checks/policy.js";
import { targetSchema } from "../../src/engine/monitor/spec.js";
import { sendJson, startFakeServer, type FakeServer } from "./fake-http-server.js";

let api: FakeServer;
let other: FakeServer;
beforeAll(async () => {
  other = await startFakeServer((_req, res) => sendJson(res, 200, { status: "Completed" }));
  api = await startFakeServer((_req, res) => sendJson(res, 200, { status: "Running" }));
});
afterAll(async () => {
  await api.close();
  await other.close();
});
beforeEach(() => {
  api.setHandler((_req, res) => sendJson(res, 200, { status: "Running" }));
  api.requests.length = 0;
  other.requests.length = 0;
});

const secretHeaders = { Authorization: "Bearer job-secret", "X-Api-Key": "key-secret", Cookie: "s=cookie-secret" };
const check = (url: string) => ({
  jobId: "j",
  instanceId: "i",
  startedAt: new Date().toISOString(),
  target: targetSchema("http").parse({ url, headers: secretHeaders }),
});
const hostOf = (s: FakeServer) => new URL(s.url).host;
const redirectTo = (location: string, status = 302) => (_req: unknown, res: import("node:http").ServerResponse) => {
  res.writeHead(status, { location }).end();
};

describe("redirects", () => {
  it("a same-origin redirect keeps the monitor's headers", async () => {
    api.setHandler((req, res) => (req.path === "/old" ? redirectTo("/new")(req, res) : sendJson(res, 200, { status: "Completed" })));
    expect(await checkHttp(check(`${api.url}/old`))).toMatchObject({ status: "Completed" });
    expect(api.requests[1]!.path).toBe("/new");
    expect(api.requests[1]!.headers.authorization).toBe("Bearer job-secret");
  });

  it("a redirect to another host is followed without Authorization, X-Api-Key or Cookie", async () => {
    api.setHandler(redirectTo(`${other.url}/elsewhere`, 307));
    expect(await checkHttp(check(`${api.url}/job`))).toMatchObject({ status: "Completed" });
    expect(api.requests[0]!.headers.authorization).toBe("Bearer job-secret");
    const seen = other.requests[0]!.headers;
    expect(seen.authorization).toBeUndefined();
    expect(seen["x-api-key"]).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen.accept).toBe("application/json");
  });

  it("a redirect loop ends as a failed check", async () => {
    api.setHandler(redirectTo("/again"));
    expect(await checkHttp(check(`${api.url}/job`))).toMatchObject({ status: "Unknown", message: expect.stringContaining("more than 5 redirects") });
    expect(api.requests).toHaveLength(6);
  });
});

describe("allowed hosts (off the embedded hub)", () => {
  it("refuses an http check to a host the profile does not allow, sends nothing, and says how to allow it", async () => {
    const policy = resolveCheckPolicy("shared", {}, false);
    const out = await checkHttp(check(`${api.url}/job`), { policy });
    expect(out.status).toBe("Unknown");
    expect(out.message).toContain(`http check to ${hostOf(api)} refused`);
    expect(out.message).toContain('add "127.0.0.1" to profiles.shared.allowedHosts');
    expect(api.requests).toHaveLength(0);
  });

  it("allows listed hosts (name, name:port, *.domain), and checks every redirect hop", async () => {
    expect(await checkHttp(check(`${api.url}/job`), { policy: resolveCheckPolicy("shared", { allowedHosts: ["127.0.0.1"] }, false) })).toMatchObject({ status: "Running" });
    expect(await checkHttp(check(`${api.url}/job`), { policy: resolveCheckPolicy("shared", { allowedHosts: [hostOf(api)] }, false) })).toMatchObject({ status: "Running" });
    api.setHandler(redirectTo(`${other.url}/elsewhere`));
    const out = await checkHttp(check(`${api.url}/job`), { policy: resolveCheckPolicy("shared", { allowedHosts: [hostOf(api)] }, false) });
    expect(out.message).toContain(`http check to ${hostOf(other)} refused`);
    expect(other.requests).toHaveLength(0);
  });

  it("the embedded hub allows any host unless the profile lists some", async () => {
    expect(await checkHttp(check(`${api.url}/job`), { policy: resolveCheckPolicy("default", {}, true) })).toMatchObject({ status: "Running" });
    const listed = await checkHttp(check(`${api.url}/job`), { policy: resolveCheckPolicy("default", { allowedHosts: ["*.example.com"] }, true) });
    expect(listed.status).toBe("Unknown");
  });

  it("an alert webhook to a host the profile does not allow is not delivered", async () => {
    const alert = { webhookUrl: `${api.url}/hook?token=hook-secret`, jobId: "j", kind: "http", status: "Completed", instanceId: "i" };
    await expect(sendAlert(alert, { policy: resolveCheckPolicy("shared", {}, false) })).rejects.toThrow(/alert webhook to .* refused.*allowedHosts/);
    expect(api.requests).toHaveLength(0);
    await sendAlert(alert, { policy: resolveCheckPolicy("shared", { allowedHosts: ["127.0.0.1"] }, false) });
    expect(api.requests).toHaveLength(1);
  });
});
