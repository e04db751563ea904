/**
 * The chalk Ink styles with (nested under Ink or hoisted beside it): tests set its level to style as in a terminal,
 * since the test runner's own output may not be one.
 */
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The file Ink imports as "chalk". */
export function inkChalkFile(): string {
  const inkDir = join(dirname(createRequire(import.meta.url).resolve("ink")), "..");
  for (const dir of [join(inkDir, "node_modules", "chalk"), join(inkDir, "..", "chalk")]) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "source", "index.js");
  }
  throw new Error(`no chalk beside Ink (${inkDir})`);
}

/** Ink's chalk instance. */
export async function inkChalk(): Promise<{ level: number }> {
  return ((await import(pathToFileURL(inkChalkFile()).href)) as { default: { level: number } }).default;
}

/**
 * A module (written into `dir`) that turns Ink's styling on when imported: a bundle imports it first, so it runs before
 * the modules that ask Ink whether it styles text (src/ui/styled-text.tsx).
 */
export function stylesOnModule(dir: string): string {
  const file = join(dir, "ink-styles-on.mjs");
  writeFileSync(file, `import chalk from ${JSON.stringify(inkChalkFile())};\nchalk.level = 1;\n`);
  return file;
}
