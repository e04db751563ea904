import React, { useCallback, useRef } from "react";
import { Box, useApp } from "ink";
import { useDashboard, useDispatch, useSettings, useStoreApi } from "../context.js";
import { useBell, useEngineFeed } from "../hooks/useEngineFeed.js";
import { KeyPriority, useCommands } from "../keypress.js";
import { useMonitorActions } from "../hooks/useMonitorActions.js";
import { useTerminalSize } from "../hooks/useTerminalSize.js";
import { KEYMAP, keysLabel, type Command } from "../keys.js";
import { FOOTER_LINES, HEADER_LINES, tableBodyHeight } from "../layout.js";
import { selectSelected, selectTargets } from "../state/selectors.js";
import { displayStatus, isActive, isTerminal } from "../state/status.js";
import { intervalIssue } from "../../engine/monitor/spec.js";
import { jobLabel } from "../format.js";
import { controlEvents } from "../../engine/monitor/convention.js";
import { Details } from "./Details.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { HelpOverlay } from "./HelpOverlay.js";
import { MonitorTable } from "./MonitorTable.js";
import { NewMonitorForm } from "./NewMonitorForm.js";
import { PresetPicker } from "./PresetPicker.js";
import { TooSmall } from "./TooSmall.js";
import { Confirm, Prompt } from "./Prompt.js";

/** The actions that also work on the details screen, on the instance shown. */
const DETAILS_COMMANDS: readonly Command[] = [
  "monitor.terminate",
  "monitor.suspendResume",
  "monitor.pollNow",
  "monitor.setInterval",
  "monitor.purge",
  "monitor.restart",
  "monitor.raise",
];

const TABLE_COMMANDS: readonly Command[] = [
  "nav.up",
  "nav.down",
  "nav.first",
  "nav.last",
  "nav.pageUp",
  "nav.pageDown",
  "view.details",
  "view.back",
  "monitor.new",
  "monitor.preset",
  ...DETAILS_COMMANDS,
  "list.filter",
  "list.statusFilter",
  "list.sort",
  "list.mark",
  "app.help",
  "app.quit",
];

/**
 * The table screen's keys, active only while the table has the focus (no form, dialog or overlay open); or, with
 * `detailsOf`, the actions of the details screen on that one instance (marks do not apply there).
 */
function useTableKeys(isActiveNow: boolean, pageSize: number, detailsOf?: string): void {
  const { exit } = useApp();
  const store = useStoreApi();
  const dispatch = useDispatch();
  const { readonly } = useSettings();
  const actions = useMonitorActions();
  const handle = (cmd: Command): void => {
    const state = store.getState();
    const info = (text: string) => dispatch({ type: "result", result: { kind: "info", text } });
    if (readonly && (KEYMAP[cmd] as { mutates?: boolean }).mutates) {
      info(`Read-only: ${keysLabel(cmd)} (${KEYMAP[cmd].description}) is disabled — started with --readonly`);
      return;
    }
    const selected = detailsOf ? state.monitors.get(detailsOf) : selectSelected(state);
    const targets = (): string[] => (detailsOf ? (selected ? [detailsOf] : []) : selectTargets(state));
    const needSelected = () => {
      if (!selected) info("No monitor selected");
      return selected;
    };
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
      case "view.details": {
        const m = needSelected();
        if (m) dispatch({ type: "open", screen: { name: "details", instanceId: m.instanceId } });
        return;
      }
      case "view.back":
        if (state.marked.size) dispatch({ type: "clearMarks" });
        else if (state.filterText) dispatch({ type: "setFilterText", text: "" });
        return;
      case "monitor.new":
        return dispatch({ type: "open", screen: { name: "form" } });
      case "monitor.preset":
        return dispatch({ type: "open", screen: { name: "presets" } });
      case "monitor.terminate": {
        const ids = targets().filter((id) => isActive(displayStatus(state.monitors.get(id)!)));
        if (!ids.length) return info("Nothing to terminate: only running, pending or suspended monitors can be");
        return dispatch({ type: "open", screen: { name: "confirmTerminate", ids } });
      }
      case "monitor.suspendResume": {
        const ids = targets().filter((id) => isActive(displayStatus(state.monitors.get(id)!)));
        if (!ids.length) return info("Nothing to suspend or resume: the monitor has finished");
        void actions.toggleSuspend(ids);
        return;
      }
      case "monitor.pollNow": {
        const m = needSelected();
        if (!m) return;
        const status = displayStatus(m);
        if (!controlEvents(m).checkNow) return info(`${jobLabel(m)} (${m.name}) declares no check-now event: raise one with e`);
        if (status !== "Running" && status !== "Queued" && status !== "Pending") return info(`${jobLabel(m)} is not running`);
        void actions.pollNow(m.instanceId);
        return;
      }
      case "monitor.setInterval": {
        const m = needSelected();
        if (!m) return;
        if (!controlEvents(m).setInterval) return info(`${jobLabel(m)} (${m.name}) declares no set-interval event: raise one with e`);
        if (!isActive(displayStatus(m))) return info(`${jobLabel(m)} has finished`);
        return dispatch({ type: "open", screen: { name: "setInterval", instanceId: m.instanceId } });
      }
      case "monitor.raise": {
        const m = needSelected();
        if (!m) return;
        if (!isActive(displayStatus(m))) return info(`${jobLabel(m)} has finished: events reach only running, pending or suspended instances`);
        return dispatch({ type: "open", screen: { name: "raiseEvent", instanceId: m.instanceId } });
      }
      case "monitor.purge": {
        const ids = targets().filter((id) => isTerminal(state.monitors.get(id)!));
        if (!ids.length) return info("Only finished monitors (completed, failed, terminated) can be purged");
        return dispatch({ type: "open", screen: { name: "confirmPurge", ids } });
      }
      case "monitor.restart": {
        const m = needSelected();
        if (m) dispatch({ type: "open", screen: { name: "confirmRestart", instanceId: m.instanceId } });
        return;
      }
      case "list.filter":
        return dispatch({ type: "open", screen: { name: "filter" } });
      case "list.statusFilter":
        return dispatch({ type: "cycleStatusFilter" });
      case "list.sort":
        return dispatch({ type: "cycleSort" });
      case "list.mark":
        return dispatch({ type: "toggleMark" });
      case "app.help":
        return dispatch({ type: "open", screen: { name: "help" } });
      case "app.quit":
        exit();
        return;
      default:
        return;
    }
  };
  useCommands(detailsOf ? DETAILS_COMMANDS : TABLE_COMMANDS, handle, { isActive: isActiveNow });
}

/** Keys that work on every full-screen view except forms: q quits from details and help too. */
function useQuitKey(isActiveNow: boolean): void {
  const { exit } = useApp();
  useCommands(["app.quit"], () => exit(), { isActive: isActiveNow, priority: KeyPriority.App });
}

/** Why a payload is not JSON, or undefined when it is (or is empty: no payload). */
export function jsonPayloadError(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `not JSON: ${error instanceof Error ? error.message : String(error)} (quote text: "like this")`;
  }
}

function what(ids: string[], state: ReturnType<ReturnType<typeof useStoreApi>["getState"]>): string {
  if (ids.length === 1) {
    const m = state.monitors.get(ids[0]!);
    return m ? jobLabel(m) : ids[0]!;
  }
  return `${ids.length} monitors`;
}

/** The whole screen: header, the current view, and the footer (or the open dialog in its place). */
export function Dashboard() {
  const settings = useSettings();
  const store = useStoreApi();
  const dispatch = useDispatch();
  const actions = useMonitorActions();
  const { columns, rows, tooSmall } = useTerminalSize();
  const screen = useDashboard((s) => s.screen);
  useEngineFeed();
  useBell(settings.bell);

  const bodyHeight = tableBodyHeight(rows);
  const tableTop = useRef(0);
  const viewHeight = rows - HEADER_LINES - FOOTER_LINES - 1;
  useTableKeys(screen.name === "table" && !tooSmall, bodyHeight);
  useTableKeys(screen.name === "details" && !tooSmall, bodyHeight, screen.name === "details" ? screen.instanceId : undefined);
  useQuitKey(tooSmall || screen.name === "details" || screen.name === "help");
  const close = useCallback(() => dispatch({ type: "close" }), [dispatch]);

  if (tooSmall) return <TooSmall columns={columns} rows={rows} />;

  let view: React.ReactNode;
  switch (screen.name) {
    case "details":
      view = <Details instanceId={screen.instanceId} isActive width={columns} height={viewHeight} />;
      break;
    case "form":
      view = <NewMonitorForm isActive height={viewHeight} />;
      break;
    case "presets":
      view = <PresetPicker isActive height={viewHeight} />;
      break;
    case "help":
      view = <HelpOverlay isActive width={columns} height={viewHeight} />;
      break;
    default:
      view = <MonitorTable width={columns} height={bodyHeight} topRef={tableTop} />;
  }

  let footer: React.ReactNode;
  const state = store.getState();
  switch (screen.name) {
    case "filter":
      footer = (
        <Prompt
          key="filter"
          isActive
          title="Filter:"
          initial={state.filterText}
          hint="matches job id, instance id, kind, target, status · Enter keeps it · Esc clears it"
          onChange={(text) => dispatch({ type: "setFilterText", text })}
          onSubmit={close}
          onCancel={() => {
            dispatch({ type: "setFilterText", text: "" });
            close();
          }}
        />
      );
      break;
    case "confirmTerminate":
      footer = (
        <Prompt
          key="terminate"
          isActive
          title={`Terminate ${what(screen.ids, state)}? Reason (optional), Enter to terminate, Esc to keep it running:`}
          hint="Enter terminates · Esc cancels"
          onSubmit={(reason) => {
            close();
            dispatch({ type: "clearMarks" });
            void actions.terminate(screen.ids, reason.trim() || undefined);
          }}
          onCancel={close}
        />
      );
      break;
    case "confirmPurge":
      footer = (
        <Confirm
          key="purge"
          isActive
          title={`Purge ${what(screen.ids, state)} and their history? This cannot be undone.`}
          onYes={() => {
            close();
            dispatch({ type: "clearMarks" });
            void actions.purge(screen.ids);
          }}
          onNo={close}
        />
      );
      break;
    case "confirmRestart":
      footer = (
        <Confirm
          key="restart"
          isActive
          title={`Restart ${what([screen.instanceId], state)}? It starts again under a new instance id; this run is kept.`}
          onYes={() => {
            close();
            void actions.restart(screen.instanceId);
          }}
          onNo={close}
        />
      );
      break;
    case "setInterval": {
      const current = state.monitors.get(screen.instanceId)?.customStatus?.intervalSeconds;
      footer = (
        <Prompt
          key="interval"
          isActive
          title={`New polling interval for ${what([screen.instanceId], state)} in seconds${current ? ` (now ${current})` : ""}:`}
          validate={(text) => {
            const t = text.trim();
            if (!t) return "type a number of seconds";
            const n = Number(t);
            if (!Number.isFinite(n)) return `"${t}" is not a number`;
            return intervalIssue(n);
          }}
          onSubmit={(text) => {
            close();
            void actions.setInterval(screen.instanceId, Number(text.trim()));
          }}
          onCancel={close}
        />
      );
      break;
    }
    case "raiseEvent": {
      const target = what([screen.instanceId], state);
      const eventName = screen.eventName;
      footer =
        eventName === undefined ? (
          <Prompt
            key="event-name"
            isActive
            title={`Raise an event on ${target}: its name:`}
            hint="Enter goes on to the payload · Esc cancels"
            validate={(text) => (text.trim() ? undefined : "type the event's name")}
            onSubmit={(text) => dispatch({ type: "open", screen: { ...screen, eventName: text.trim() } })}
            onCancel={close}
          />
        ) : (
          <Prompt
            key="event-payload"
            isActive
            title={`Payload of ${eventName} for ${target}, as JSON (empty for none):`}
            hint={'e.g. {"approved": true} · 42 · "text" · Enter raises · Esc cancels'}
            validate={(text) => jsonPayloadError(text)}
            onSubmit={(text) => {
              close();
              void actions.raise(screen.instanceId, eventName, text.trim() ? JSON.parse(text) : undefined);
            }}
            onCancel={close}
          />
        );
      break;
    }
    default:
      footer = <Footer width={columns} />;
  }

  return (
    <Box flexDirection="column" width={columns}>
      <Header width={columns} list={{ topRef: tableTop, height: bodyHeight }} />
      {view}
      {footer}
    </Box>
  );
}
