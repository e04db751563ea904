import React, { useRef, useState } from "react";
import { Box, Text, type Key } from "ink";
import { MONITOR_KINDS } from "../../engine/monitor/spec.js";
import { useDispatch, useSettings } from "../context.js";
import { fit } from "../format.js";
import { commandFor, keyLabel, keyLabels } from "../keys.js";
import { KeyPriority, pastedText, useKeypress, type Keypress } from "../keypress.js";
import { useMonitorActions } from "../hooks/useMonitorActions.js";
import { formFields, formReducer, initialFormState, validateForm, type FormAction, type FormState } from "../state/form.js";

const KIND_HELP: Record<(typeof MONITOR_KINDS)[number], string> = {
  simulated: "a fake job that progresses to 100% (try the dashboard without any external system)",
  http: "polls a job-status URL and reads its status (and progress) from the JSON",
  "github-issues": "alerts when a repository has more than N open issues",
  command: "runs a shell command; exit 0 means done",
};

/**
 * The new-monitor form: pick a kind, then fill its fields (the profile's defaults pre-filled).
 * Validated as you type by the engine's schema; Enter launches, Esc cancels. Only it listens while open.
 */
export function NewMonitorForm({ isActive, height }: { isActive: boolean; height: number }) {
  const settings = useSettings();
  const form = useFormState(isActive);
  const accent = settings.color ? "cyan" : undefined;
  if (form.state.step === "kind") return <KindPicker kindIndex={form.state.kindIndex} height={height} accent={accent} />;
  return <FieldsForm form={form} state={form.state} height={height} accent={accent} errorColor={settings.color ? "red" : undefined} />;
}

interface FormView {
  state: FormState;
  validation: ReturnType<typeof validateForm> | undefined;
  launching: boolean;
  submitted: boolean;
}

/** The form's state and its keys: choosing a kind, moving between fields, typing, pasting, launching. */
function useFormState(isActive: boolean): FormView {
  const settings = useSettings();
  const dispatch = useDispatch();
  const actions = useMonitorActions();
  // The form's state lives in a ref updated synchronously, so keys of one chunk ("120\r") see each other's effect;
  // the state copy re-renders.
  const stateRef = useRef<FormState>(initialFormState(settings.defaults));
  const [state, setState] = useState<FormState>(stateRef.current);
  const send = (action: FormAction) => {
    stateRef.current = formReducer(stateRef.current, action, settings.defaults);
    setState(stateRef.current);
  };
  const launchingRef = useRef(false);
  const [launching, setLaunching] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const validate = (s: FormState) => (s.step === "fields" ? validateForm(s.kind, s.values, settings.defaults) : undefined);

  const launch = (current: FormState) => {
    setSubmitted(true);
    const spec = validate(current)?.spec;
    if (!spec) return;
    launchingRef.current = true;
    setLaunching(true);
    void actions.start(spec).then((ok) => {
      launchingRef.current = false;
      setLaunching(false);
      if (ok) dispatch({ type: "close" });
    });
  };
  const kindKey = (input: string, key: Key): void => {
    switch (commandFor(["nav.up", "nav.down", "form.submit", "form.cancel"], input, key)) {
      case "nav.up":
        return send({ type: "moveKind", delta: -1 });
      case "nav.down":
        return send({ type: "moveKind", delta: 1 });
      case "form.submit":
        send({ type: "chooseKind" });
        if (stateRef.current.step === "fields") dispatch({ type: "open", screen: { name: "form", kind: stateRef.current.kind } });
        return;
      case "form.cancel":
        return dispatch({ type: "close" });
    }
  };
  const fieldKey = (current: FormState, input: string, key: Key): void => {
    switch (commandFor(["form.submit", "form.cancel", "form.prev", "form.next", "form.erase"], input, key)) {
      case "form.submit":
        return launch(current);
      case "form.cancel":
        return dispatch({ type: "close" });
      case "form.prev":
        return send({ type: "focus", delta: -1 });
      case "form.next":
        return send({ type: "focus", delta: 1 });
      case "form.erase":
        return send({ type: "erase" });
      case undefined:
        if (key.ctrl || key.meta || key.escape || key.leftArrow || key.rightArrow) return;
        send({ type: "typeText", text: input });
    }
  };
  const handle = (event: Keypress): boolean => {
    if (launchingRef.current) return true;
    const current = stateRef.current;
    if (event.kind === "paste") {
      if (current.step !== "fields") return false;
      send({ type: "typeText", text: pastedText(event.text) });
      return true;
    }
    if (current.step === "kind") kindKey(event.input, event.key);
    else fieldKey(current, event.input, event.key);
    return true;
  };
  useKeypress(handle, { isActive, priority: KeyPriority.View });
  return { state, validation: validate(state), launching, submitted };
}

function KindPicker({ kindIndex, height, accent }: { kindIndex: number; height: number; accent: string | undefined }) {
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold color={accent}>
        {`New monitor — choose a kind (${keyLabel("nav.up")}/${keyLabel("nav.down")}, ${keyLabel("form.submit")}; ${keyLabel("form.cancel")} cancels)`}
      </Text>
      {MONITOR_KINDS.map((kind, i) => (
        <Text key={kind} inverse={i === kindIndex} wrap="truncate-end">
          {`${i === kindIndex ? "›" : " "} ${kind.padEnd(14)} `}
          <Text dimColor={i !== kindIndex}>{KIND_HELP[kind]}</Text>
        </Text>
      ))}
    </Box>
  );
}

interface FieldsFormProps {
  form: FormView;
  state: Extract<FormState, { step: "fields" }>;
  height: number;
  accent: string | undefined;
  errorColor: string | undefined;
}

function FieldsForm({ form, state, height, accent, errorColor }: FieldsFormProps) {
  const { validation, launching, submitted } = form;
  const fields = formFields(state.kind);
  // Border, title and the two status lines take 5 rows; the "advanced" divider one more. The window follows focus.
  const room = Math.max(1, height - 6);
  const first = Math.min(Math.max(0, state.focus - room + 1), Math.max(0, fields.length - room));
  const windowed = fields.map((field, i) => ({ field, i })).slice(first, first + room);
  const errors = validation?.errors ?? {};
  const errorCount = Object.keys(errors).length;
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold color={accent} wrap="truncate-end">
        {`New ${state.kind} monitor${fields.length > room ? ` (field ${state.focus + 1} of ${fields.length})` : ""} — ${keyLabels("form.next").join("/")} next field · ${keyLabel("form.submit")} launch · ${keyLabel("form.cancel")} cancel`}
      </Text>
      {windowed.map(({ field, i }) => {
        const focused = i === state.focus;
        const divider = field.advanced && !fields[i - 1]?.advanced;
        const value = state.values[field.path] ?? "";
        const error = errors[field.path];
        return (
          <Text key={field.path} wrap="truncate-end">
            {divider ? <Text dimColor>{"advanced\n"}</Text> : null}
            {focused ? "› " : "  "}
            <Text bold={focused}>{fit(field.label, 20, true)}</Text>
            <Text inverse={focused}>{` ${value}${focused ? "▏" : ""} `}</Text>
            {error ? (
              <Text color={errorColor}>{`  ✗ ${error}`}</Text>
            ) : field.hint && (!value || (focused && field.type === "boolean")) ? (
              <Text dimColor>{`  ${field.hint}`}</Text>
            ) : null}
          </Text>
        );
      })}
      {errors[""] ? <Text color={errorColor}>{`✗ ${errors[""]}`}</Text> : null}
      <Text dimColor={!submitted || errorCount === 0}>
        {launching
          ? "Launching…"
          : errorCount
            ? `${errorCount} field${errorCount === 1 ? "" : "s"} to fix before launching`
            : `Ready: ${keyLabel("form.submit")} launches`}
      </Text>
    </Box>
  );
}
