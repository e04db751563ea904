/**
 * Which token the standalone `hub` requires. In order: `--token-file F`, `--token T` (visible to other users in
 * `ps`: prefer the others), the variable DURABLE_MONITOR_TUI_HUB_TOKEN, the token stored next to the database
 * (`<db>.token`, 0600) by an earlier run, else a new random one stored there — like a notebook server's token, so a
 * restart keeps the clients' connection strings working. `--insecure` serves without a token, on loopback only.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { ConfigError, UsageError } from "../../errors.js";
import { ENV_HUB_TOKEN } from "./hub-token-variable.js";


interface HubTokenOptions {
  token?: string;
  tokenFile?: string;
  insecure?: boolean;
}

interface HubToken {
  /** undefined only with --insecure. */
  token?: string;
  /** Where it came from, for the banner (never the token itself). */
  source: "--token-file" | "--token" | typeof ENV_HUB_TOKEN | "stored" | "generated" | "none";
  /** The stored token's file, when that is the source. */
  storedIn?: string;
}

function storedTokenFileFor(dbPath: string): string {
  return `${dbPath}.token`;
}

/** A token travels in a connection string (`Token=`) and a header: no separators, no whitespace. */
function checked(token: string, where: string): string {
  const t = token.trim();
  if (t === "") throw new UsageError(`${where}: the token is empty.`);
  // Worded so that the error redaction (which masks "token <word>") leaves the message readable.
  if (/[\s;=]/.test(t)) throw new UsageError(`${where}: whitespace, ';' and '=' are not allowed in a hub token (it goes into a connection string).`);
  return t;
}

function readTokenFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`--token-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/** Resolves the hub's token. @throws UsageError for conflicting flags or a bad token; ConfigError for an unreadable file. */
export function resolveHubToken(options: HubTokenOptions, env: NodeJS.ProcessEnv, dbPath: string): HubToken {
  const given = [options.token !== undefined && "--token", options.tokenFile !== undefined && "--token-file"].filter(Boolean);
  if (given.length > 1) throw new UsageError("Give --token-file or --token, not both.");
  if (options.insecure) {
    if (given.length > 0) throw new UsageError(`--insecure serves without a token: drop ${given[0]}, or drop --insecure.`);
    return { source: "none" };
  }
  if (options.tokenFile !== undefined) return { token: checked(readTokenFile(options.tokenFile), `--token-file ${options.tokenFile}`), source: "--token-file" };
  if (options.token !== undefined) return { token: checked(options.token, "--token"), source: "--token" };
  const fromEnv = env[ENV_HUB_TOKEN];
  if (fromEnv?.trim()) return { token: checked(fromEnv, ENV_HUB_TOKEN), source: ENV_HUB_TOKEN };
  return storedOrGenerated(storedTokenFileFor(dbPath));
}

function storedOrGenerated(file: string): HubToken {
  try {
    const token = checked(readFileSync(file, "utf8"), file);
    // Written 0600 by us; tighten it if someone loosened it (the token guards the hub).
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { token, source: "stored", storedIn: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      if (error instanceof UsageError) throw new ConfigError(`${error.message} Remove ${file} to get a new token.`);
      throw new ConfigError(`Cannot read ${file} (the stored hub token): ${(error as Error).message}`);
    }
  }
  const token = randomBytes(24).toString("base64url");
  writeFileSync(file, `${token}\n`, { flag: "wx", mode: 0o600 });
  return { token, source: "generated", storedIn: file };
}

// The hub command loads this one module on demand, the hub with it.
export { startHub, HubStartError, endpointFileFor, liveEndpoint, claimEndpoint, markShared, withdrawEndpoint, dialHost } from "../../engine/hub/index.js";
