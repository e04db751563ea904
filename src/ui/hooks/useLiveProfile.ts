/**
 * Keeps the dashboard's settings in step with the config file (see config/live-profile.ts): presets, defaults and
 * check settings from each good edit are used at once (the engine takes up the defaults and its worker the check
 * settings); an edit that needs a restart (connection, task hub) is named in the header until it is reverted or the
 * dashboard restarts; an invalid edit is reported in the footer while the last good config stays in use.
 */
import { useEffect, useState } from "react";
import type { LiveProfileEvent, ProfilePart } from "../../config/live-profile.js";
import type { DashboardEngine, DashboardSettings } from "../context.js";
import type { DashboardStoreApi } from "../state/store.js";

const list = (parts: readonly string[]) => (parts.length < 2 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`);

/** The footer line for one reload, or undefined when it changed nothing worth saying. */
export function reloadMessage(event: LiveProfileEvent): { kind: "ok" | "error" | "info"; text: string } | undefined {
  // The remedy first: a long error is cut at the footer's width (the full text is in ?).
  if (event.type === "invalid") return { kind: "error", text: `Config edit ignored, the last good config stays: ${event.message}` };
  const n = event.pendingRestart.length;
  const restart = n ? `${list(event.pendingRestart)} changed: restart the dashboard to use ${n === 1 ? "it" : "them"}` : "";
  if (event.applied.length) return { kind: "ok", text: `Config reloaded: new ${list(event.applied)} in use${restart ? `; ${restart}` : ""}` };
  if (restart) return { kind: "info", text: `Config file: ${restart}` };
  if (event.recovered) return { kind: "ok", text: "Config file is valid again" };
  return undefined;
}

/** `settings` with the live profile's presets and defaults, and what waits for a restart. */
export function useLiveProfile(settings: DashboardSettings, store: DashboardStoreApi, engine?: DashboardEngine): DashboardSettings {
  const live = settings.live;
  const [state, setState] = useState<{ presets: DashboardSettings["presets"]; defaults: DashboardSettings["defaults"]; pendingRestart: ProfilePart[] }>();
  useEffect(() => {
    if (!live) return;
    // The engine arrives after the first frame: it takes up any edit made meanwhile, then every later one.
    const apply = () => {
      const { defaults, checks } = live.current();
      engine?.applyProfileSettings?.(checks ? { defaults, checks } : { defaults });
    };
    apply();
    return live.subscribe((event) => {
      if (event.type === "reloaded") {
        apply();
        setState({ presets: event.profile.presets, defaults: event.profile.defaults, pendingRestart: event.pendingRestart });
      }
      const message = reloadMessage(event);
      if (message) store.getState().dispatch({ type: "result", result: message });
    });
  }, [live, store, engine]);
  return state ? { ...settings, ...state } : settings;
}
