/**
 * The names other parts of the program use to talk to the monitor orchestration: the orchestrator, its external
 * events and its activities. Changing one breaks running instances (their history records these names).
 */

/** Prefix of every name we register: a user's own orchestrations and activities on a shared task hub cannot collide. */
const NAME_PREFIX = "DurableMonitorTui.";

/** The orchestrator's registered name: `Engine.start` schedules this. */
export const MONITOR_ORCHESTRATOR = `${NAME_PREFIX}Monitor`;
/**
 * The name releases before 0.2 used. Instances stored under it keep working on the embedded hub (see
 * `registerMonitor`'s `legacyNames`); nothing new is scheduled under it.
 */
export const LEGACY_MONITOR_ORCHESTRATOR = "monitor";

/** External event: wake a sleeping monitor and check at once (no data). */
export const EVENT_POLL_NOW = "poll-now";
/** External event: change the polling interval; data is the number of seconds (> 0), or `{ seconds }`. */
export const EVENT_SET_INTERVAL = "set-interval";

/** The `http` monitor's one POST to `startUrl` (its own durable step, never repeated); the same for both orchestrators. */
export const ACTIVITY_START_HTTP_JOB = `${NAME_PREFIX}StartHttpJob`;

/** The activities one orchestrator calls: a check per monitor kind, plus the alert. */
export interface MonitorActivityNames {
  check: { simulated: string; http: string; "github-issues": string; command: string };
  sendAlert: string;
}

export const MONITOR_ACTIVITY_NAMES: MonitorActivityNames = {
  check: {
    simulated: `${NAME_PREFIX}CheckSimulated`,
    http: `${NAME_PREFIX}CheckHttp`,
    "github-issues": `${NAME_PREFIX}CheckGithubIssues`,
    command: `${NAME_PREFIX}CheckCommand`,
  },
  sendAlert: `${NAME_PREFIX}SendAlert`,
};

/** What the legacy `monitor` orchestrator calls (its stored histories name these; replays must call the same). */
export const LEGACY_MONITOR_ACTIVITY_NAMES: MonitorActivityNames = {
  check: { simulated: "checkSimulated", http: "checkHttp", "github-issues": "checkGithubIssues", command: "checkCommand" },
  sendAlert: "sendAlert",
};

/** Whether an orchestration of this name is one of our monitors (current or legacy name). Never compare names yourself. */
export function isOwnMonitorOrchestration(name: string | undefined): boolean {
  return name === MONITOR_ORCHESTRATOR || name === LEGACY_MONITOR_ORCHESTRATOR;
}

/** Whether an activity of this name is one of our checks (current or legacy name): history shows these as checks. */
export function isCheckActivity(name: string): boolean {
  return CHECK_ACTIVITY_NAMES.has(name);
}

const CHECK_ACTIVITY_NAMES = new Set<string>([...Object.values(MONITOR_ACTIVITY_NAMES.check), ...Object.values(LEGACY_MONITOR_ACTIVITY_NAMES.check)]);

/**
 * How many checks one execution of a monitor started now performs before it continues as new (its input names it, so
 * a monitor keeps the number it started with). The SDK decodes and replays an execution's whole history at every
 * turn, so a check costs more the longer the history: 100 monitors checking every second cost the worker and hub
 * 4.6–4.8 ms of CPU per check at 20, 3.7–3.9 at 10, 3.2–3.3 at 5 (2026-12-02, interleaved runs). 10 keeps most of that
 * and still shows ten checks in a history (the details screen, `history ID`).
 */
export const CHECKS_PER_EXECUTION = 10;
/**
 * What monitors started by earlier builds use (their inputs name no number): they keep the cadence they started with.
 * (Replays no longer depend on it: the orchestrator decides to continue as new only on new events.)
 */
export const LEGACY_CHECKS_PER_EXECUTION = 20;
/** The most an input may name (a larger number is ignored: the legacy one applies). */
export const MAX_CHECKS_PER_EXECUTION = 1000;
/** How many recent points the custom status carries (the sparkline). */
export const RECENT_POINTS = 20;
