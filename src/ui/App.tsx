/**
 * The dashboard app: thin — the error boundary, the providers, and the layout.
 */
import React from "react";
import type { AppLogger } from "../logging.js";
import { DashboardProvider, type DashboardEngine, type DashboardSettings } from "./context.js";
import { Dashboard } from "./components/Dashboard.js";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { KeypressProvider } from "./keypress.js";
import { useLiveProfile } from "./hooks/useLiveProfile.js";
import type { DashboardStoreApi } from "./state/store.js";

interface AppProps {
  store: DashboardStoreApi;
  /** Absent only in layout tests that render from store state alone. */
  engine?: DashboardEngine;
  settings: DashboardSettings;
  logger?: AppLogger;
  onError?: (error: Error) => void;
  /** A key's frame skips Ink's frame-rate wait (see keypress.tsx): set when Ink draws into a terminal. */
  drawKeysAtOnce?: boolean;
}

export function App({ store, engine, settings: given, logger, onError, drawKeysAtOnce }: AppProps) {
  const settings = useLiveProfile(given, store, engine);
  return (
    <ErrorBoundary logFile={settings.logFile} logger={logger} onError={onError}>
      <DashboardProvider store={store} engine={engine} settings={settings}>
        <KeypressProvider drawKeysAtOnce={drawKeysAtOnce}>
          <Dashboard />
        </KeypressProvider>
      </DashboardProvider>
    </ErrorBoundary>
  );
}
