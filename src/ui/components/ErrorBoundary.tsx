import React, { Component, type ReactNode } from "react";
import { Box, Text } from "ink";
import type { AppLogger } from "../../logging.js";

interface Props {
  logFile: string;
  logger?: AppLogger;
  /** Called once with the error (the runner then unmounts Ink, which restores the cursor and raw mode). */
  onError?: (error: Error) => void;
  children: ReactNode;
}

/**
 * Catches render errors anywhere below it: logs them, shows an error panel naming the log file,
 * and tells the runner, which leaves the terminal sane (Ink unmounts: cursor shown, raw mode off).
 */
export class ErrorBoundary extends Component<Props, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    this.props.logger?.error("dashboard crashed: %s", error.stack ?? error.message);
    this.props.onError?.(error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text bold>✗ The dashboard hit an unexpected error and stopped.</Text>
        <Text>{error.message}</Text>
        <Text>{`Details are in the log file: ${this.props.logFile}`}</Text>
        <Text dimColor>Your monitors keep their state: they run wherever a worker is connected, or resume when the hub opens again.</Text>
      </Box>
    );
  }
}
