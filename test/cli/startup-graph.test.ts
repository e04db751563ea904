/**
 * What the bin loads before it knows the command: the bundle's entry file and the chunks it imports statically
 * (dist/bundle-meta.json, written by scripts/bundle.mjs). `--help`, `--version` and the parsing of every command stay
 * this small; each command loads what it uses on demand.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

interface Output {
  inputs: string[];
  imports: Array<{ path: string; kind: string; external: boolean }>;
}

function loadMeta(): Record<string, Output> {
  return (JSON.parse(readFileSync(join(repoRoot, "dist", "bundle-meta.json"), "utf8")) as { outputs: Record<string, Output> }).outputs;
}

/** The sources and external packages reachable from `entry` through static imports only. */
function staticGraph(outputs: Record<string, Output>, entry: string): { inputs: string[]; externals: string[] } {
  const seen = new Set<string>();
  const inputs: string[] = [];
  const externals = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    inputs.push(...outputs[file]!.inputs);
    for (const i of outputs[file]!.imports) {
      if (i.kind !== "import-statement") continue;
      if (i.external) externals.add(i.path);
      else walk(i.path);
    }
  };
  walk(entry);
  return { inputs, externals: [...externals] };
}

describe("the CLI's start-up (before a command runs)", () => {
  it("loads commander and the command definitions, not zod, the config, the engine, the SDK, gRPC, Ink or string-width", () => {
    const outputs = loadMeta();
    const { inputs, externals } = staticGraph(outputs, "cli.bundle.js");
    expect(inputs).toEqual(expect.arrayContaining(["src/cli.tsx", "src/cli/commands/monitors.ts", "src/cli/start-flag-fields.ts"]));
    expect(inputs.some((i) => i.includes("node_modules/commander/"))).toBe(true);
    const heavy = /node_modules\/(zod|ink|react|string-width|conf|ajv)\/|^src\/(config\/(schema|profiles|file)|engine\/(create-engine|monitor\/spec|connection)|ui\/)/;
    expect(inputs.filter((i) => heavy.test(i))).toEqual([]);
    expect(externals.filter((e) => !e.startsWith("node:"))).toEqual([]);
  });

  it("every command's actions are still in the bundle, loaded on demand", () => {
    const outputs = loadMeta();
    const all = Object.values(outputs).flatMap((o) => o.inputs);
    for (const source of ["src/cli/commands/monitor-actions.ts", "src/cli/commands/profile-actions.ts", "src/config/schema.ts", "src/engine/create-engine.ts"]) {
      expect(all, source).toContain(source);
    }
    const dynamic = Object.values(outputs).flatMap((o) => o.imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path));
    expect(dynamic.some((path) => outputs[path]?.inputs.includes("src/cli/commands/monitor-actions.ts"))).toBe(true);
  });

  it("list, status and start load the lean path without the SDK, gRPC, node:http2 or the hub (the full engine comes on demand)", () => {
    const outputs = loadMeta();
    const actions = Object.keys(outputs).find((file) => outputs[file]!.inputs.includes("src/cli/commands/monitor-actions.ts"))!;
    const graphs = [staticGraph(outputs, "cli.bundle.js"), staticGraph(outputs, actions)];
    const inputs = graphs.flatMap((g) => g.inputs);
    expect(inputs).toEqual(expect.arrayContaining(["src/engine/lean-engine.ts", "src/engine/wire/wire-client.ts", "src/engine/snapshot.ts", "src/cli/monitor-text.ts"]));
    expect(graphs.flatMap((g) => g.externals).filter((e) => !e.startsWith("node:"))).toEqual([]);
    // Its HTTP/2 is our own over node:net: node:http2 alone costs about 50 ms to load (it loads tls and http).
    expect(graphs.flatMap((g) => g.externals).filter((e) => /^node:(http2|tls|https?)$/.test(e))).toEqual([]);
    const full = /^src\/engine\/(hub\/(?!endpoint-file)|create-engine|engine-actions|sdk-seam|connection\/(open-connection|channel|probe|metadata|worker-supervisor|sdk-instance-client))|node_modules\/(@grpc|@microsoft|google-protobuf)\//;
    expect(inputs.filter((i) => full.test(i))).toEqual([]);
    // zod's small build only: the full one (its chained-method classes and every locale) cost more than the rest.
    expect(inputs.some((i) => i.includes("node_modules/zod/v4/mini/"))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/zod\/v4\/(classic|locales\/(?!en\.js))/.test(i))).toEqual([]);
    const dynamic = Object.values(outputs).flatMap((o) => o.imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path));
    expect(dynamic.some((path) => outputs[path] && staticGraph(outputs, path).inputs.includes("src/engine/create-engine.ts"))).toBe(true);
  });

  it("list, status and start load few files: the commands' actions are one dynamic entry point (each file costs the loader ~0.2 ms)", () => {
    const outputs = loadMeta();
    const files = new Set<string>();
    const walk = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      for (const i of outputs[file]!.imports) if (i.kind === "import-statement" && !i.external) walk(i.path);
    };
    walk("cli.bundle.js");
    walk(Object.keys(outputs).find((file) => outputs[file]!.inputs.includes("src/cli/commands/monitor-actions.ts"))!);
    // 27 when the monitor, profile, config and worker commands each loaded their own module (esbuild made more chunks).
    expect(files.size).toBeLessThanOrEqual(16);
  });

  it("the dashboard draws its first frame and first page before loading the SDK and gRPC (the engine comes on demand)", () => {
    const outputs = loadMeta();
    const session = Object.keys(outputs).find((file) => outputs[file]!.inputs.includes("src/cli/dashboard-session.ts"))!;
    const graph = staticGraph(outputs, session);
    // The first page comes over the wire client, without the SDK (engine/first-page.ts).
    expect(graph.inputs).toEqual(expect.arrayContaining(["src/ui/mount-dashboard.tsx", "src/engine/first-page.ts", "src/engine/wire/wire-client.ts"]));
    expect(graph.inputs.some((i) => i.includes("node_modules/ink/"))).toBe(true);
    expect(graph.externals.filter((e) => /^@(grpc|microsoft)\//.test(e))).toEqual([]);
    expect(graph.inputs.filter((i) => /^src\/engine\/(create-engine|sdk-seam|connection\/open-connection)/.test(i))).toEqual([]);
  });
});
