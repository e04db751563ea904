/**
 * Waits until Ink's layout engine (yoga, WebAssembly) is loaded: the dashboard awaits it before its first render.
 * Unbundled, importing yoga-layout loads it (a top-level await). The shipped bundle is CommonJS, which cannot wait at
 * the top level: there yoga-layout is scripts/yoga-layout-deferred.mjs, loaded by its `loaded()`.
 */
export async function layoutEngineLoaded(): Promise<void> {
  const yoga = (await import("yoga-layout")) as unknown as { loaded?: () => Promise<void> };
  await yoga.loaded?.();
}
