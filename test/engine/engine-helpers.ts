import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResolvedProfile } from "../../src/engine/profile.js";

export function tempDir(prefix = "dmt-engine-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function embeddedProfile(dbPath: string, defaults: ResolvedProfile["defaults"] = {}, taskHub = "default"): ResolvedProfile {
  return { name: "test", connection: { type: "embedded", dbPath }, taskHub, defaults, presets: {}, source: "builtin" };
}

export function endpointProfile(address: string, taskHub = "default", authentication: "None" | "DefaultAzure" = "None"): ResolvedProfile {
  const endpoint = `http://${address}`;
  return {
    name: "remote",
    connection: { type: "dts", connectionString: `Endpoint=${endpoint};Authentication=${authentication};TaskHub=${taskHub}`, parsed: { endpoint, authentication, taskHub } },
    taskHub,
    defaults: {},
    presets: {},
    source: "builtin",
  };
}

/** Polls `fn` until it returns a truthy value (async allowed) or the deadline passes. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
