/**
 * The dialogs that open in the footer's place (filter, confirmations, prompts for an interval or an event), one
 * function each; the footer itself when none is open.
 */
import React, { useCallback } from "react";
import { useDashboard, useDispatch, useStoreApi } from "../context.js";
import { useMonitorActions, type MonitorActions } from "../hooks/useMonitorActions.js";
import { keyLabel } from "../keys.js";
import type { DashboardState, Screen } from "../state/store.js";
import { intervalIssue } from "../../engine/monitor/spec.js";
import { jobLabel } from "../format.js";
import { Footer } from "./Footer.js";
import { Confirm, Prompt } from "./Prompt.js";

/** How the prompts name their keys (from the keymap). */
const ENTER = keyLabel("form.submit");
const ESC = keyLabel("form.cancel");

interface DialogContext {
  state: DashboardState;
  dispatch: ReturnType<typeof useDispatch>;
  close: () => void;
  /** Closes a dialog that acted on the marked rows, and clears the marks. */
  closeMarked: () => void;
  actions: MonitorActions;
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

function what(ids: string[], state: DashboardState): string {
  if (ids.length === 1) {
    const m = state.monitors.get(ids[0]!);
    return m ? jobLabel(m) : ids[0]!;
  }
  return `${ids.length} monitors`;
}

function filterPrompt(c: DialogContext): React.ReactNode {
  const { state, dispatch, close } = c;
  return (
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
}

function terminatePrompt(screen: Extract<Screen, { name: "confirmTerminate" }>, c: DialogContext): React.ReactNode {
  const { state, close, closeMarked, actions } = c;
  return (
    <Prompt
      key="terminate"
      isActive
      title={`Terminate ${what(screen.ids, state)}? Reason (optional), ${ENTER} to terminate, ${ESC} to keep it running:`}
      hint={`${ENTER} terminates · ${ESC} cancels`}
      onSubmit={(reason) => {
        closeMarked();
        void actions.terminate(screen.ids, reason.trim() || undefined);
      }}
      onCancel={close}
    />
  );
}

function purgeConfirm(screen: Extract<Screen, { name: "confirmPurge" }>, c: DialogContext): React.ReactNode {
  const { state, close, closeMarked, actions } = c;
  const title = `Purge ${what(screen.ids, state)} and their history? This cannot be undone.`;
  return (
    <Confirm
      key="purge"
      isActive
      title={title}
      onYes={() => {
        closeMarked();
        void actions.purge(screen.ids);
      }}
      onNo={close}
    />
  );
}

function restartConfirm(screen: Extract<Screen, { name: "confirmRestart" }>, c: DialogContext): React.ReactNode {
  const { state, close, actions } = c;
  return (
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
}

function intervalPrompt(screen: Extract<Screen, { name: "setInterval" }>, c: DialogContext): React.ReactNode {
  const { state, close, actions } = c;
  const current = state.monitors.get(screen.instanceId)?.customStatus?.intervalSeconds;
  return (
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
}

function raiseEventPrompt(screen: Extract<Screen, { name: "raiseEvent" }>, c: DialogContext): React.ReactNode {
  const { state, dispatch, close, actions } = c;
  const target = what([screen.instanceId], state);
  const eventName = screen.eventName;
  return eventName === undefined ? (
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
}

/** The open dialog, or the footer (keys that apply, last result) when none is. */
export function DialogOrFooter({ width }: { width: number }) {
  const store = useStoreApi();
  const dispatch = useDispatch();
  const actions = useMonitorActions();
  const screen = useDashboard((s) => s.screen);
  const close = useCallback(() => dispatch({ type: "close" }), [dispatch]);
  const closeMarked = () => {
    close();
    dispatch({ type: "clearMarks" });
  };
  const c: DialogContext = { state: store.getState(), dispatch, close, closeMarked, actions };
  switch (screen.name) {
    case "filter":
      return filterPrompt(c);
    case "confirmTerminate":
      return terminatePrompt(screen, c);
    case "confirmPurge":
      return purgeConfirm(screen, c);
    case "confirmRestart":
      return restartConfirm(screen, c);
    case "setInterval":
      return intervalPrompt(screen, c);
    case "raiseEvent":
      return raiseEventPrompt(screen, c);
    default:
      return <Footer width={width} />;
  }
}
