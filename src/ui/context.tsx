/**
 * What every component can reach: the store (read with a selector), the engine (actions go through it),
 * and the app's settings. One provider, made by the app (or the test render helper).
 */
import React, { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { Engine } from "../engine/engine.js";
import type { ProfileSettingsTarget } from "../engine/profile.js";
import type { MonitorDefaults, Preset } from "../engine/profile.js";
import type { LiveProfile, ProfilePart } from "../config/live-profile.js";
import type { DashboardStore, DashboardStoreApi } from "./state/store.js";

export interface DashboardSettings {
  profileName: string;
  /** Where it is connected, one line ("embedded hub /path/hub.sqlite (task hub default)"). */
  connectionLabel: string;
  logFile: string;
  readonly: boolean;
  color: boolean;
  defaults: MonitorDefaults;
  presets: Record<string, Preset>;
  /** Rings the terminal bell (tests count the calls). */
  bell(): void;
  /** The config file (named where the user is told to edit it). */
  configFile?: string;
  /** The profile kept up to date with the config file: its presets and defaults replace the ones above. */
  live?: LiveProfile;
  /** Config edits that wait for a restart (set from `live`). */
  pendingRestart?: readonly ProfilePart[];
  /** The clock every countdown reads (ms since the epoch); tests fix it. Default `Date.now`. */
  clock?: () => number;
}

/** The part of the engine the dashboard uses (a local engine also takes up config edits: see useLiveProfile). */
export type DashboardEngine = Partial<ProfileSettingsTarget> & Pick<
  Engine,
  | "start"
  | "terminate"
  | "suspend"
  | "resume"
  | "pollNow"
  | "raise"
  | "setInterval"
  | "purge"
  | "restart"
  | "history"
  | "get"
  | "watch"
  | "connectionStatus"
  | "workerState"
>;

interface DashboardContextValue {
  store: DashboardStoreApi;
  engine?: DashboardEngine;
  settings: DashboardSettings;
}

const DashboardContext = createContext<DashboardContextValue | undefined>(undefined);

export function DashboardProvider(props: DashboardContextValue & { children: ReactNode }) {
  const { store, engine, settings, children } = props;
  return <DashboardContext.Provider value={{ store, engine, settings }}>{children}</DashboardContext.Provider>;
}

function useDashboardContext(): DashboardContextValue {
  const ctx = useContext(DashboardContext);
  if (!ctx) throw new Error("dashboard components must be rendered inside <DashboardProvider>");
  return ctx;
}

/** Reads the store through a selector (re-renders only when the selected value changes). */
export function useDashboard<T>(selector: (s: DashboardStore) => T): T {
  return useStore(useDashboardContext().store, selector);
}

export function useDispatch(): DashboardStore["dispatch"] {
  return useStore(useDashboardContext().store, (s) => s.dispatch);
}

export function useStoreApi(): DashboardStoreApi {
  return useDashboardContext().store;
}

export function useEngine(): DashboardEngine | undefined {
  return useDashboardContext().engine;
}

export function useSettings(): DashboardSettings {
  return useDashboardContext().settings;
}
