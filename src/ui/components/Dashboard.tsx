import React, { useRef } from "react";
import { Box, useApp } from "ink";
import { useDashboard, useSettings } from "../context.js";
import { useBell, useEngineFeed } from "../hooks/useEngineFeed.js";
import { KeyPriority, useCommands } from "../keypress.js";
import { useTableKeys } from "../hooks/useTableKeys.js";
import { useTerminalSize } from "../hooks/useTerminalSize.js";
import { FOOTER_LINES, HEADER_LINES, tableBodyHeight } from "../layout.js";
import { Details } from "./Details.js";
import { DialogOrFooter } from "./Dialogs.js";
import { Header } from "./Header.js";
import { HelpOverlay } from "./HelpOverlay.js";
import { MonitorTable } from "./MonitorTable.js";
import { NewMonitorForm } from "./NewMonitorForm.js";
import { PresetPicker } from "./PresetPicker.js";
import { TooSmall } from "./TooSmall.js";

/** Keys that work on every full-screen view except forms: q quits from details and help too. */
function useQuitKey(isActiveNow: boolean): void {
  const { exit } = useApp();
  useCommands(["app.quit"], () => exit(), { isActive: isActiveNow, priority: KeyPriority.App });
}

/** The whole screen: header, the current view, and the footer (or the open dialog in its place). */
export function Dashboard() {
  const settings = useSettings();
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

  return (
    <Box flexDirection="column" width={columns}>
      <Header width={columns} list={{ topRef: tableTop, height: bodyHeight }} />
      {view}
      <DialogOrFooter width={columns} />
    </Box>
  );
}
