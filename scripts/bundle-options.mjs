import { fileURLToPath } from "node:url";

// The in-memory bundles that bench/tui-frame and test/ui/render-caches build to measure or check the shipped render
// path: ES modules. The shipped bundle (below) is CommonJS; the format changes how the code loads, not what Ink draws.
export const NODE_BUNDLE_OPTIONS = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  jsx: "automatic",
  // Bundled CommonJS dependencies call require(): give the ES module one.
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
};

/** Ink's optional devtools (loaded only with DEV=true) as an empty module, for bundles built without code splitting. */
export const noDevtoolsPlugin = {
  name: "no-devtools",
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export default {};", loader: "js" }));
  },
};

/**
 * The shipped bundle (scripts/bundle.mjs): CommonJS, one file per entry point. `import.meta.url` becomes the bundle's
 * own file URL (scripts/import-meta-url.mjs); dynamic imports of external packages become require()s, so the bundle
 * holds no import() for the bin's loader to resolve.
 */
export const CJS_BUNDLE_OPTIONS = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22",
  jsx: "automatic",
  outExtension: { ".js": ".cjs" },
  minifyWhitespace: true,
  supported: { "dynamic-import": false },
  // React's and the reconciler's production builds only (the bin sets NODE_ENV=production when it is unset; the
  // development builds would double the bundle).
  define: { "import.meta.url": "__bundleFileUrl", "process.env.NODE_ENV": '"production"' },
  inject: [fileURLToPath(new URL("./import-meta-url.mjs", import.meta.url))],
  // Replaced by the bundle's content hash once it is built (scripts/bundle.mjs): the loader's code cache is named after it.
  banner: { js: `/*build:${"0".repeat(16)}*/` },
};

/** The first line of a shipped bundle with its content hash in place of the banner's zeros. */
export function stampBuildId(source, hash) {
  const banner = CJS_BUNDLE_OPTIONS.banner.js;
  if (!source.startsWith(banner)) throw new Error("the bundle does not start with its banner");
  return `/*build:${hash.slice(0, 16)}*/` + source.slice(banner.length);
}
