/**
 * A table row is one text node whose cells are styled into its string (styled-text.ts). It must draw exactly what the
 * same cells draw as nested <Text> elements, styled by Ink as published: every character with the same colour, dim,
 * bold and inverse, for each kind of row, selected or not, marked, highlighted, with and without colour.
 */
import React from "react";
import { Text, renderToString } from "ink";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MonitorRow, rowPieces, type MonitorRowProps } from "../../src/ui/components/MonitorRow.js";
import { inkStylesText } from "../../src/ui/styled-text.js";
import { layoutColumns } from "../../src/ui/layout.js";
import { inkChalk } from "../helpers/ink-chalk.js";
import { snap } from "./fixtures.js";

const NOW = Date.parse("2026-12-02T01:00:00Z");

/** The row as nested <Text> elements: one per piece, with the style as props. */
function NestedRow(props: MonitorRowProps) {
  return (
    <Text wrap="truncate-end" inverse={props.selected} bold={props.highlighted}>
      {props.selected ? "›" : " "}
      {rowPieces(props).map((p, i) => (
        <Text key={i} color={p.style.color} dimColor={p.style.dim} bold={p.style.bold}>
          {p.text}
        </Text>
      ))}
    </Text>
  );
}

const monitors = {
  running: snap({ id: "run-1", progress: 40, now: NOW }),
  indeterminate: snap({ id: "http-1", kind: "http", now: NOW }),
  suspended: snap({ id: "sus-1", runtimeStatus: "Suspended", now: NOW }),
  failed: snap({ id: "fail-1", runtimeStatus: "Completed", finalStatus: "Failed", alerted: true, now: NOW }),
  met: snap({ id: "met-1", runtimeStatus: "Completed", finalStatus: "ConditionMet", now: NOW }),
  raw: { ...snap({ id: "raw-1", now: NOW }), customStatus: undefined, rawCustomStatus: "not json \u001b[31mred" },
};

let chalk: { level: number };
let level: number;
beforeAll(async () => {
  // Styled as in a terminal (the test runner's own output is not one).
  chalk = await inkChalk();
  level = chalk.level;
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = level;
});

describe("a row drawn from one styled string", () => {
  test("where Ink styles nothing, the row is its plain text, as nested <Text> cells draw it", () => {
    chalk.level = 0;
    try {
      expect(inkStylesText()).toBe(false);
      const props: MonitorRowProps = { monitor: monitors.failed, columns: layoutColumns(120), now: NOW, selected: true, marked: true, highlighted: true, color: true, styles: false };
      const flat = renderToString(<MonitorRow {...props} />, { columns: 120 });
      expect(flat).toBe(renderToString(<NestedRow {...props} />, { columns: 120 }));
      expect(flat).not.toContain("\u001b");
      expect(flat).toContain("fail-1");
    } finally {
      chalk.level = 1;
    }
  });

  for (const [name, monitor] of Object.entries(monitors)) {
    test(`${name}: the same frame as nested <Text> cells, in every state`, () => {
      const styles = inkStylesText();
      expect(styles).toBe(true);
      for (const width of [160, 80]) {
        const columns = layoutColumns(width);
        for (const selected of [false, true])
          for (const marked of [false, true])
            for (const highlighted of [false, true])
              for (const color of [true, false]) {
                const props: MonitorRowProps = { monitor, columns, now: NOW, selected, marked, highlighted, color, tag: marked ? "#ab12" : undefined, styles };
                const flat = renderToString(<MonitorRow {...props} />, { columns: width });
                const nested = renderToString(<NestedRow {...props} />, { columns: width });
                expect(flat, JSON.stringify({ width, selected, marked, highlighted, color })).toBe(nested);
                if (color || selected || highlighted) expect(flat).toContain("\u001b[");
              }
      }
    });
  }
});
