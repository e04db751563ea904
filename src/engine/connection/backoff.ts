/** The share of a reconnect delay that is randomised, as the SDK's own worker backoff (10 %). */
const RECONNECT_JITTER = 0.1;

/**
 * The one exponential backoff (worker reconnects, the watcher's failed refreshes, waiting for the config lock): the
 * delay before retry `attempt` (0-based) is `minMs` doubling up to `maxMs`, then moved by up to ±`jitter` of itself
 * so that a fleet of workers cut off by the same outage does not reconnect in lockstep.
 * `random` returns a number in [0, 1) (Math.random; tests inject their own). Never negative.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random, jitter = RECONNECT_JITTER): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(attempt, 0), 16));
  return Math.max(0, Math.round(base + base * jitter * (random() * 2 - 1)));
}
