import React, { useRef, useState } from "react";
import { Box, Text } from "ink";
import { commandFor, keyLabel, keyLabels } from "../keys.js";
import { useSettings } from "../context.js";
import { KeyPriority, pastedText, useCommands, useKeypress, type Keypress } from "../keypress.js";

interface PromptProps {
  /** The question, e.g. "Terminate job-1? Reason (optional):". */
  title: string;
  initial?: string;
  /** Returns an error message for the current text, or undefined when it is acceptable. */
  validate?: (text: string) => string | undefined;
  /** Called on every change (the filter applies as you type). */
  onChange?: (text: string) => void;
  onSubmit(text: string): void;
  onCancel(): void;
  isActive: boolean;
  hint?: string;
}

/** A one-line text input in the footer area (two lines tall). Enter submits, Esc cancels. */
export function Prompt(props: PromptProps) {
  const { color } = useSettings();
  const [text, setText] = useState(props.initial ?? "");
  // No error before the user has typed or tried to submit: an empty prompt is not a mistake yet.
  const [touched, setTouched] = useState(false);
  const error = touched ? props.validate?.(text) : undefined;
  // The text typed so far, including keys of the same chunk not yet rendered.
  const current = useRef(text);
  current.current = text;
  const handle = (event: Keypress): boolean => {
    const now = current.current;
    if (event.kind === "paste") {
      const text = pastedText(event.text);
      if (text) update(now + text);
      return true;
    }
    const { input, key } = event;
    switch (commandFor(["form.submit", "form.cancel", "form.erase"], input, key)) {
      case "form.submit":
        if (!props.validate?.(now)) props.onSubmit(now);
        else setTouched(true);
        return true;
      case "form.cancel":
        props.onCancel();
        return true;
      case "form.erase": {
        update([...now].slice(0, -1).join(""));
        return true;
      }
      case undefined: {
        if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return false;
        const clean = pastedText(input);
        if (clean) update(now + clean);
        return true;
      }
    }
  };
  const update = (next: string) => {
    current.current = next;
    setText(next);
    setTouched(true);
    props.onChange?.(next);
  };
  useKeypress(handle, { isActive: props.isActive, priority: KeyPriority.Dialog });
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={color ? "yellow" : undefined}>
          {props.title}
        </Text>{" "}
        {text}
        <Text inverse> </Text>
      </Text>
      <Text wrap="truncate-end" color={error && color ? "red" : undefined} dimColor={!error}>
        {error ? `✗ ${error}` : (props.hint ?? `${keyLabel("form.submit")} to confirm · ${keyLabel("form.cancel")} to cancel`)}
      </Text>
    </Box>
  );
}

/** A yes/no question in the footer area. */
export function Confirm(props: { title: string; onYes(): void; onNo(): void; isActive: boolean }) {
  const { color } = useSettings();
  const answered = useRef(false);
  useCommands(
    ["dialog.yes", "dialog.no"],
    (cmd) => {
      if (answered.current) return;
      answered.current = true;
      if (cmd === "dialog.yes") props.onYes();
      else props.onNo();
    },
    { isActive: props.isActive, priority: KeyPriority.Dialog },
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end" color={color ? "yellow" : undefined}>
        {props.title}
      </Text>
      <Text dimColor>{`${keyLabel("dialog.yes")} to confirm · ${keyLabels("dialog.no").join(" or ")} to cancel`}</Text>
    </Box>
  );
}
