/**
 * The one render helper for dashboard tests: renders <App/> (or any element) with the providers through
 * ink-testing-library, into its fake terminal at a given size, and drives it as a terminal would (raw key sequences
 * on stdin). FakeStdout/FakeStdin are for `runDashboard`, which calls Ink's render itself.
 * Tests wait on predicates with a deadline — never fixed sleeps.
 */
import { EventEmitter } from "node:events";
import React, { type ReactElement } from "react";
import { render as renderWithTestingLibrary } from "ink-testing-library";
import { App } from "../../src/ui/App.js";
import type { DashboardEngine, DashboardSettings } from "../../src/ui/context.js";
import { createDashboardStore, type DashboardState, type DashboardStoreApi } from "../../src/ui/state/store.js";

/** Keys as a terminal sends them. */
export const KEY = {
  up: "\u001B[A",
  down: "\u001B[B",
  right: "\u001B[C",
  left: "\u001B[D",
  enter: "\r",
  escape: "\u001B",
  tab: "\t",
  shiftTab: "\u001B[Z",
  backspace: "\u007F",
  space: " ",
  pageDown: "\u001B[6~",
  pageUp: "\u001B[5~",
} as const;

export class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  private last = "";
  isTTY = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  /** Like a stream's write: the callback (Ink waits on it when unmounting) runs once the frame is recorded. */
  write = (frame: string, encodingOrCallback?: unknown, callback?: unknown): boolean => {
    this.frames.push(frame);
    this.last = frame;
    const cb = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (typeof cb === "function") queueMicrotask(() => (cb as () => void)());
    return true;
  };
  lastFrame = (): string => this.last;
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit("readable");
    this.emit("data", data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** A fake terminal (stdout a TTY) and the streams Ink's `render` takes, for tests that call Ink's own render. */
export function fakeTty(columns: number, rows: number) {
  const stdout = new FakeStdout(columns, rows);
  stdout.isTTY = true;
  const stdin = new FakeStdin();
  const streams = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  };
  return { stdout, stdin, streams };
}

export interface TestTerminal {
  stdout: { frames: string[]; lastFrame(): string | undefined };
  stdin: { write(data: string): void };
  /** The last frame drawn (plain text when FORCE_COLOR=0, as vitest.config sets). */
  lastFrame(): string;
  /** Sends keys one at a time, as a terminal would, letting the app handle each before the next. */
  press(...keys: string[]): Promise<void>;
  /** Types text one character at a time. */
  type(text: string): Promise<void>;
  /** Waits until the predicate holds on the last frame (or a string appears); throws with the frame on timeout. */
  waitFor(what: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): void;
  unmount(): void;
}

const tick = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));

/**
 * Renders any element with ink-testing-library, into its fake terminal sized `columns` × `rows`. Its terminal is
 * 100 columns wide with no height, so it first draws nothing, gets the size under test, then draws the element.
 */
export function renderInTerminal(element: ReactElement, size: { columns?: number; rows?: number } = {}): TestTerminal {
  const rendered = renderWithTestingLibrary(<></>);
  const { stdout, stdin } = rendered;
  const setSize = (columns: number, rows: number) => {
    Object.defineProperty(stdout, "columns", { value: columns, writable: true, configurable: true });
    Object.defineProperty(stdout, "rows", { value: rows, writable: true, configurable: true });
  };
  setSize(size.columns ?? 120, size.rows ?? 40);
  rendered.rerender(element);
  const lastFrame = () => stdout.lastFrame() ?? "";
  const waitFor: TestTerminal["waitFor"] = async (what, timeoutMs = 20_000) => {
    const test =
      typeof what === "string" ? (f: string) => f.includes(what) : what instanceof RegExp ? (f: string) => what.test(f) : what;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = lastFrame();
      if (test(frame)) return frame;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(what)}; last frame:\n${frame}`);
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  };
  return {
    stdout,
    stdin,
    lastFrame,
    async press(...keys) {
      for (const k of keys) {
        stdin.write(k);
        // A lone Escape is held ~20 ms by Ink's parser (it could start a sequence): let it flush first.
        if (k === KEY.escape) await new Promise((r) => setTimeout(r, 40));
        await tick();
        await tick();
      }
    },
    async type(text) {
      for (const ch of text) {
        stdin.write(ch);
        await tick();
      }
      await tick();
    },
    waitFor,
    resize(columns, rows) {
      setSize(columns, rows);
      stdout.emit("resize");
    },
    unmount() {
      rendered.unmount();
      rendered.cleanup();
    },
  };
}

export const TEST_SETTINGS: DashboardSettings = {
  profileName: "test",
  connectionLabel: "embedded hub /tmp/test/hub.sqlite (task hub default)",
  logFile: "/tmp/test/durable-monitor-tui.log",
  readonly: false,
  color: false,
  defaults: {},
  presets: {},
  bell: () => {},
};

export interface RenderDashboardOptions {
  columns?: number;
  rows?: number;
  engine?: DashboardEngine;
  store?: DashboardStoreApi;
  /** Initial store state (when no store is given). */
  state?: Partial<DashboardState>;
  settings?: Partial<DashboardSettings>;
}

export interface DashboardHarness extends TestTerminal {
  store: DashboardStoreApi;
  /** How many times the bell rang. */
  bells(): number;
}

/** Renders the whole dashboard app with its providers; the engine is optional (layout tests feed the store). */
export function renderDashboard(options: RenderDashboardOptions = {}): DashboardHarness {
  let bells = 0;
  const settings: DashboardSettings = { ...TEST_SETTINGS, bell: () => bells++, ...options.settings };
  const store = options.store ?? createDashboardStore({ ...(settings.clock ? { now: settings.clock() } : {}), ...options.state });
  const term = renderInTerminal(<App store={store} engine={options.engine} settings={settings} />, options);
  return { ...term, store, bells: () => bells };
}
