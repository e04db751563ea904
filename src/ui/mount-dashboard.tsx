/**
 * Mounts the dashboard in a terminal. The first frame comes at once (the header says "connecting…"); the caller opens
 * the engine and hands it over with `attach`. While mounted, nothing but Ink writes to the terminal: console.* goes to
 * the log, and an uncaught error ends the UI (`closed()` reports it). The UI never opens an engine or reads config:
 * the CLI's dashboard command composes those (src/cli/dashboard-session.ts).
 */
import { render } from "ink";
import { errorMessage } from "../errors.js";
import type { AppLogger } from "../logging.js";
import { App } from "./App.js";
import type { DashboardEngine, DashboardSettings } from "./context.js";
import type { DashboardStoreApi } from "./state/store.js";

export interface DashboardTerminal {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

interface MountedDashboard {
  /** Gives the UI its engine (the header then shows the connection, the table the monitors). */
  attach(engine: DashboardEngine): void;
  /** Resolves when the UI is gone (the user quit, or `crashed` says why it stopped); the terminal is restored by then. */
  closed(): Promise<{ crashed?: Error }>;
  /** Leaves at once (e.g. the engine could not be opened). */
  unmount(): void;
}

/** Routes console.* to the log file until the returned function is called. */
function captureConsole(logger: AppLogger): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  console.log = (...a: unknown[]) => logger.info("console: %s", a.map(String).join(" "));
  console.info = console.log;
  console.debug = (...a: unknown[]) => logger.debug("console: %s", a.map(String).join(" "));
  console.warn = (...a: unknown[]) => logger.warn("console: %s", a.map(String).join(" "));
  console.error = (...a: unknown[]) => logger.error("console: %s", a.map(String).join(" "));
  return () => Object.assign(console, saved);
}

export function mountDashboard(options: { terminal: DashboardTerminal; settings: DashboardSettings; store: DashboardStoreApi; logger: AppLogger }): MountedDashboard {
  const { settings, store, logger } = options;
  let engine: DashboardEngine | undefined;
  let crashed: Error | undefined;
  const onError = (error: Error) => {
    crashed = error;
    // Unmounting restores the cursor and raw mode (and leaves the alternate screen).
    setImmediate(() => app.unmount());
  };
  const tree = () => <App store={store} engine={engine} settings={settings} logger={logger} onError={onError} drawKeysAtOnce />;
  const restoreConsole = captureConsole(logger);
  const app = render(tree(), {
    ...options.terminal,
    exitOnCtrlC: true,
    patchConsole: false,
    alternateScreen: true,
    // The dashboard command only runs on a TTY; without this, Ink goes non-interactive (last frame only) whenever
    // a CI variable is set, e.g. a terminal opened inside a CI job or a shell that exports CI=1.
    interactive: true,
    maxFps: 20,
    // Only the lines that changed are written (a key press moves the selection: two lines, not the whole screen).
    incrementalRendering: true,
  });
  const onFatal = (error: unknown) => {
    logger.error("unhandled error: %s", error instanceof Error ? (error.stack ?? error.message) : String(error));
    crashed ??= error instanceof Error ? error : new Error(String(error));
    app.unmount();
  };
  process.on("uncaughtException", onFatal);
  process.on("unhandledRejection", onFatal);
  const release = () => {
    process.off("uncaughtException", onFatal);
    process.off("unhandledRejection", onFatal);
    restoreConsole();
  };
  return {
    attach(next) {
      engine = next;
      app.rerender(tree());
    },
    async closed() {
      try {
        await app.waitUntilExit();
      } catch (error) {
        crashed ??= error instanceof Error ? error : new Error(errorMessage(error));
      } finally {
        release();
      }
      return { crashed };
    },
    unmount() {
      app.unmount();
      release();
    },
  };
}
