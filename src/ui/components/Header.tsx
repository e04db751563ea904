import React, { type MutableRefObject } from "react";
import { Box, Text } from "ink";
import { useDashboard, useSettings } from "../context.js";
import { formatIn } from "../format.js";
import { SORT_LABELS, listPosition, scrollWindow, selectCounts, selectSelectedIndex, selectVisible, statusFilterLabel } from "../state/selectors.js";
import { STATUS_STYLES } from "../theme.js";
import type { ConnectionStatus, WorkerState } from "../../engine/types.js";
import type { DisplayStatus } from "../../engine/display-status.js";

/** The header counts in this order; the rarer ones only while some instance has them. */
const HEADER_STATUSES: readonly DisplayStatus[] = ["Running", "Queued", "Pending", "Suspended", "Completed", "Met", "Failed", "TimedOut", "Terminated"];
const ALWAYS_COUNTED: ReadonlySet<DisplayStatus> = new Set(["Running", "Suspended", "Completed", "Failed", "TimedOut", "Terminated"]);

/**
 * "connected" means both: the last refresh succeeded, and our worker (when we run one) is polling. A client that
 * reaches the hub while its worker cannot (e.g. still dialling an old address) must not look healthy.
 */
function connectionText(c: ConnectionStatus, worker: WorkerState, now: number): { text: string; color: "green" | "yellow" | "red" } {
  switch (c.state) {
    case "connected":
      if (worker !== "running" && worker !== "none") return { text: "◐ connected, worker not polling", color: "yellow" };
      return { text: "● connected", color: "green" };
    case "connecting":
      return { text: "◌ connecting…", color: "yellow" };
    case "disconnected": {
      const retry = c.nextRetryAt ? `reconnecting ${formatIn(c.nextRetryAt.getTime(), now)}` : "disconnected";
      return { text: `✗ ${retry}${c.lastError ? ` — ${c.lastError}` : ""}`, color: "red" };
    }
  }
}

/** Two lines: where we are connected and how, then the counts by status and the list's filter/sort. */
export function Header({ width, list }: { width: number; list: { topRef: MutableRefObject<number>; height: number } }) {
  const settings = useSettings();
  const color = settings.color;
  const connection = useDashboard((s) => s.connection);
  const worker = useDashboard((s) => s.worker);
  const now = useDashboard((s) => (s.connection.state === "disconnected" ? s.now : 0));
  const counts = useDashboard(selectCounts);
  const filterText = useDashboard((s) => s.filterText);
  const statusFilter = useDashboard((s) => s.statusFilter);
  const sort = useDashboard((s) => s.sort);
  const markedCount = useDashboard((s) => s.marked.size);
  const visibleCount = useDashboard((s) => selectVisible(s).length);
  const selectedIndex = useDashboard(selectSelectedIndex);
  // The table's own window (scrollWindow is idempotent, so this agrees with it whichever renders first).
  const position = listPosition(scrollWindow(selectedIndex, list.topRef.current, list.height, visibleCount), list.height, visibleCount);
  const conn = connectionText(connection, worker.state, now);
  const workerColor = worker.state === "running" ? "green" : worker.state === "error" ? "red" : worker.state === "none" ? undefined : "yellow";
  const workerText = worker.state === "none" ? "no worker (watching)" : `worker ${worker.state}${worker.error ? ` — ${worker.error}` : ""}`;

  // Narrow terminals: symbols and numbers only (the symbols are the same as in the STATUS column).
  const words = width >= 130;
  const count = (n: number, style: (typeof STATUS_STYLES)[keyof typeof STATUS_STYLES], word: string) => (
    <Text color={color && n > 0 ? style.color : undefined} dimColor={n === 0}>
      {words ? `${style.symbol} ${n} ${word}  ` : `${style.symbol} ${n}  `}
    </Text>
  );

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color={color ? "cyan" : undefined}>
          durable-monitor-tui
        </Text>
        {settings.readonly ? <Text bold>{" [read-only]"}</Text> : null}
        {`  ${settings.profileName}  `}
        <Text color={color ? conn.color : undefined}>{conn.text}</Text>
        {"  "}
        <Text color={color ? workerColor : undefined}>{workerText}</Text>
        {settings.pendingRestart?.length ? (
          <Text color={color ? "yellow" : undefined}>{`  ⟳ restart to apply the new ${settings.pendingRestart.join(", ")}`}</Text>
        ) : null}
        <Text dimColor>{`  ${settings.connectionLabel}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        {HEADER_STATUSES.filter((st) => ALWAYS_COUNTED.has(st) || counts[st] > 0).map((st) => (
          <React.Fragment key={st}>{count(counts[st], STATUS_STYLES[st], STATUS_STYLES[st].label.toLowerCase())}</React.Fragment>
        ))}
        <Text dimColor>
          {`│ ${position ? `${position} · ` : ""}show ${statusFilterLabel(statusFilter)}${filterText ? ` /${filterText}` : ""} · sort ${SORT_LABELS[sort]}${markedCount ? ` · ${markedCount} marked` : ""}`}
        </Text>
      </Text>
    </Box>
  );
}
