// yoga-layout as the shipped bundle gives it to Ink (scripts/no-top-level-await-plugin.mjs): the same default export
// and enums, with the WebAssembly compiled by `loaded()` instead of a top-level await. Ink's modules read the constants
// (EDGE_TOP...) when they initialise, so those are there at once; Node and Config join them in `loaded()`, which the
// dashboard awaits before its first render (src/ui/layout-engine.ts).
import { loadYoga } from "yoga-layout/load";
import constants from "yoga-layout/enums";

export * from "yoga-layout/load";

const yoga = { ...constants };
export default yoga;

export async function loaded() {
  if (!yoga.Node) Object.assign(yoga, await loadYoga());
}
