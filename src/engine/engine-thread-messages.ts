/** What the dashboard's thread and its engine thread (engine-thread.ts) tell each other, and the thread's priority. */
import type { ProfileSettings, ResolvedProfile } from "./profile.js";
import type { WorkerState } from "./types.js";

/** The engine thread's nice value: its work waits while the dashboard's thread (keys, frames) wants a core. */
export const ENGINE_THREAD_NICE = 10;
/** The name (Linux comm) of V8's platform threads, which the engine thread lowers to its own nice value too. */
export const V8_PLATFORM_THREAD = "V8Worker";

/** Given to the thread when it starts. */
export interface EngineThreadData {
  profile: ResolvedProfile;
  env: Record<string, string | undefined>;
  logFile: string;
}

/** `first-rows`: the dashboard drew its first rows, the thread's worker may start (see `workerAfterFirstRows`). */
export type ToEngineThread = { type: "settings"; settings: ProfileSettings } | { type: "first-rows" } | { type: "close" };

export type FromEngineThread =
  | { type: "ready"; ownsHub: boolean }
  | { type: "failed"; message: string }
  | { type: "worker"; state: WorkerState; error?: string }
  | { type: "closed" };
