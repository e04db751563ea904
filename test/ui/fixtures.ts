/** Snapshots built the way the engine reports them, for store and layout tests (no engine needed). */
import type { MonitorSnapshot, MonitorStatus, RuntimeStatus, FinalStatus } from "../../src/engine/types.js";

export interface SnapOptions {
  id: string;
  jobId?: string;
  runtimeStatus?: RuntimeStatus;
  finalStatus?: FinalStatus;
  progress?: number;
  checkCount?: number;
  /** Seconds ago the instance was created. */
  ageSeconds?: number;
  timeoutSeconds?: number;
  alerted?: boolean;
  kind?: "simulated" | "http";
  now?: number;
}

export function snap(o: SnapOptions): MonitorSnapshot {
  const now = o.now ?? Date.now();
  const created = new Date(now - (o.ageSeconds ?? 10) * 1000);
  const timeoutSeconds = o.timeoutSeconds ?? 60;
  const jobId = o.jobId ?? o.id;
  const runtimeStatus = o.runtimeStatus ?? "Running";
  const spec: NonNullable<MonitorSnapshot["spec"]> =
    o.kind === "http"
      ? ({
          kind: "http",
          jobId,
          pollingIntervalSeconds: 5,
          timeoutSeconds,
          maxConsecutiveFailures: 3,
          target: {
            url: "https://jobs.example.com/api/jobs/42",
            method: "GET",
            statusPath: "status",
            successValues: ["Completed"],
            failureValues: ["Failed"],
            doneOn2xx: false,
            requestTimeoutSeconds: 10,
          },
        } as const)
      : ({
          kind: "simulated",
          jobId,
          pollingIntervalSeconds: 5,
          timeoutSeconds,
          maxConsecutiveFailures: 3,
          target: { durationSeconds: 20, queuedSeconds: 0 },
        } as const);
  void 0;
  const customStatus: MonitorStatus = {
    jobId,
    kind: spec.kind,
    status: "Running",
    progress: o.kind === "http" ? undefined : (o.progress ?? 40),
    checkCount: o.checkCount ?? 3,
    lastCheckTime: new Date(now - 2000).toISOString(),
    nextCheckAt: new Date(now + 3000).toISOString(),
    deadline: new Date(created.getTime() + timeoutSeconds * 1000).toISOString(),
    intervalSeconds: 5,
    consecutiveFailures: 0,
    recent: [10, 20, 30, 40].map((p, i) => ({ t: new Date(now - (4 - i) * 5000).toISOString(), progress: p, status: "Running" as const })),
    alerted: o.alerted,
  };
  return {
    instanceId: o.id,
    name: "monitor",
    spec,
    runtimeStatus,
    customStatus,
    output:
      o.finalStatus !== undefined
        ? {
            jobId,
            finalStatus: o.finalStatus,
            checksPerformed: customStatus.checkCount,
            monitoringDurationSeconds: 10,
            lastStatus: { status: "Completed", progress: 100 },
          }
        : undefined,
    createdAt: created,
    updatedAt: new Date(now),
  };
}
