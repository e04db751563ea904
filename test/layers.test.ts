/**
 * The layering the README promises, read from the source's import lines: the engine draws nothing and never reads the
 * config file format; the UI never touches protobuf or the hub; config depends on the engine, not the reverse.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module a file names in an import, export-from or dynamic import, resolved to a path under src/ when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)["']([^"']+)["']/gm)].map((m) => m[1]!);
  return specs.map((spec) => (spec.startsWith(".") ? relative(SRC, join(file, "..", spec)) : spec));
}

function violations(layer: string, forbidden: RegExp): string[] {
  return sourceFiles(join(SRC, layer)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.test(target))
      .map((target) => `${relative(SRC, file)} → ${target}`),
  );
}

describe("layers", () => {
  test("the engine imports neither React/Ink, the UI, the CLI nor the config file format", () => {
    expect(violations("engine", /^(react|ink|ink-.*|ui\/|cli\/|cli\.tsx|config\/)/)).toEqual([]);
  });

  test("the UI never touches protobuf, gRPC or the hub", () => {
    expect(violations("ui", /^(google-protobuf|@grpc\/|engine\/hub\/|engine\/sdk-seam)/)).toEqual([]);
  });

  test("the UI is handed its engine: it never opens one, never connects, never imports the CLI", () => {
    expect(violations("ui", /^(cli\/|cli\.tsx|engine\/create-engine|engine\/connection\/)/)).toEqual([]);
  });

  test("config imports no UI, CLI or hub code", () => {
    expect(violations("config", /^(react|ink|ui\/|cli\/|engine\/hub\/)/)).toEqual([]);
  });

  test("the check finds imports (it would pass vacuously otherwise)", () => {
    expect(violations("ui", /^react$/).length).toBeGreaterThan(0);
  });
});

describe("types", () => {
  test("no `as never` in src: casts that silence the type checker hide protocol mistakes", () => {
    const casts = sourceFiles(SRC).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (/\bas never\b/.test(line) ? [`${relative(SRC, file)}:${i + 1}`] : [])),
    );
    expect(casts).toEqual([]);
  });
});
