// What every bundle of ours that Node runs shares: the shipped one (scripts/bundle.mjs) and the in-memory ones that
// bench/tui-frame and test/ui/render-caches build to measure or check the same render path.
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
