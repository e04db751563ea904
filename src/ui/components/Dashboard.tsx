import React, { useCallback, useRef } from "react";
import { Box, useApp } from "ink";
import { useDashboard, useDispatch, useSettings, useStoreApi } from "../context.js";
import { useBell, useEngineFeed } from "../hooks/useEngineFeed.js";
import { KeyPriority, useCommands } from "../keypress.js";
import { useMonitorActions } from "../hooks/useMonitorActions.js";
import { useTableKeys } from "../hooks/useTableKeys.js";
import { useTerminalSize } from "../hooks/useTerminalSize.js";
import { keyLabel } from "../keys.js";
import { FOOTER_LINES, HEADER_LINES, tableBodyHeight } from "../layout.js";
import { intervalIssue } from "../../engine/monitor/spec.js";
import { jobLabel } from "../format.js";
import { Details } from "./Details.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { HelpOverlay } from "./HelpOverlay.js";
import { MonitorTable } from "./MonitorTable.js";
import { NewMonitorForm } from "./NewMonitorForm.js";
import { PresetPicker } from "./PresetPicker.js";
import { TooSmall } from "./TooSmall.js";
import { Confirm, Prompt } from "./Prompt.js";

/** How the prompts name their keys (from the keymap). */
const ENTER = keyLabel("form.submit");
const ESC = keyLabel("form.cancel");

/** Keys that work on every full-screen view except forms: q quits from details and help too. */
function useQuitKey(isActiveNow: boolean): void {
  const { exit } = useApp();
  useCommands(["app.quit"], () => exit(), { isActive: isActiveNow, priority: KeyPriority.App });
}

/** Why a payload is not JSON, or undefined when it is (or is empty: no payload). */
function jsonPayloadError(text: string): string | undefined {
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
          hint={`matches job id, instance id, kind, target, status · ${ENTER} keeps it · ${ESC} clears it`}
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
          title={`Terminate ${what(screen.ids, state)}? Reason (optional), ${ENTER} to terminate, ${ESC} to keep it running:`}
          hint={`${ENTER} terminates · ${ESC} cancels`}
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
            hint={`${ENTER} goes on to the payload · ${ESC} cancels`}
            validate={(text) => (text.trim() ? undefined : "type the event's name")}
            onSubmit={(text) => dispatch({ type: "open", screen: { ...screen, eventName: text.trim() } })}
            onCancel={close}
          />
        ) : (
          <Prompt
            key="event-payload"
            isActive
            title={`Payload of ${eventName} for ${target}, as JSON (empty for none):`}
            hint={`e.g. {"approved": true} · 42 · "text" · ${ENTER} raises · ${ESC} cancels`}
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
