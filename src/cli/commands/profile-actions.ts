/** What the profiles commands do (their options and help are in profiles.ts; this module loads when one runs). */
import type { CliContext } from "../context.js";
import { formatColumns, printError, printJson, printLine } from "../output.js";
import {
  addProfile,
  describeConnection,
  describeEnvOverride,
  findProfile,
  loadProfiles,
  removeProfile,
  useProfile,
  type ResolvedProfile,
} from "../../config/index.js";
import { redactConnectionString, redactUrl } from "../../engine/connection/connection-string.js";
import { redactSecrets } from "../../config/redact.js";

/** A profile as `profiles show --json` and `profiles list --json` print it: secrets redacted (connection, defaults, presets). */
function profileJson(profile: ResolvedProfile, inEffect: string) {
  const connection =
    profile.connection.type === "embedded"
      ? { type: "embedded", dbPath: profile.connection.dbPath }
      : {
          type: "dts",
          connectionString: redactConnectionString(profile.connection.connectionString),
          endpoint: redactUrl(profile.connection.parsed.endpoint),
          authentication: profile.connection.parsed.authentication,
          ...(profile.connection.parsed.clientId ? { clientId: profile.connection.parsed.clientId } : {}),
          ...(profile.connection.parsed.tenantId ? { tenantId: profile.connection.parsed.tenantId } : {}),
        };
  return {
    name: profile.name,
    inEffect: profile.name === inEffect,
    source: profile.source,
    taskHub: profile.taskHub,
    description: describeConnection(profile),
    connection,
    defaults: redactSecrets(profile.defaults),
    presets: redactSecrets(profile.presets),
  };
}

const location = (ctx: CliContext) => ({ env: ctx.io.env });

export async function list(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const catalog = loadProfiles(location(ctx));
  if (options.json) {
    printJson(ctx.io, {
      configFile: catalog.path,
      active: catalog.fileActive,
      inEffect: catalog.inEffect,
      profiles: catalog.profiles.map((p) => profileJson(p, catalog.inEffect)),
    });
    return;
  }
  const rows = [["", "NAME", "SOURCE", "CONNECTION"]];
  for (const p of catalog.profiles) {
    rows.push([p.name === catalog.inEffect ? "*" : "", p.name, p.source, describeConnection(p)]);
  }
  printLine(ctx.io, await formatColumns(rows));
  if (catalog.envVariable) {
    printLine(ctx.io, `\n${catalog.envVariable} is set, so "env" is in effect (the active profile '${catalog.fileActive}' is used with --profile).`);
  }
}

export async function show(ctx: CliContext, name: string | undefined, options: { json?: boolean }): Promise<void> {
  const catalog = loadProfiles(location(ctx));
  const profile = findProfile(catalog, name ?? ctx.globals().profile ?? catalog.inEffect);
  const json = profileJson(profile, catalog.inEffect);
  if (options.json) {
    printJson(ctx.io, json);
    return;
  }
  const rows: string[][] = [
    ["name:", profile.name + (profile.name === catalog.inEffect ? " (in effect)" : "")],
    ["source:", profile.source === "file" ? `file ${catalog.path}` : profile.source === "env" ? `environment: ${describeEnvOverride(ctx.io.env)}` : "built-in"],
  ];
  if (profile.connection.type === "embedded") {
    rows.push(["connection:", "embedded"], ["database:", profile.connection.dbPath ?? "(default)"]);
  } else {
    rows.push(
      ["connection:", redactConnectionString(profile.connection.connectionString)],
      ["endpoint:", redactUrl(profile.connection.parsed.endpoint)],
      ["authentication:", profile.connection.parsed.authentication],
    );
    if (profile.connection.parsed.clientId) rows.push(["client id:", profile.connection.parsed.clientId]);
    if (profile.connection.parsed.tenantId) rows.push(["tenant id:", profile.connection.parsed.tenantId]);
  }
  rows.push(["task hub:", profile.taskHub]);
  const defaults = Object.entries(json.defaults).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  rows.push(["defaults:", defaults.length ? defaults.join(", ") : "(none)"]);
  const presets = Object.entries(profile.presets).map(([k, v]) => `${k} (${v.kind})`);
  rows.push(["presets:", presets.length ? presets.join(", ") : "(none)"]);
  printLine(ctx.io, await formatColumns(rows));
}

export async function add(
  ctx: CliContext,
  name: string,
  options: { connection: string; taskhub?: string; db?: string; force?: boolean; use?: boolean },
): Promise<void> {
  const { replaced } = await addProfile(
    { name, connection: options.connection, taskHub: options.taskhub, dbPath: options.db, force: options.force },
    location(ctx),
  );
  if (options.use) await useProfile(name, location(ctx));
  printLine(ctx.io, `${replaced ? "replaced" : "added"} profile '${name}'${options.use ? " (now active)" : ""}`);
}

export async function remove(ctx: CliContext, name: string): Promise<void> {
  const { wasActive } = await removeProfile(name, location(ctx));
  printLine(ctx.io, `removed profile '${name}'${wasActive ? "; the active profile is now 'default'" : ""}`);
}

export async function use(ctx: CliContext, name: string): Promise<void> {
  await useProfile(name, location(ctx));
  printLine(ctx.io, `active profile: ${name}`);
  const catalog = loadProfiles(location(ctx));
  if (catalog.envVariable) {
    printError(ctx.io, `note: ${catalog.envVariable} is set and wins over the active profile unless --profile is given`);
  }
}
