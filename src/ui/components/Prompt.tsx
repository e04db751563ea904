import React, { useRef, useState } from "react";
import { Box, Text, useInput, type Key } from "ink";
import { commandFor, splitKeys } from "../keys.js";
import { useSettings } from "../context.js";
import { useHandedOffKeys, useKeys } from "../hooks/useKeys.js";

export interface PromptProps {
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
  const error = props.validate?.(text);
  // The text typed so far, including keys of the same chunk not yet rendered.
  const current = useRef(text);
  current.current = text;
  const handle = (input: string, key: Key): void => {
    // Fast typing arrives as one chunk ("30\r"): act on each key in order.
    if ([...input].length > 1 && !key.ctrl && !key.meta) {
      for (const k of splitKeys(input, key)) handle(k.input, k.key);
      return;
    }
    const now = current.current;
    switch (commandFor(["form.submit", "form.cancel", "form.erase"], input, key)) {
      case "form.submit":
        if (!props.validate?.(now)) props.onSubmit(now);
        return;
      case "form.cancel":
        props.onCancel();
        return;
      case "form.erase": {
        update([...now].slice(0, -1).join(""));
        return;
      }
      case undefined: {
        if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
        const clean = input.replace(/[\u0000-\u001f\u007f]/g, "");
        if (clean) update(now + clean);
      }
    }
  };
  const update = (next: string) => {
    current.current = next;
    setText(next);
    props.onChange?.(next);
  };
  useInput(handle, { isActive: props.isActive });
  useHandedOffKeys(handle, props.isActive);
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
        {error ? `✗ ${error}` : (props.hint ?? "Enter to confirm · Esc to cancel")}
      </Text>
    </Box>
  );
}

/** A yes/no question in the footer area. */
export function Confirm(props: { title: string; onYes(): void; onNo(): void; isActive: boolean }) {
  const { color } = useSettings();
  const answered = useRef(false);
  useKeys((input, key) => {
    if (answered.current) return;
    const cmd = commandFor(["dialog.yes", "dialog.no"], input, key);
    if (cmd) answered.current = true;
    if (cmd === "dialog.yes") props.onYes();
    else if (cmd === "dialog.no") props.onNo();
  }, props.isActive);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end" color={color ? "yellow" : undefined}>
        {props.title}
      </Text>
      <Text dimColor>y to confirm · n or Esc to cancel</Text>
    </Box>
  );
}
