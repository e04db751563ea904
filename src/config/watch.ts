/**
 * Watches one file for edits, whatever way the editor saves it: in place, or by writing a new file and renaming it
 * over the old one (vim, VS Code, `conf` itself), which a watch on the file's own inode would miss after the first
 * save. So the directory is watched, and a burst of events becomes one call after `debounceMs` of quiet.
 * A missing directory is looked for once a second until it appears.
 */
import { existsSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

export interface FileWatch {
  /** Stops watching; idempotent. */
  close(): void;
}

/** How long a burst of change events must be quiet before the file is read (an editor's save is several events). */
export const CONFIG_WATCH_DEBOUNCE_MS = 150;
/** How often a missing directory is looked for. */
const POLL_MS = 1000;

/**
 * Calls `onChange` (at most once per quiet `debounceMs`) after the file at `path` may have changed: created, written,
 * replaced or removed. The caller reads the file itself. Never throws after it returns; a watch error is passed to
 * `onError` and watching stops.
 */
export function watchFileEdits(
  path: string,
  onChange: () => void,
  options: { debounceMs?: number; onError?: (error: Error) => void } = {},
): FileWatch {
  const debounceMs = options.debounceMs ?? CONFIG_WATCH_DEBOUNCE_MS;
  const name = basename(path);
  const dir = dirname(path);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const changed = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, debounceMs);
    timer.unref?.();
  };

  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout | undefined;
  const watchDir = () => {
    watcher = watch(dir, { persistent: false }, (_event, filename) => {
      // Some platforms do not say which file; then any event in the directory counts.
      if (filename === null || filename === name) changed();
    });
    watcher.on("error", (error) => {
      watcher?.close();
      options.onError?.(error);
    });
  };
  if (existsSync(dir)) watchDir();
  else {
    // Until the directory exists there is nothing to watch: look for it now and then, then watch it (and read the
    // file once, in case it was written before the watch began).
    poll = setInterval(() => {
      if (closed || !existsSync(dir)) return;
      clearInterval(poll);
      poll = undefined;
      watchDir();
      changed();
    }, POLL_MS);
    poll.unref?.();
  }

  return {
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      if (poll) clearInterval(poll);
    },
  };
}
