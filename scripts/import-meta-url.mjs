// Injected into the CommonJS bundle (scripts/bundle-options.mjs): what `import.meta.url` is in an ES module.
export const __bundleFileUrl = require("node:url").pathToFileURL(__filename).href;
