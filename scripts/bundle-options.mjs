import { fileURLToPath } from "node:url";

// What every bundle of ours that Node runs shares: the in-memory ones that bench/tui-frame and test/ui/render-caches
// build to measure or check the shipped render path (ES modules), and the shipped one (CommonJS, below).
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
};
