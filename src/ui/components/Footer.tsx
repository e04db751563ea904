import React from "react";
import { Box, Text } from "ink";
import stringWidth from "../text-width.js";
import { useDashboard, useSettings, useStoreApi } from "../context.js";
import { applicable, selectionOf, type Selection } from "../applies.js";
import { KEYMAP, describeCommand, keyLabel, type Command } from "../keys.js";
import { selectSelected } from "../state/selectors.js";
import type { Screen } from "../state/store.js";
import { TABLE_HINTS, screenHints } from "../views.js";

/** The commands that do something right now, in the order the footer lists them: the view's hints that apply. */
export function applicableCommands(screen: Screen, selection: Selection): Command[] {
  return screen.name === "table" ? applicable(TABLE_HINTS, selection) : applicable(screenHints(screen), selection);
}

export function footerLabel(c: Command): string {
  if (c === "nav.up") return `${keyLabel("nav.up")}${keyLabel("nav.down")} scroll`;
  return `${keyLabel(c)} ${KEYMAP[c].hint ?? describeCommand(c)}`;
}

const SEPARATOR = " · ";
/** Always shown when they apply: every other key is in the help, and the user must always be able to leave. */
const PINNED: readonly Command[] = ["app.help", "app.quit"];

/**
 * The hints line at `width` columns: `? help · q quit` always stays; the other hints are kept in the order they come
 * (most specific first) while they fit, and the ones that do not are dropped whole, never cut mid-word.
 */
export function footerHints(cmds: readonly Command[], width: number, notes: readonly string[] = []): string {
  const tail = [...cmds.filter((c) => PINNED.includes(c)).map(footerLabel), ...notes].join(SEPARATOR);
  let budget = width - stringWidth(tail) - (tail ? stringWidth(SEPARATOR) : 0);
  const kept: string[] = [];
  for (const c of cmds) {
    if (PINNED.includes(c)) continue;
    const text = footerLabel(c);
    const cost = stringWidth(text) + (kept.length ? stringWidth(SEPARATOR) : 0);
    if (cost > budget) break;
    kept.push(text);
    budget -= cost;
  }
  return [...kept, ...(tail ? [tail] : [])].join(SEPARATOR);
}

/** A message that fits `width` as it is, or its words that fit and a pointer to the full text in `?`. */
export function footerMessage(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  const more = ` … (${keyLabel("app.help")} shows all)`;
  const words = text.split(" ");
  let out = "";
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (stringWidth(next) + stringWidth(more) > width) break;
    out = next;
  }
  return `${out}${more}`;
}

export function resultLine(result: { kind: string; text: string }): string {
  return `${result.kind === "error" ? "✗" : result.kind === "ok" ? "✓" : "•"} ${result.text}`;
}

/** Line 1: the keys that apply now. Line 2: the last action's result or error. */
export function Footer({ width }: { width: number }) {
  const { readonly, color } = useSettings();
  const screen = useDashboard((s) => s.screen);
  // Re-rendered when any of these change; the selection itself is derived from the state they belong to.
  useDashboard(selectSelected);
  useDashboard((s) => s.marked);
  useDashboard((s) => s.monitors);
  const store = useStoreApi();
  const result = useDashboard((s) => s.lastResult);
  const cmds = applicableCommands(screen, selectionOf(store.getState(), readonly));
  const resultColor = result?.kind === "error" ? "red" : result?.kind === "ok" ? "green" : undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" dimColor>
        {footerHints(cmds, width, readonly ? ["read-only"] : [])}
      </Text>
      <Text wrap="truncate-end" color={color ? resultColor : undefined}>
        {result ? footerMessage(resultLine(result), width) : " "}
      </Text>
    </Box>
  );
}
