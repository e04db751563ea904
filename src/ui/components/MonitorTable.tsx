import React, { useMemo, type MutableRefObject } from "react";
import { Box, Text } from "ink";
import { useDashboard, useSettings } from "../context.js";
import { layoutColumns } from "../layout.js";
import { scrollWindow, selectSelectedIndex, selectVisible } from "../state/selectors.js";
import { selectInstanceTags } from "../state/instance-tags.js";
import { INK_STYLES_TEXT } from "../styled-text.js";
import { MonitorRow, TableTitles } from "./MonitorRow.js";

/**
 * The monitor table, virtualized: only the rows that fit `height` are rendered, and the window scrolls
 * with the selection. Columns come from the terminal width (least important dropped first).
 */
export function MonitorTable({ width, height, topRef }: { width: number; height: number; topRef: MutableRefObject<number> }) {
  const { color } = useSettings();
  const rows = useDashboard(selectVisible);
  const selectedIndex = useDashboard(selectSelectedIndex);
  const now = useDashboard((s) => s.now);
  const marked = useDashboard((s) => s.marked);
  const highlighted = useDashboard((s) => s.highlighted);
  const loaded = useDashboard((s) => s.loaded);
  const total = useDashboard((s) => s.monitors.size);
  const tags = useDashboard(selectInstanceTags);

  // One array per width, so memo(MonitorRow) skips the rows whose props did not change.
  const columns = useMemo(() => layoutColumns(width), [width]);
  const top = scrollWindow(selectedIndex, topRef.current, height, rows.length);
  topRef.current = top;
  const windowRows = rows.slice(top, top + height);

  let empty: string | undefined;
  if (!loaded) empty = "Connecting…";
  else if (total === 0) empty = "No monitors yet. Press n to start one, or p to launch a preset.";
  else if (rows.length === 0) empty = `No monitor matches the filter (${total} hidden). Press / or f to change it.`;

  return (
    <Box flexDirection="column" height={height + 1} width={width}>
      <TableTitles columns={columns} />
      {empty ? (
        <Text dimColor>{`    ${empty}`}</Text>
      ) : (
        windowRows.map((m, i) => (
          <MonitorRow
            key={m.instanceId}
            monitor={m}
            columns={columns}
            now={now}
            selected={top + i === selectedIndex}
            marked={marked.has(m.instanceId)}
            highlighted={highlighted.has(m.instanceId)}
            color={color}
            tag={tags.get(m.instanceId)}
            styles={INK_STYLES_TEXT}
          />
        ))
      )}
    </Box>
  );
}
