/**
 * What the engine is given to run with: a resolved profile (connection, task hub, defaults, presets, check policy).
 * src/config/ reads the file format (schema, validation, env overrides) and produces these; the engine never imports
 * src/config/, so the dependency goes one way.
 */
import type { CheckSettings } from "./checks/policy.js";
import type { MonitorKind } from "./monitor/spec.js";

/** The Authentication values the Durable Task Scheduler defines, spelled exactly as it spells them. */
export const AUTHENTICATION_TYPES = [
  "None",
  "DefaultAzure",
  "ManagedIdentity",
  "WorkloadIdentity",
  "Environment",
  "AzureCli",
  "AzurePowerShell",
  "VisualStudioCode",
  "InteractiveBrowser",
] as const;
export type AuthenticationType = (typeof AUTHENTICATION_TYPES)[number];

/** A parsed DTS connection string (`Endpoint=...;Authentication=...;TaskHub=...[;ClientID=...][;TenantId=...]...`). */
export interface DtsConnection {
  endpoint: string;
  authentication: AuthenticationType;
  taskHub: string;
  clientId?: string;
  tenantId?: string;
  /** Workload identity: the federated token file (default: AZURE_FEDERATED_TOKEN_FILE). */
  tokenFilePath?: string;
  /** Workload identity: tenants besides TenantId it may get tokens for (`*` for any). */
  additionallyAllowedTenants?: string[];
  /** Our extension for the local hub (`hub`): sent as `authorization: Bearer <token>`; only with Authentication=None. */
  token?: string;
}

export type ProfileConnection =
  | { type: "embedded"; dbPath?: string }
  | { type: "dts"; connectionString: string; parsed: DtsConnection };

/** Monitor parameters a profile starts new monitors with. */
export interface MonitorDefaults {
  kind?: MonitorKind;
  pollingIntervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  alert?: { webhookUrl?: string };
}

/** A named monitor template the dashboard launches with one key (`p`) and `start --preset NAME` uses. */
export interface Preset {
  kind: MonitorKind;
  target: Record<string, unknown>;
  description?: string;
  jobId?: string;
  pollingIntervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  backoff?: { multiplier: number; maxIntervalSeconds: number };
  alert?: { webhookUrl?: string };
}

/** A profile ready to use: env overrides applied, connection parsed, task hub decided. */
export interface ResolvedProfile {
  name: string;
  connection: ProfileConnection;
  /** The task hub: the profile's taskHub, else the connection string's TaskHub, else "default". */
  taskHub: string;
  defaults: MonitorDefaults;
  presets: Record<string, Preset>;
  /** What this profile's worker lets checks do: defined commands, ad-hoc commands, hosts, the GitHub API (absent: none set). */
  checks?: CheckSettings;
  /** Where it came from: the config file, the built-in default, or environment variables. */
  source: "file" | "builtin" | "env";
}

/** The parts of a profile an open engine takes up when the config file changes (see LocalEngine.applyProfileSettings). */
export interface ProfileSettings {
  defaults: MonitorDefaults;
  checks?: CheckSettings;
}

/** What takes up config edits while open: the local engine (the dashboard passes each good edit to it). */
export interface ProfileSettingsTarget {
  /**
   * From now on `start` fills in these defaults, and this process's worker enforces these check settings at each
   * check. The connection stays as opened.
   */
  applyProfileSettings(settings: ProfileSettings): void;
}
