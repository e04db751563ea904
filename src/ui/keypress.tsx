/**
 * The one keypress pipeline: stdin is read once here (Ink's `useInput` and `usePaste`, which also turns on bracketed
 * paste), a chunk of fast typing is split into single keys (ESC + key into Esc, then the key), and a paste stays one
 * `paste` event. Panels subscribe with
 * `useKeypress` (or `useCommands`) and say whether they consumed each event; the highest priority goes first.
 *
 * A subscription belongs to the screen it was rendered for. A key that arrives after another key changed the screen,
 * before the new screen's panel has subscribed ("n" then Enter in one read), waits and goes to that panel.
 * A paste that no panel takes as text is dropped with a note: pasted text never acts as keys.
 *
 * A key's frame jumps the queue: Ink draws at most `maxFps` frames a second, so a key pressed just after a refresh's
 * or the clock's frame would wait out the rest of that interval (up to 50 ms at 20 fps) before its effect shows. After
 * each read the pipeline asks Ink to draw what is pending now (`drawKeysAtOnce`, set where Ink throttles: the
 * terminal; the testing library's Ink draws every render at once, and Ink's flush writes an empty string to stdout,
 * which the library would record as the last frame). Background updates keep the frame-rate limit.
 */
import React, { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import { useApp, useInput, usePaste, type Key } from "ink";
import { useDashboard, useDispatch, useStoreApi } from "./context.js";
import { commandFor, splitKeys, type Command } from "./keys.js";
import type { Screen } from "./state/store.js";

export type Keypress = { kind: "key"; input: string; key: Key } | { kind: "paste"; text: string };

/** Returns true when it consumed the event (no lower-priority subscriber sees it). */
type KeypressHandler = (event: Keypress) => boolean;

/** Who goes first on one screen: a dialog before the view under it, the view before app-wide keys. */
export const KeyPriority = { App: 0, View: 10, Dialog: 20 } as const;

interface Subscriber {
  handler: { current: KeypressHandler };
  priority: number;
  screen: Screen;
}

interface Pipeline {
  subscribe(subscriber: Subscriber): () => void;
}

const PipelineContext = createContext<Pipeline | undefined>(undefined);

export function KeypressProvider({ children, drawKeysAtOnce = false }: { children: ReactNode; drawKeysAtOnce?: boolean }) {
  const store = useStoreApi();
  const dispatch = useDispatch();
  const pipeline = useRef<Pipeline | undefined>(undefined);
  const subscribers = useRef(new Set<Subscriber>()).current;
  const waiting = useRef<Keypress[]>([]).current;
  const { waitUntilRenderFlush } = useApp();
  const drawNow = (): void => {
    if (drawKeysAtOnce) void waitUntilRenderFlush();
  };

  const current = (): Subscriber[] => {
    const screen = store.getState().screen;
    return [...subscribers].filter((s) => s.screen === screen).sort((a, b) => b.priority - a.priority);
  };
  const deliver = (event: Keypress): void => {
    const listeners = current();
    if (!listeners.length) {
      waiting.push(event);
      return;
    }
    for (const s of listeners) if (s.handler.current(event)) return;
    if (event.kind === "paste") {
      dispatch({ type: "result", result: { kind: "info", text: "Pasted text ignored: paste works in text fields only (/ filter, new monitor, prompts)" } });
    }
  };
  const drain = (): void => {
    while (waiting.length && current().length) deliver(waiting.shift()!);
  };
  pipeline.current ??= {
    subscribe(subscriber) {
      subscribers.add(subscriber);
      drain();
      return () => subscribers.delete(subscriber);
    },
  };

  useInput((input, key) => {
    for (const k of unAlt(input, key)) deliver({ kind: "key", ...k });
    drawNow();
  });
  usePaste((text) => {
    deliver({ kind: "paste", text });
    drawNow();
  });
  return <PipelineContext.Provider value={pipeline.current}>{children}</PipelineContext.Provider>;
}

/** `key` with every flag off except `escape`: the Esc key on its own. */
function escapeKey(key: Key): Key {
  const flags = Object.fromEntries(Object.entries(key).map(([name, value]) => [name, typeof value === "boolean" ? false : value]));
  return { ...(flags as unknown as Key), escape: true };
}

/**
 * The single keys of one `useInput` call. A terminal sends Alt+key as ESC + key, and Ink reads ESC followed at once
 * by a key (in one read, or in the next read within its escape timeout) as Alt+key. The dashboard binds no Alt key,
 * so such a key is what the user pressed: Esc, then the key (Esc then q closes the dialog, then quits).
 */
function unAlt(input: string, key: Key): Array<{ input: string; key: Key }> {
  if (!key.meta) return key.ctrl ? [{ input, key }] : splitKeys(input, key);
  const rest: Key = { ...key, meta: false };
  return [{ input: "", key: escapeKey(key) }, ...(rest.ctrl ? [{ input, key: rest }] : splitKeys(input, rest))];
}

/** Subscribes `handler` while `isActive`, for the screen this component is rendered on. */
export function useKeypress(handler: KeypressHandler, options: { isActive: boolean; priority: number }): void {
  const pipeline = useContext(PipelineContext);
  if (!pipeline) throw new Error("useKeypress needs <KeypressProvider>");
  const screen = useDashboard((s) => s.screen);
  const ref = useRef(handler);
  ref.current = handler;
  const { isActive, priority } = options;
  useEffect(() => {
    if (!isActive) return;
    return pipeline.subscribe({ handler: ref, priority, screen });
  }, [pipeline, isActive, priority, screen]);
}

/**
 * For panels without text input: consumes exactly the keys of `commands` and calls `onCommand` with the command.
 * Pastes are not consumed (the pipeline drops them with a note).
 */
export function useCommands<C extends Command>(
  commands: readonly C[],
  onCommand: (command: C) => void,
  options: { isActive: boolean; priority?: number },
): void {
  useKeypress(
    (event) => {
      if (event.kind !== "key") return false;
      const command = commandFor(commands, event.input, event.key);
      if (command) onCommand(command);
      return command !== undefined;
    },
    { isActive: options.isActive, priority: options.priority ?? KeyPriority.View },
  );
}

/** Text typed or pasted into a one-line field: control characters go, line breaks and tabs become spaces. */
export function pastedText(text: string): string {
  return text
    .replace(/[\r\n]+$/, "")
    .replace(/\r\n|[\r\n\t]/g, " ")
    .replace(/[\u0000-\u001f\u007f]/g, "");
}
