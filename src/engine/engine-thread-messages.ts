/** What the dashboard's thread and its engine thread (engine-thread.ts) tell each other. */
import type { ProfileSettings, ResolvedProfile } from "./profile.js";
import type { WorkerState } from "./types.js";

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
