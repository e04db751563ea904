/**
 * Feeds the store from the engine: the current connection/worker state at once, then every `watch` event.
 * Also the one shared clock that every countdown on screen reads (no timer per row): it advances with each data
 * refresh and, between refreshes, once a second — so a refresh and a clock tick share one frame instead of two.
 * Watch events are drawn in a task of their own (setImmediate, in order): the engine's part of a refresh (decoding,
 * diffing) and the UI's (the store, React, Ink's frame) are two tasks, and a key read in between is drawn first
 * instead of waiting for both. The initial rows' event is answered with a promise that settles once they are drawn
 * (React renders them in the draw's task or the next one; a task queued after the draw runs after that), so that the
 * engine reads the rest of the list only then.
 */
import { useEffect } from "react";
import type { WatchEvent } from "../../engine/types.js";
import { useEngine, useSettings, useStoreApi } from "../context.js";

const CLOCK_PERIOD_MS = 1000;

export function useEngineFeed(): void {
  const engine = useEngine();
  const store = useStoreApi();
  const clock = useSettings().clock ?? Date.now;
  useEffect(() => {
    const dispatch = (...args: Parameters<ReturnType<typeof store.getState>["dispatch"]>) => store.getState().dispatch(...args);
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      dispatch({ type: "tick", now: clock() });
      arm();
    };
    function arm() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, CLOCK_PERIOD_MS);
    }
    tick();
    let unsubscribe: (() => void) | undefined;
    const queued: WatchEvent[] = [];
    /** Told when what is queued now has been drawn. */
    const waiting: Array<() => void> = [];
    let drawing: NodeJS.Immediate | undefined;
    const draw = () => {
      drawing = undefined;
      let snapshots = false;
      for (const event of queued.splice(0)) {
        dispatch({ type: "watch", event });
        snapshots ||= event.type === "snapshots";
      }
      // Same task, so React draws the data and the new clock reading in one frame.
      if (snapshots) tick();
      const drawn = waiting.splice(0);
      if (drawn.length) setImmediate(() => drawn.forEach((done) => done()));
    };
    if (engine) {
      dispatch({ type: "watch", event: { type: "connection", status: engine.connectionStatus() } });
      dispatch({ type: "watch", event: { type: "worker", state: engine.workerState() } });
      unsubscribe = engine.watch((event) => {
        queued.push(event);
        drawing ??= setImmediate(draw);
        if (event.type === "snapshots" && event.initial) return new Promise<void>((done) => waiting.push(done));
      });
    }
    return () => {
      if (timer) clearTimeout(timer);
      if (drawing) clearImmediate(drawing);
      unsubscribe?.();
    };
  }, [engine, store, clock]);
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
