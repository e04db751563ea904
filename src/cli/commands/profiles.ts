import type { Command } from "commander";
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

const PROFILES_HELP = `
A profile names a backend: "embedded" (the local hub, a SQLite file) or a Durable Task Scheduler connection string
(Endpoint=...;Authentication=...;TaskHub=...). The built-in "default" profile (embedded) always exists.

Which profile a command uses: --profile NAME if given; else the environment override
(DURABLE_TASK_SCHEDULER_CONNECTION_STRING [+ TASKHUB_NAME], or ENDPOINT [+ TASKHUB] for the emulator), shown as "env";
else the active profile ("profiles use"); else "default".

Examples:
  $ durable-monitor-tui profiles add emulator --connection "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default"
  $ durable-monitor-tui profiles use emulator
  $ durable-monitor-tui profiles list`;

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

export function registerProfilesCommands(program: Command, ctx: CliContext): void {
  const profiles = program
    .command("profiles")
    .description("list, show, add, remove and switch config profiles (backends)")
    .addHelpText("after", PROFILES_HELP);
  const location = () => ({ env: ctx.io.env });

  profiles
    .command("list")
    .description("list the profiles; * marks the one in effect")
    .option("--json", "print JSON")
    .action((options: { json?: boolean }) => {
      const catalog = loadProfiles(location());
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
      printLine(ctx.io, formatColumns(rows));
      if (catalog.envVariable) {
        printLine(ctx.io, `\n${catalog.envVariable} is set, so "env" is in effect (the active profile '${catalog.fileActive}' is used with --profile).`);
      }
    });

  profiles
    .command("show")
    .argument("[name]", "the profile (default: the one in effect)")
    .description("show a profile; secrets in its connection string are redacted")
    .option("--json", "print JSON")
    .action((name: string | undefined, options: { json?: boolean }) => {
      const catalog = loadProfiles(location());
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
      printLine(ctx.io, formatColumns(rows));
    });

  profiles
    .command("add")
    .argument("<name>", "letters, digits, '-' and '_'")
    .description("add a profile (refuses to replace one without --force)")
    .requiredOption("-c, --connection <connection>", '"embedded" or Endpoint=...;Authentication=...;TaskHub=...')
    .option("--taskhub <name>", "task hub (wins over the connection string's TaskHub; default \"default\")")
    .option("--db <path>", "embedded only: the hub's SQLite file (default: in the data dir)")
    .option("-f, --force", "replace an existing profile's connection (its defaults and presets are kept)")
    .option("--use", "also make it the active profile")
    .action(async (name: string, options: { connection: string; taskhub?: string; db?: string; force?: boolean; use?: boolean }) => {
      const { replaced } = await addProfile(
        { name, connection: options.connection, taskHub: options.taskhub, dbPath: options.db, force: options.force },
        location(),
      );
      if (options.use) await useProfile(name, location());
      printLine(ctx.io, `${replaced ? "replaced" : "added"} profile '${name}'${options.use ? " (now active)" : ""}`);
    });

  profiles
    .command("remove")
    .alias("rm")
    .argument("<name>", "the profile to remove")
    .description("remove a profile (removing the active one makes 'default' active)")
    .action(async (name: string) => {
      const { wasActive } = await removeProfile(name, location());
      printLine(ctx.io, `removed profile '${name}'${wasActive ? "; the active profile is now 'default'" : ""}`);
    });

  profiles
    .command("use")
    .argument("<name>", "the profile to make active")
    .description("make a profile the active one")
    .action(async (name: string) => {
      await useProfile(name, location());
      printLine(ctx.io, `active profile: ${name}`);
      const catalog = loadProfiles(location());
      if (catalog.envVariable) {
        printError(ctx.io, `note: ${catalog.envVariable} is set and wins over the active profile unless --profile is given`);
      }
    });
}
