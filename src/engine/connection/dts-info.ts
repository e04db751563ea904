/** What a DTS connection string's target is called and sends, shared by the full connection and the lean engine. */
import type { DtsConnection, ResolvedProfile } from "../profile.js";
import type { ConnectionInfo } from "../types.js";

/** The variable that gives a client the local hub's token without putting it in a connection string or argv. */
const ENV_CLIENT_TOKEN = "DURABLE_MONITOR_TUI_TOKEN";

/** Token= (or the variable): the local hub's token, only for connections without a credential of their own. */
export function staticTokenOf(parsed: DtsConnection, env: NodeJS.ProcessEnv): string | undefined {
  return parsed.authentication === "None" ? parsed.token || env[ENV_CLIENT_TOKEN]?.trim() || undefined : undefined;
}

/** The connection's description (errors, the header): the emulator (or our hub, with a token) or Azure. */
export function dtsInfo(profile: ResolvedProfile, parsed: DtsConnection, address: string, staticToken: string | undefined): ConnectionInfo {
  return {
    kind: parsed.authentication === "None" ? "emulator" : "azure",
    location: parsed.endpoint,
    taskHub: profile.taskHub,
    address,
    ...(staticToken !== undefined ? { localHub: true } : {}),
  };
}
