/**
 * The engine adapter for actions: each one calls the Engine, then reports its result (or error) in the footer
 * through the store. Never throws; errors end up in `lastResult` (and the log file, via the engine).
 */
import { useMemo } from "react";
import { errorMessage } from "../../errors.js";
import type { MonitorSpecInput } from "../../engine/types.js";
import { useEngine, useStoreApi, type DashboardEngine } from "../context.js";
import { article, jobLabel } from "../format.js";
import { displayStatus } from "../state/status.js";
import type { DashboardStoreApi } from "../state/store.js";
import { controlEvents } from "../../engine/monitor/convention.js";
import { isOwnMonitorOrchestration } from "../../engine/monitor/names.js";

export interface MonitorActions {
  start(spec: MonitorSpecInput, label?: string): Promise<boolean>;
  terminate(ids: string[], reason?: string): Promise<void>;
  /** Suspends running ones and resumes suspended ones. */
  toggleSuspend(ids: string[]): Promise<void>;
  pollNow(id: string): Promise<void>;
  setInterval(id: string, seconds: number): Promise<void>;
  purge(ids: string[]): Promise<void>;
  restart(id: string): Promise<void>;
  /** Raises any event, with an optional payload, on any orchestration. */
  raise(id: string, eventName: string, data?: unknown): Promise<void>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What the actions share: reporting in the footer, naming a monitor, its control events, and the engine. */
function actionHelpers(engine: DashboardEngine | undefined, store: DashboardStoreApi) {
  const report = (kind: "ok" | "error" | "info", text: string) => store.getState().dispatch({ type: "result", result: { kind, text } });
  const label = (id: string) => {
    const m = store.getState().monitors.get(id);
    return m ? jobLabel(m) : id;
  };
  const eventsOf = (id: string) => {
    const m = store.getState().monitors.get(id);
    return m ? controlEvents(m) : {};
  };
  const isOwn = (id: string) => isOwnMonitorOrchestration(store.getState().monitors.get(id)?.name ?? "");
  const need = (): DashboardEngine => {
    if (!engine) throw new Error("not connected to an engine");
    return engine;
  };
  /**
   * Runs `op` on each id; reports one line: what worked (`done`, e.g. "Terminated"), and the first error ("Could not
   * <failed> …", e.g. "terminate").
   */
  const each = async (ids: string[], done: string, failed: string, op: (e: DashboardEngine, id: string) => Promise<unknown>) => {
    let ok = 0;
    let firstError: string | undefined;
    for (const id of ids) {
      try {
        await op(need(), id);
        ok++;
      } catch (error) {
        firstError ??= `${label(id)}: ${errorMessage(error)}`;
      }
    }
    const what = ids.length === 1 ? label(ids[0]!) : plural(ok, "monitor");
    if (firstError) report("error", ok ? `${done} ${what}; failed: ${firstError}` : `Could not ${failed} ${firstError}`);
    else report("ok", `${done} ${what}`);
  };
  return { report, label, eventsOf, isOwn, need, each };
}

function monitorActions(engine: DashboardEngine | undefined, store: DashboardStoreApi): MonitorActions {
  const { report, label, eventsOf, isOwn, need, each } = actionHelpers(engine, store);
  return {
    async start(spec, what) {
      try {
        const id = await need().start(spec);
        store.getState().dispatch({ type: "selectWhenSeen", instanceId: id });
        report("ok", `Started ${what ?? spec.jobId ?? `${article(spec.kind)} ${spec.kind} monitor`} (instance ${id})`);
        return true;
      } catch (error) {
        report("error", `Could not start: ${errorMessage(error)}`);
        return false;
      }
    },
    terminate: (ids, reason) => each(ids, "Terminated", "terminate", (e, id) => e.terminate(id, reason || undefined)),
    async toggleSuspend(ids) {
      const suspended = (id: string) => {
        const m = store.getState().monitors.get(id);
        return m !== undefined && displayStatus(m) === "Suspended";
      };
      const toResume = ids.filter(suspended);
      const toSuspend = ids.filter((id) => !suspended(id));
      if (toSuspend.length) await each(toSuspend, "Suspended", "suspend", (e, id) => e.suspend(id));
      if (toResume.length) await each(toResume, "Resumed", "resume", (e, id) => e.resume(id));
    },
    pollNow: (id) =>
      each([id], "Asked for a check now:", "ask for a check now:", (e, i) => {
        const event = eventsOf(i).checkNow;
        return isOwn(i) || !event ? e.pollNow(i) : e.raise(i, event);
      }),
    setInterval: (id, seconds) =>
      each([id], `Interval set to ${seconds}s for`, "set the interval of", (e, i) => {
        const event = eventsOf(i).setInterval;
        return isOwn(i) || !event ? e.setInterval(i, seconds) : e.raise(i, event, seconds);
      }),
    raise: (id, eventName, data) => each([id], `Raised ${eventName} on`, `raise ${eventName} on`, (e, i) => e.raise(i, eventName, data)),
    async purge(ids) {
      let deleted = 0;
      let firstError: string | undefined;
      for (const id of ids) {
        try {
          deleted += await need().purge(id);
        } catch (error) {
          firstError ??= `${label(id)}: ${errorMessage(error)}`;
        }
      }
      report(firstError ? "error" : "ok", `Purged ${plural(deleted, "monitor")}${firstError ? `; failed: ${firstError}` : ""}`);
    },
    async restart(id) {
      try {
        // A new instance id: the finished run stays, with its output or failure, and the new one names it (details).
        const newId = await need().restart(id, { newInstanceId: true });
        store.getState().dispatch({ type: "selectWhenSeen", instanceId: newId });
        report("ok", `Restarted ${label(id)}${newId !== id ? ` as ${newId}` : ""}`);
      } catch (error) {
        report("error", `Could not restart ${label(id)}: ${errorMessage(error)}`);
      }
    },
  };
}

export function useMonitorActions(): MonitorActions {
  const engine = useEngine();
  const store = useStoreApi();
  return useMemo(() => monitorActions(engine, store), [engine, store]);
}
