import React from "react";
import { Box, Text } from "ink";
import { useCommands } from "../keypress.js";
import { useScroll } from "../hooks/useScroll.js";
import stringWidth from "../text-width.js";
import { useDashboard, useDispatch, useSettings } from "../context.js";
import { resultLine } from "./Footer.js";
import { fit } from "../format.js";
import { helpSections, keyLabel } from "../keys.js";

interface Line {
  text: string;
  heading?: boolean;
}

const COLUMN_WIDTH = 56;

/**
 * Every binding of the keymap, grouped by category, generated from keys.ts; at the bottom the last message in full,
 * what a config file edit changes, and the log file path.
 */
export function HelpOverlay({ isActive, width, height }: { isActive: boolean; width: number; height: number }) {
  const { logFile, readonly, color, live } = useSettings();
  const dispatch = useDispatch();
  const sections = helpSections();
  const keyWidth = Math.max(...sections.flatMap((s) => s.entries.map((e) => e.keys.length)));
  const lines: Line[] = [];
  for (const section of sections) {
    if (lines.length) lines.push({ text: "" });
    lines.push({ text: section.category, heading: true });
    for (const e of section.entries) lines.push({ text: `${fit(e.keys, keyWidth, true)}  ${e.description}` });
  }
  const result = useDashboard((s) => s.lastResult);
  // The footer shortens a long message; here it is in full, wrapped.
  const message = result ? `Last message: ${resultLine(result)}` : undefined;
  const wrappedLines = (text: string | undefined) => (text ? Math.ceil(stringWidth(text) / Math.max(1, width - 4)) : 0);
  // What a save of the config file changes in this dashboard, and what waits for a restart.
  const config = live ? `Config file: ${live.path} — on save, presets, defaults and check settings apply at once; the connection and task hub after a restart` : undefined;
  const bodyHeight = Math.max(1, height - 4 - wrappedLines(message) - wrappedLines(config));
  // As few columns as it takes (and as many as fit); what still does not fit scrolls.
  const maxColumns = Math.max(1, Math.floor((width - 4) / COLUMN_WIDTH));
  const columnCount = Math.min(maxColumns, Math.ceil(lines.length / bodyHeight));
  const perColumn = Math.ceil(lines.length / columnCount);
  const maxScroll = Math.max(0, perColumn - bodyHeight);
  const [scroll, scrollBy] = useScroll(maxScroll, bodyHeight);
  useCommands(
    ["view.back", "app.help", "nav.up", "nav.down"],
    (command) => {
      if (command === "view.back" || command === "app.help") dispatch({ type: "close" });
      else scrollBy(command);
    },
    { isActive },
  );
  const columns: Line[][] = [];
  for (let c = 0; c < columnCount; c++) columns.push(lines.slice(c * perColumn, (c + 1) * perColumn).slice(scroll, scroll + bodyHeight));
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold color={color ? "cyan" : undefined} wrap="truncate-end">
        {`Keys${readonly ? " (read-only: monitor actions are disabled)" : ""} — ${keyLabel("view.back")} or ${keyLabel("app.help")} closes${maxScroll ? ` · ${keyLabel("nav.up")}/${keyLabel("nav.down")} scroll` : ""}`}
      </Text>
      <Box flexDirection="row" height={bodyHeight}>
        {columns.map((col, i) => (
          <Box key={i} flexDirection="column" width={COLUMN_WIDTH}>
            {col.map((line, j) => (
              <Text key={j} bold={line.heading} color={line.heading && color ? "yellow" : undefined} wrap="truncate-end">
                {line.text || " "}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      {message ? <Text wrap="wrap">{message}</Text> : null}
      {config ? <Text dimColor wrap="wrap">{config}</Text> : null}
      <Text dimColor wrap="truncate-end">{`Log file: ${logFile}`}</Text>
    </Box>
  );
}
