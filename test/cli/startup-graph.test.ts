/**
 * What the bin initialises before it knows the command: the modules the CLI's entry imports or requires, not those it
 * imports on demand (dist/bundle-meta.json, written by scripts/bundle.mjs from esbuild's metafile). The bundle is one
 * file, and esbuild turns each dynamic import into a lazy initialiser: a module behind one runs only when a command
 * asks for it. `--help`, `--version` and the parsing of every command stay this small.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

interface Input {
  imports: Array<{ path: string; kind: string; external: boolean }>;
}
interface Meta {
  inputs: Record<string, Input>;
  outputs: Record<string, { inputs: string[] }>;
}

function loadMeta(): Meta {
  return JSON.parse(readFileSync(join(repoRoot, "dist", "bundle-meta.json"), "utf8")) as Meta;
}

/**
 * What initialising `entry` initialises too (imports and require()s, not dynamic imports): sources and externals.
 * Only what is in the bundle: a module esbuild left out whole (a re-export nothing uses) brings nothing.
 */
function staticGraph(meta: Meta, entry: string): { inputs: string[]; externals: string[] } {
  const shipped = new Set(meta.outputs["cli.bundle.cjs"]!.inputs);
  const seen = new Set<string>();
  const externals = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file) || !shipped.has(file)) return;
    seen.add(file);
    for (const i of meta.inputs[file]!.imports) {
      if (i.kind !== "import-statement" && i.kind !== "require-call") continue;
      if (i.external) externals.add(i.path);
      else walk(i.path);
    }
  };
  walk(entry);
  return { inputs: [...seen], externals: [...externals] };
}

/** The modules other modules import on demand. */
function dynamicEntries(meta: Meta): string[] {
  return Object.values(meta.inputs).flatMap((input) => input.imports.filter((i) => i.kind === "dynamic-import" && !i.external).map((i) => i.path));
}

/** The on-demand entry that brings `source` (e.g. the monitor commands' actions). */
function dynamicEntryOf(meta: Meta, source: string): string {
  return dynamicEntries(meta).find((entry) => staticGraph(meta, entry).inputs.includes(source))!;
}

describe("the CLI's start-up (before a command runs)", () => {
  it("loads commander and the command definitions, not zod, the config, the engine, the SDK, gRPC, Ink or string-width", () => {
    const meta = loadMeta();
    const { inputs, externals } = staticGraph(meta, "src/cli.tsx");
    expect(inputs).toEqual(expect.arrayContaining(["src/cli.tsx", "src/cli/commands/monitors.ts", "src/cli/start-flag-fields.ts"]));
    expect(inputs.some((i) => i.includes("node_modules/commander/"))).toBe(true);
    const heavy = /node_modules\/(zod|ink|react|string-width|conf|ajv)\/|^src\/(config\/(schema|profiles|file)|engine\/(create-engine|monitor\/spec|connection)|ui\/)/;
    expect(inputs.filter((i) => heavy.test(i))).toEqual([]);
    expect(externals.filter((e) => !e.startsWith("node:"))).toEqual([]);
  });

  it("every command's actions are still in the bundle, loaded on demand", () => {
    const meta = loadMeta();
    const all = meta.outputs["cli.bundle.cjs"]!.inputs;
    for (const source of ["src/cli/commands/monitor-actions.ts", "src/cli/commands/profile-actions.ts", "src/config/schema.ts", "src/engine/create-engine.ts"]) {
      expect(all, source).toContain(source);
    }
    expect(dynamicEntryOf(meta, "src/cli/commands/monitor-actions.ts")).toBeDefined();
    expect(staticGraph(meta, "src/cli.tsx").inputs).not.toContain("src/cli/commands/monitor-actions.ts");
  });

  it("list, status and start load the lean path without the SDK, gRPC, node:http2 or the hub (the full engine comes on demand)", () => {
    const meta = loadMeta();
    const graphs = [staticGraph(meta, "src/cli.tsx"), staticGraph(meta, dynamicEntryOf(meta, "src/cli/commands/monitor-actions.ts"))];
    const inputs = graphs.flatMap((g) => g.inputs);
    expect(inputs).toEqual(expect.arrayContaining(["src/engine/lean-engine.ts", "src/engine/wire/wire-client.ts", "src/engine/snapshot.ts", "src/cli/monitor-text.ts"]));
    expect(graphs.flatMap((g) => g.externals).filter((e) => !e.startsWith("node:"))).toEqual([]);
    // Its HTTP/2 is our own over node:net: node:http2 alone costs about 50 ms to load (it loads tls and http).
    expect(graphs.flatMap((g) => g.externals).filter((e) => /^node:(http2|tls|https?)$/.test(e))).toEqual([]);
    const full = /^src\/engine\/(hub\/(?!endpoint-file)|create-engine|engine-actions|sdk-seam|connection\/(open-connection|channel|probe|metadata|worker-supervisor|sdk-instance-client))|node_modules\/(@grpc|@microsoft|google-protobuf)\//;
    expect(inputs.filter((i) => full.test(i))).toEqual([]);
    // zod's small build only: the full one (its chained-method classes and every locale) cost more than the rest.
    expect(inputs.some((i) => i.includes("node_modules/zod/v4/mini/"))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/zod\/v4\/(classic|locales\/(?!(en|index)\.js))/.test(i))).toEqual([]);
    expect(dynamicEntryOf(meta, "src/engine/create-engine.ts")).toBeDefined();
  });

  it("the bin runs one file, with no import() left for its loader to resolve (external packages are require()d)", () => {
    const meta = loadMeta();
    expect(Object.keys(meta.outputs).sort()).toEqual(["cli.bundle.cjs", "engine-thread.bundle.cjs"]);
    const bundle = readFileSync(join(repoRoot, "dist", "cli.bundle.cjs"), "utf8");
    // React's messages mention import() in strings; code would call it as `import(` after a non-word character.
    const calls = bundle.match(/(?<![\w."'`])import\(/g) ?? [];
    expect(calls).toEqual([]);
    expect(dynamicEntries(meta).length).toBeGreaterThan(5);
  });

  it("the dashboard draws its first frame and first page before loading the SDK and gRPC (the engine comes on demand)", () => {
    const meta = loadMeta();
    const graph = staticGraph(meta, "src/cli/dashboard-session.ts");
    // The first page comes over the wire client, without the SDK (engine/first-page.ts).
    expect(graph.inputs).toEqual(expect.arrayContaining(["src/ui/mount-dashboard.tsx", "src/engine/first-page.ts", "src/engine/wire/wire-client.ts"]));
    expect(graph.inputs.some((i) => i.includes("node_modules/ink/"))).toBe(true);
    expect(graph.externals.filter((e) => /^@(grpc|microsoft)\//.test(e))).toEqual([]);
    expect(graph.inputs.filter((i) => /^src\/engine\/(create-engine|sdk-seam|connection\/open-connection)/.test(i))).toEqual([]);
  });
});
