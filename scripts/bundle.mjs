// Bundles the CLI into dist/cli.bundle.js (+ dist/chunks/ for what commands load on demand), which the bin runs:
// start-up then reads a few files instead of hundreds. The SDK, gRPC and Azure identity stay external packages:
// (and Ink's optional react-devtools-core) they load only in commands that talk to a backend, and the SDK reads its generated protobuf files from its own
// directory. tsc's dist/ output (same sources) stays for the benches and for type declarations.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a content hash: clear the old ones so only this build's chunks ship.
rmSync("dist/chunks", { recursive: true, force: true });

await build({
  entryPoints: { "cli.bundle": "src/cli.tsx" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  jsx: "automatic",
  external: ["@microsoft/durabletask-js", "@microsoft/durabletask-js/*", "@grpc/grpc-js", "@azure/identity", "react-devtools-core"],
  // Bundled CommonJS dependencies call require(): give the ES module one.
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
  sourcemap: true,
  logLevel: "warning",
});
