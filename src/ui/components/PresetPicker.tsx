import React, { useRef, useState } from "react";
import { Box, Text } from "ink";
import { useCommands } from "../keypress.js";
import type { MonitorDefaults, Preset } from "../../engine/profile.js";
import type { MonitorSpecInput } from "../../engine/types.js";
import { useDispatch, useSettings } from "../context.js";
import { fit } from "../format.js";
import { useMonitorActions } from "../hooks/useMonitorActions.js";
import { generateJobId } from "../../engine/monitor/input.js";
import { ENV_PROFILE } from "../../config/schema.js";
import { keyLabel } from "../keys.js";

/** The spec a preset launches: the preset's fields over the profile's defaults; its job id is `<preset>-<6 hex>`. */
export function presetSpec(name: string, preset: Preset, defaults: MonitorDefaults): MonitorSpecInput {
  const spec: Record<string, unknown> = {
    kind: preset.kind,
    target: preset.target,
    pollingIntervalSeconds: preset.pollingIntervalSeconds ?? defaults.pollingIntervalSeconds,
    timeoutSeconds: preset.timeoutSeconds ?? defaults.timeoutSeconds,
    maxConsecutiveFailures: preset.maxConsecutiveFailures ?? defaults.maxConsecutiveFailures,
    backoff: preset.backoff,
    alert: preset.alert ?? defaults.alert,
    jobId: preset.jobId ?? generateJobId(name),
  };
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return spec as MonitorSpecInput;
}

/** What the picker says when the profile has none: where to add them (and that they show up once saved). */
function noPresetsText(profileName: string, configFile: string | undefined, watched: boolean): string {
  // The env profile takes its presets from the file's active profile.
  const where = profileName === ENV_PROFILE ? `"presets" of the active profile` : `profiles.${profileName}.presets`;
  const file = configFile ?? "the config file";
  return `Profile '${profileName}' has no presets. Add some under ${where} in ${file}${watched ? ": they appear here as soon as the file is saved." : "."}`;
}

/** The profile's presets: ↑/↓ choose, Enter launches, Esc cancels. */
export function PresetPicker({ isActive, height }: { isActive: boolean; height: number }) {
  const { presets, defaults, color, profileName, configFile, live } = useSettings();
  const dispatch = useDispatch();
  const actions = useMonitorActions();
  const names = Object.keys(presets).sort();
  const [index, setIndexState] = useState(0);
  // Kept in refs too, so keys of one chunk ("j\r") see each other's effect.
  const indexRef = useRef(0);
  const setIndex = (f: (i: number) => number) => {
    indexRef.current = f(indexRef.current);
    setIndexState(indexRef.current);
  };
  const busyRef = useRef(false);
  const [busy, setBusy] = useState(false);
  useCommands(
    ["nav.up", "nav.down", "form.submit", "form.cancel"],
    (command) => {
      if (busyRef.current) return;
      switch (command) {
        case "nav.up":
          setIndex((i) => Math.max(0, i - 1));
          return;
        case "nav.down":
          setIndex((i) => Math.min(names.length - 1, i + 1));
          return;
        case "form.submit": {
          const name = names[indexRef.current];
          if (!name) return;
          busyRef.current = true;
          setBusy(true);
          void actions.start(presetSpec(name, presets[name]!, defaults), `preset ${name}`).then((ok) => {
            busyRef.current = false;
            setBusy(false);
            if (ok) dispatch({ type: "close" });
          });
          return;
        }
        case "form.cancel":
          dispatch({ type: "close" });
          return;
      }
    },
    { isActive },
  );
  const visible = Math.max(1, height - 3);
  const top = Math.max(0, Math.min(index - visible + 1, names.length - visible));
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold color={color ? "cyan" : undefined}>
        {busy ? "Launching…" : `Launch a preset — ${keyLabel("nav.up")}/${keyLabel("nav.down")} choose · ${keyLabel("form.submit")} launch · ${keyLabel("form.cancel")} cancel`}
      </Text>
      {names.length === 0 ? (
        <Text dimColor wrap="wrap">{noPresetsText(profileName, configFile, live !== undefined)}</Text>
      ) : (
        names.slice(top, top + visible).map((name, i) => {
          const p = presets[name]!;
          const selected = top + i === index;
          return (
            <Text key={name} inverse={selected} wrap="truncate-end">
              {`${selected ? "›" : " "} ${fit(name, 20, true)} ${fit(p.kind, 14, true)} `}
              <Text dimColor={!selected}>{p.description ?? JSON.stringify(p.target)}</Text>
            </Text>
          );
        })
      )}
    </Box>
  );
}
