/**
 * The `Idempotency-Key` header every side-effecting POST carries (an alert, a job start). Durable Task runs an
 * activity at least once: after a crash the same step can be sent again, and a receiver that remembers keys can
 * drop the repeat. The key names the instance, the step and the run (`startedAt`: a restart of the same instance id
 * is a new run whose alert must not be dropped).
 */
export const IDEMPOTENCY_HEADER = "idempotency-key";

type SideEffectStep = "alert" | "start-job";

/** `<instanceId>:<step>@<startedAt>`, the same on every attempt of that step. */
export function idempotencyKey(instanceId: string, step: SideEffectStep, startedAt: string): string {
  return `${instanceId}:${step}@${startedAt}`;
}
