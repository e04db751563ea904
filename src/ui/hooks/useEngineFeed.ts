/**
 * Feeds the store from the engine: the current connection/worker state at once, then every `watch` event.
 * Also the one shared clock: a single 1 s tick drives every countdown on screen (no timer per row).
 */
import { useEffect } from "react";
import { useEngine, useStoreApi } from "../context.js";

export function useEngineFeed(): void {
  const engine = useEngine();
  const store = useStoreApi();
  useEffect(() => {
    if (!engine) return;
    const { dispatch } = store.getState();
    dispatch({ type: "watch", event: { type: "connection", status: engine.connectionStatus() } });
    dispatch({ type: "watch", event: { type: "worker", state: engine.workerState() } });
    return engine.watch((event) => store.getState().dispatch({ type: "watch", event }));
  }, [engine, store]);
}

export function useClock(periodMs = 1000): void {
  const store = useStoreApi();
  useEffect(() => {
    const tick = () => store.getState().dispatch({ type: "tick", now: Date.now() });
    tick();
    const timer = setInterval(tick, periodMs);
    return () => clearInterval(timer);
  }, [store, periodMs]);
}

/** Rings the bell once for each monitor that starts alarming (the store counts them). */
export function useBell(bell: () => void): void {
  const store = useStoreApi();
  useEffect(() => {
    let last = store.getState().bells;
    return store.subscribe((s) => {
      if (s.bells > last) bell();
      last = s.bells;
    });
  }, [store, bell]);
}
