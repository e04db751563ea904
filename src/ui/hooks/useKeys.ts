import { useEffect } from "react";
import { useInput, type Key } from "ink";
import { usePendingKeys, useStoreApi } from "../context.js";
import { splitKeys } from "../keys.js";

type KeyHandler = (input: string, key: Key) => void;

/**
 * `useInput` for panels: a chunk of keys that arrived together ("jj\r") reaches the handler one key at a time.
 * Only listens while `isActive` (the focused panel), and takes the keys typed for it while it was opening.
 */
export function useKeys(handler: KeyHandler, isActive: boolean, options: { takesPendingKeys?: boolean } = {}): void {
  useInput(
    (input, key) => {
      for (const k of splitKeys(input, key)) handler(k.input, k.key);
    },
    { isActive },
  );
  useHandedOffKeys(handler, isActive && (options.takesPendingKeys ?? true));
}

/**
 * Keys typed right after the key that opened a panel ("n" then Enter, "/" then text, a paste) can arrive before
 * React has drawn that panel: the table parks them (`usePendingKeys`) and the panel replays them when it gets the
 * focus, for as long as its screen stays the current one (a key it handles may close it; the rest wait for the next).
 */
export function useHandedOffKeys(handler: KeyHandler, isActive: boolean): void {
  const store = useStoreApi();
  const pending = usePendingKeys();
  useEffect(() => {
    if (!isActive) return;
    const screen = store.getState().screen;
    while (pending.length && store.getState().screen === screen) {
      const k = pending.shift()!;
      handler(k.input, k.key);
    }
    // Runs when the panel gets the focus, with the handler of that render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isActive]);
}
