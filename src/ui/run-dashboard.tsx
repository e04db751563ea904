import React from "react";
import { render, Text, Box, useApp, useInput } from "ink";
import type { CliIO } from "../cli/output.js";
import type { GlobalOptions } from "../cli/context.js";

function Placeholder({ profile }: { profile: string }) {
  const { exit } = useApp();
  useInput((input) => {
    if (input === "q") exit();
  });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>durable-monitor-tui</Text>
      <Text>profile: {profile}</Text>
      <Text dimColor>press q to quit</Text>
    </Box>
  );
}

export async function runDashboard(options: { io: CliIO; globals: GlobalOptions }): Promise<number> {
  const app = render(<Placeholder profile={options.globals.profile ?? "default"} />, {
    stdout: options.io.stdout as NodeJS.WriteStream,
    stdin: options.io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: true,
  });
  await app.waitUntilExit();
  return 0;
}
