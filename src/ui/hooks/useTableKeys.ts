/**
 * The table screen's keys (and, with `detailsOf`, the monitor actions of the details screen). Every monitor command
 * first asks `applies` what it acts on: the same answer the footer's hints come from, so a refused key says why.
 */
import { useApp } from "ink";
import { applies, selectionOf } from "../applies.js";
import { useDispatch, useSettings, useStoreApi } from "../context.js";
import { useCommands } from "../keypress.js";
import type { Command } from "../keys.js";
import type { DashboardState } from "../state/store.js";
import { MONITOR_ACTIONS, TABLE_COMMANDS } from "../views.js";
import { useMonitorActions, type MonitorActions } from "./useMonitorActions.js";

type Dispatch = ReturnType<typeof useDispatch>;

/** Runs a command that `applies` let through, on the instances it named. */
function runMonitorCommand(cmd: Command, ids: string[], dispatch: Dispatch, actions: MonitorActions): void {
  const [first] = ids;
  switch (cmd) {
    case "view.details":
      return dispatch({ type: "open", screen: { name: "details", instanceId: first! } });
    case "monitor.terminate":
      return dispatch({ type: "open", screen: { name: "confirmTerminate", ids } });
    case "monitor.suspendResume":
      void actions.toggleSuspend(ids);
      return;
    case "monitor.pollNow":
      void actions.pollNow(first!);
      return;
    case "monitor.setInterval":
      return dispatch({ type: "open", screen: { name: "setInterval", instanceId: first! } });
    case "monitor.raise":
      return dispatch({ type: "open", screen: { name: "raiseEvent", instanceId: first! } });
    case "monitor.purge":
      return dispatch({ type: "open", screen: { name: "confirmPurge", ids } });
    case "monitor.restart":
      return dispatch({ type: "open", screen: { name: "confirmRestart", instanceId: first! } });
    case "list.mark":
      return dispatch({ type: "toggleMark" });
  }
}

/** The table's commands that need no monitor: moving, the list's filter and sort, opening screens, quitting. */
function runListCommand(cmd: Command, state: DashboardState, dispatch: Dispatch, pageSize: number, exit: () => void): void {
  switch (cmd) {
    case "nav.up":
      return dispatch({ type: "move", to: "up" });
    case "nav.down":
      return dispatch({ type: "move", to: "down" });
    case "nav.first":
      return dispatch({ type: "move", to: "first" });
    case "nav.last":
      return dispatch({ type: "move", to: "last" });
    case "nav.pageUp":
      return dispatch({ type: "move", to: "pageUp", page: pageSize });
    case "nav.pageDown":
      return dispatch({ type: "move", to: "pageDown", page: pageSize });
    case "view.back":
      if (state.marked.size) dispatch({ type: "clearMarks" });
      else if (state.filterText) dispatch({ type: "setFilterText", text: "" });
      return;
    case "monitor.new":
      return dispatch({ type: "open", screen: { name: "form" } });
    case "monitor.preset":
      return dispatch({ type: "open", screen: { name: "presets" } });
    case "list.filter":
      return dispatch({ type: "open", screen: { name: "filter" } });
    case "list.statusFilter":
      return dispatch({ type: "cycleStatusFilter" });
    case "list.sort":
      return dispatch({ type: "cycleSort" });
    case "app.help":
      return dispatch({ type: "open", screen: { name: "help" } });
    case "app.quit":
      return exit();
  }
}

/**
 * The table screen's keys, active only while the table has the focus (no form, dialog or overlay open); or, with
 * `detailsOf`, the actions of the details screen on that one instance (marks do not apply there).
 */
export function useTableKeys(isActiveNow: boolean, pageSize: number, detailsOf?: string): void {
  const { exit } = useApp();
  const store = useStoreApi();
  const dispatch = useDispatch();
  const { readonly } = useSettings();
  const actions = useMonitorActions();
  const handle = (cmd: Command): void => {
    const state = store.getState();
    const verdict = applies(cmd, selectionOf(state, readonly, detailsOf));
    if (!verdict.ok) return dispatch({ type: "result", result: { kind: "info", text: verdict.reason } });
    if (verdict.ids.length) runMonitorCommand(cmd, verdict.ids, dispatch, actions);
    else runListCommand(cmd, state, dispatch, pageSize, exit);
  };
  useCommands(detailsOf ? MONITOR_ACTIONS : TABLE_COMMANDS, handle, { isActive: isActiveNow });
}
