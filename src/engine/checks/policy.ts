/**
 * What this worker's owner lets checks do (the Nagios NRPE shape: the request names a check, the machine that runs it
 * decides what that name executes). The policy comes from the worker's own profile, never from the orchestration
 * input, so a client that can start a monitor cannot widen it.
 */

/** A command the worker's profile defines: `commands.<name>` in the config file. */
interface CommandDefinition {
  command: string;
  cwd?: string;
  timeoutSeconds?: number;
  /** Secret-looking environment variables this command may still see (all others of that kind are removed). */
  env?: string[];
}

/** The profile's check settings as written (every field optional; the defaults depend on the connection). */
export interface CheckSettings {
  commands?: Record<string, CommandDefinition>;
  allowAdHocCommands?: boolean;
  allowedHosts?: string[];
  githubApiUrl?: string;
}

/** The settings in force for one worker. */
export interface CheckPolicy {
  /** The profile the settings come from (named in refusals, so the owner knows where to allow something). */
  profileName: string;
  commands: Record<string, CommandDefinition>;
  /** Whether a command line carried in the orchestration input may run. */
  allowAdHocCommands: boolean;
  /** Hosts http checks and alerts may reach; undefined means any host. */
  allowedHosts?: string[];
  /** Where the GitHub token may go (origin + path prefix); https only. */
  githubApiUrl: string;
}

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/**
 * The policy for a worker: on the embedded hub (token-protected, private to its user) ad-hoc commands and every
 * host are allowed unless the profile says otherwise; on any other connection (standalone hub, emulator, Azure)
 * both are refused unless the profile allows them.
 */
export function resolveCheckPolicy(profileName: string, settings: CheckSettings, onEmbeddedHub: boolean): CheckPolicy {
  const policy: CheckPolicy = {
    profileName,
    commands: settings.commands ?? {},
    allowAdHocCommands: settings.allowAdHocCommands ?? onEmbeddedHub,
    githubApiUrl: settings.githubApiUrl ?? DEFAULT_GITHUB_API_URL,
  };
  const hosts = settings.allowedHosts ?? (onEmbeddedHub ? undefined : []);
  if (hosts) policy.allowedHosts = hosts;
  return policy;
}

/** The built-in default profile's policy on its embedded hub: what a check function uses when given no policy. */
export const EMBEDDED_DEFAULT_POLICY: CheckPolicy = resolveCheckPolicy("default", {}, true);

/**
 * A request this worker's profile does not allow (a host outside allowedHosts, a command it does not define). It can
 * never succeed on retry, so the check that meets it fails its monitor at once instead of counting as one failure.
 */
export class PolicyRefusal extends Error {
  override name = "PolicyRefusal";
}

/** True when `host` (a URL's host, with or without port) matches a pattern: `name`, `name:port` or `*.domain`. */
function hostMatches(url: URL, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  const hostname = url.hostname.toLowerCase();
  const withPort = url.host.toLowerCase();
  if (p.startsWith("*.")) return hostname.endsWith(p.slice(1)) && hostname.length > p.length - 1;
  return p === hostname || p === withPort;
}

/**
 * Why `url` may not be reached under `policy` (a sentence saying how to allow it), or undefined when it may.
 * `what` names the request ("http check", "alert webhook").
 */
export function hostRefusal(policy: CheckPolicy, url: string, what: string): string | undefined {
  if (!policy.allowedHosts) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${what}: '${url}' is not a URL`;
  }
  if (policy.allowedHosts.some((pattern) => hostMatches(parsed, pattern))) return undefined;
  return (
    `${what} to ${parsed.host} refused: this worker's profile '${policy.profileName}' does not allow that host ` +
    `(add "${parsed.hostname}" to profiles.${policy.profileName}.allowedHosts in the config file)`
  );
}
