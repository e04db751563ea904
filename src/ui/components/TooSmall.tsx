import React from "react";
import { Box, Text } from "ink";
import { MIN_COLUMNS, MIN_ROWS } from "../layout.js";

/** Instead of wrapped garbage: what the terminal is, what it needs, and how to leave. Redraws itself on resize. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="wrap">{`Terminal too small (need ${MIN_COLUMNS}×${MIN_ROWS})`}</Text>
      <Text wrap="wrap">{`now ${columns}×${rows}: enlarge it, or q to quit`}</Text>
    </Box>
  );
}
