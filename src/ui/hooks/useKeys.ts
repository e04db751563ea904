import { useInput, type Key } from "ink";
import { splitKeys } from "../keys.js";

/**
 * `useInput` for panels: a chunk of keys that arrived together ("jj\r") reaches the handler one key at a time.
 * Only listens while `isActive` (the focused panel).
 */
export function useKeys(handler: (input: string, key: Key) => void, isActive: boolean): void {
  useInput(
    (input, key) => {
      for (const k of splitKeys(input, key)) handler(k.input, k.key);
    },
    { isActive },
  );
}
