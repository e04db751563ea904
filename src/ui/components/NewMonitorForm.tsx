import React, { useReducer, useState } from "react";
import { Box, Text, useInput } from "ink";
import { MONITOR_KINDS } from "../../engine/monitor/spec.js";
import { useDispatch, useSettings } from "../context.js";
import { fit } from "../format.js";
import { commandFor } from "../keys.js";
import { useMonitorActions } from "../hooks/useMonitorActions.js";
import { formFields, formReducer, initialFormState, validateForm, type FormAction, type FormState } from "../state/form.js";

const KIND_HELP: Record<(typeof MONITOR_KINDS)[number], string> = {
  simulated: "a fake job that progresses to 100% (try the dashboard without any external system)",
  http: "polls a job-status URL and reads its status (and progress) from the JSON",
  "github-issues": "alerts when a repository has at least N open issues",
  command: "runs a shell command; exit 0 means done",
};

/**
 * The new-monitor form: pick a kind, then fill its fields (the profile's defaults pre-filled).
 * Validated as you type by the engine's schema; Enter launches, Esc cancels. Only it listens while open.
 */
export function NewMonitorForm({ isActive, height }: { isActive: boolean; height: number }) {
  const settings = useSettings();
  const dispatch = useDispatch();
  const actions = useMonitorActions();
  const [state, send] = useReducer(
    (s: FormState, a: FormAction) => formReducer(s, a, settings.defaults),
    settings.defaults,
    initialFormState,
  );
  const [launching, setLaunching] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const validation = state.step === "fields" ? validateForm(state.kind, state.values, settings.defaults) : undefined;

  useInput(
    (input, key) => {
      if (launching) return;
      if (state.step === "kind") {
        switch (commandFor(["nav.up", "nav.down", "form.submit", "form.cancel"], input, key)) {
          case "nav.up":
            send({ type: "moveKind", delta: -1 });
            return;
          case "nav.down":
            send({ type: "moveKind", delta: 1 });
            return;
          case "form.submit":
            send({ type: "chooseKind" });
            return;
          case "form.cancel":
            dispatch({ type: "close" });
            return;
        }
        return;
      }
      switch (commandFor(["form.submit", "form.cancel", "form.prev", "form.next", "form.erase"], input, key)) {
        case "form.submit":
          setSubmitted(true);
          if (validation?.spec) {
            const spec = validation.spec;
            setLaunching(true);
            void actions.start(spec).then((ok) => {
              setLaunching(false);
              if (ok) dispatch({ type: "close" });
            });
          }
          return;
        case "form.cancel":
          dispatch({ type: "close" });
          return;
        case "form.prev":
          send({ type: "focus", delta: -1 });
          return;
        case "form.next":
          send({ type: "focus", delta: 1 });
          return;
        case "form.erase":
          send({ type: "erase" });
          return;
        case undefined:
          if (key.ctrl || key.meta || key.escape || key.leftArrow || key.rightArrow) return;
          // Fast typing or a paste arrives as one chunk: Tab and Backspace inside it still act.
          for (const ch of input) {
            if (ch === "\t") send({ type: "focus", delta: 1 });
            else if (ch === "\u007f" || ch === "\b") send({ type: "erase" });
            else send({ type: "typeText", text: ch });
          }
      }
    },
    { isActive },
  );

  const accent = settings.color ? "cyan" : undefined;
  if (state.step === "kind") {
    return (
      <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
        <Text bold color={accent}>
          New monitor — choose a kind (↑/↓, Enter; Esc cancels)
        </Text>
        {MONITOR_KINDS.map((kind, i) => (
          <Text key={kind} inverse={i === state.kindIndex} wrap="truncate-end">
            {`${i === state.kindIndex ? "›" : " "} ${kind.padEnd(14)} `}
            <Text dimColor={i !== state.kindIndex}>{KIND_HELP[kind]}</Text>
          </Text>
        ))}
      </Box>
    );
  }

  const fields = formFields(state.kind);
  const errors = validation?.errors ?? {};
  const errorCount = Object.keys(errors).length;
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold color={accent}>
        {`New ${state.kind} monitor — Tab/↓ next field · Enter launch · Esc cancel`}
      </Text>
      {fields.map((field, i) => {
        const focused = i === state.focus;
        const value = state.values[field.path] ?? "";
        const error = errors[field.path];
        return (
          <Text key={field.path} wrap="truncate-end">
            {focused ? "› " : "  "}
            <Text bold={focused}>{fit(field.label, 20, true)}</Text>
            <Text inverse={focused}>{` ${value}${focused ? "▏" : ""} `}</Text>
            {error ? (
              <Text color={settings.color ? "red" : undefined}>{`  ✗ ${error}`}</Text>
            ) : field.hint && !value ? (
              <Text dimColor>{`  ${field.hint}`}</Text>
            ) : null}
          </Text>
        );
      })}
      {errors[""] ? <Text color={settings.color ? "red" : undefined}>{`✗ ${errors[""]}`}</Text> : null}
      <Text dimColor={!submitted || errorCount === 0}>
        {launching
          ? "Launching…"
          : errorCount
            ? `${errorCount} field${errorCount === 1 ? "" : "s"} to fix before launching`
            : "Ready: Enter launches"}
      </Text>
    </Box>
  );
}
