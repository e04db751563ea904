/**
 * The names other parts of the program use to talk to the monitor orchestration: the orchestrator, its external
 * events and its activities. Changing one breaks running instances (their history records these names).
 */

/** The orchestrator's registered name: `Engine.start` schedules this. */
export const MONITOR_ORCHESTRATOR = "monitor";

/** External event: wake a sleeping monitor and check at once (no data). */
export const EVENT_POLL_NOW = "poll-now";
/** External event: change the polling interval; data is the number of seconds (> 0), or `{ seconds }`. */
export const EVENT_SET_INTERVAL = "set-interval";

/** Activity names, one per check kind, plus the alert. */
export const ACTIVITY_CHECK_SIMULATED = "checkSimulated";
export const ACTIVITY_CHECK_HTTP = "checkHttp";
export const ACTIVITY_CHECK_GITHUB_ISSUES = "checkGithubIssues";
export const ACTIVITY_CHECK_COMMAND = "checkCommand";
export const ACTIVITY_SEND_ALERT = "sendAlert";
/** The `http` monitor's one POST to `startUrl` (its own durable step, never repeated). */
export const ACTIVITY_START_HTTP_JOB = "DurableMonitorTui.StartHttpJob";

/** The check activity for each monitor kind. */
export const CHECK_ACTIVITY_BY_KIND = {
  simulated: ACTIVITY_CHECK_SIMULATED,
  http: ACTIVITY_CHECK_HTTP,
  "github-issues": ACTIVITY_CHECK_GITHUB_ISSUES,
  command: ACTIVITY_CHECK_COMMAND,
} as const;

/** Every activity `registerMonitor` registers. */
export const MONITOR_ACTIVITIES = [
  ACTIVITY_CHECK_SIMULATED,
  ACTIVITY_CHECK_HTTP,
  ACTIVITY_CHECK_GITHUB_ISSUES,
  ACTIVITY_CHECK_COMMAND,
  ACTIVITY_SEND_ALERT,
  ACTIVITY_START_HTTP_JOB,
] as const;

/** How many checks one execution performs before it continues as new (keeps the history short). */
export const CHECKS_PER_EXECUTION = 20;
/** How many recent points the custom status carries (the sparkline). */
export const RECENT_POINTS = 20;
