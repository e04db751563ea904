/**
 * The one keymap table. Every key the dashboard reacts to is declared here: the command it triggers, its bindings,
 * the category the help overlay (`?`) groups it under, whether it changes anything (refused in `--readonly`) and
 * whether it acts on every marked row (`batch`). Components ask `isCommand("monitor.terminate", input, key)` and name
 * keys in text with `keyLabel(command)`; no key literals live anywhere else. What applies to a selection: `applies.ts`.
 */
import type { Key } from "ink";

/** A special key as Ink's `useInput` reports it. */
type SpecialKey =
  | "up"
  | "down"
  | "left"
  | "right"
  | "pageUp"
  | "pageDown"
  | "home"
  | "end"
  | "return"
  | "escape"
  | "tab"
  | "backspace"
  | "delete";

/** One key binding: a printable character (case-sensitive) or a special key, with optional modifiers. */
type Binding = { char: string; ctrl?: boolean } | { key: SpecialKey; shift?: boolean; ctrl?: boolean };

type Category = "Navigation" | "Monitors" | "List" | "Forms & dialogs" | "App";
const CATEGORIES: readonly Category[] = ["Navigation", "Monitors", "List", "Forms & dialogs", "App"];

interface CommandSpec {
  /** What the help overlay says. */
  description: string;
  /** The footer's short word for it, when shorter than the description. */
  hint?: string;
  category: Category;
  bindings: readonly Binding[];
  /** True when the command changes a monitor (refused in read-only mode). */
  mutates?: boolean;
  /** True when the command acts on every marked row (that it fits) instead of the selected one. */
  batch?: boolean;
}

const TABLE = {
  "nav.up": { description: "move up", category: "Navigation", bindings: [{ key: "up" }, { char: "k" }] },
  "nav.down": { description: "move down", category: "Navigation", bindings: [{ key: "down" }, { char: "j" }] },
  "nav.first": { description: "first row", category: "Navigation", bindings: [{ char: "g" }, { key: "home" }] },
  "nav.last": { description: "last row", category: "Navigation", bindings: [{ char: "G" }, { key: "end" }] },
  "nav.pageUp": { description: "page up", category: "Navigation", bindings: [{ key: "pageUp" }] },
  "nav.pageDown": { description: "page down", category: "Navigation", bindings: [{ key: "pageDown" }] },
  "view.details": { hint: "details", description: "details of the selected monitor", category: "Navigation", bindings: [{ key: "return" }] },
  "view.back": { hint: "back", description: "back / close", category: "Navigation", bindings: [{ key: "escape" }] },

  "monitor.new": { hint: "new", description: "new monitor", category: "Monitors", bindings: [{ char: "n" }], mutates: true },
  "monitor.preset": { hint: "preset", description: "launch a preset", category: "Monitors", bindings: [{ char: "p" }], mutates: true },
  "monitor.terminate": {
    hint: "terminate",
    description: "terminate (asks; optional reason)",
    category: "Monitors",
    bindings: [{ char: "t" }],
    mutates: true,
    batch: true,
  },
  "monitor.suspendResume": {
    hint: "suspend",
    description: "suspend / resume",
    category: "Monitors",
    bindings: [{ char: "s" }],
    mutates: true,
    batch: true,
  },
  "monitor.pollNow": { hint: "check now", description: "check now (poll-now)", category: "Monitors", bindings: [{ char: "c" }], mutates: true },
  "monitor.setInterval": { hint: "interval", description: "change the interval", category: "Monitors", bindings: [{ char: "i" }], mutates: true },
  "monitor.purge": {
    hint: "purge",
    description: "purge (finished only; asks)",
    category: "Monitors",
    bindings: [{ char: "x" }],
    mutates: true,
    batch: true,
  },
  "monitor.raise": {
    hint: "event",
    description: "raise an event (name + JSON)",
    category: "Monitors",
    bindings: [{ char: "e" }],
    mutates: true,
  },
  "monitor.restart": { hint: "restart", description: "restart with the same input", category: "Monitors", bindings: [{ char: "r" }], mutates: true },

  "list.filter": { hint: "filter", description: "filter by text", category: "List", bindings: [{ char: "/" }] },
  "list.statusFilter": { hint: "status", description: "cycle the status filter", category: "List", bindings: [{ char: "f" }] },
  "list.sort": { hint: "sort", description: "cycle the sort", category: "List", bindings: [{ char: "o" }] },
  // {batch}: the keys of the batch commands, from this table.
  "list.mark": { hint: "mark", description: "mark ({batch} then act on all marked)", category: "List", bindings: [{ char: " " }] },

  "form.next": { description: "next field", category: "Forms & dialogs", bindings: [{ key: "tab" }, { key: "down" }] },
  "form.prev": {
    hint: "prev field",
    description: "previous field",
    category: "Forms & dialogs",
    bindings: [{ key: "tab", shift: true }, { key: "up" }],
  },
  "form.submit": { hint: "launch", description: "launch / confirm", category: "Forms & dialogs", bindings: [{ key: "return" }] },
  "form.cancel": { description: "cancel", category: "Forms & dialogs", bindings: [{ key: "escape" }] },
  "form.erase": { description: "erase a character", category: "Forms & dialogs", bindings: [{ key: "backspace" }, { key: "delete" }] },
  "dialog.yes": { description: "yes", category: "Forms & dialogs", bindings: [{ char: "y" }] },
  "dialog.no": { description: "no", category: "Forms & dialogs", bindings: [{ char: "n" }, { key: "escape" }] },

  "app.help": { hint: "help", description: "help (this screen)", category: "App", bindings: [{ char: "?" }] },
  "app.quit": { hint: "quit", description: "quit (monitors keep running)", category: "App", bindings: [{ char: "q" }, { char: "c", ctrl: true }] },
} as const satisfies Record<string, CommandSpec>;

export type Command = keyof typeof TABLE;
/** The table, typed so every command has every optional field (`mutates`, `batch`) to read. */
export const KEYMAP: Readonly<Record<Command, CommandSpec>> = TABLE;
export const COMMANDS = Object.keys(KEYMAP) as Command[];
/** The commands that act on all marked rows, in table order. */
export const BATCH_COMMANDS: readonly Command[] = COMMANDS.filter((c) => KEYMAP[c].batch);

function specialKeyPressed(name: SpecialKey, key: Key): boolean {
  switch (name) {
    case "up":
      return key.upArrow;
    case "down":
      return key.downArrow;
    case "left":
      return key.leftArrow;
    case "right":
      return key.rightArrow;
    case "pageUp":
      return key.pageUp;
    case "pageDown":
      return key.pageDown;
    case "home":
      return key.home;
    case "end":
      return key.end;
    case "return":
      return key.return;
    case "escape":
      return key.escape;
    case "tab":
      return key.tab;
    case "backspace":
      return key.backspace;
    case "delete":
      return key.delete;
  }
}

/** Whether one binding matches the key Ink reported. */
function bindingMatches(binding: Binding, input: string, key: Key): boolean {
  if ("char" in binding) {
    if (Boolean(binding.ctrl) !== Boolean(key.ctrl)) return false;
    if (key.meta) return false;
    return input === binding.char;
  }
  if (!specialKeyPressed(binding.key, key)) return false;
  if (binding.shift !== undefined && Boolean(binding.shift) !== Boolean(key.shift)) return false;
  if (binding.shift === undefined && binding.key === "tab" && key.shift) return false;
  return Boolean(binding.ctrl) === Boolean(key.ctrl);
}

/** "Is this key command X?" — the only way components interpret keys. */
export function isCommand(command: Command, input: string, key: Key): boolean {
  return KEYMAP[command].bindings.some((b) => bindingMatches(b, input, key));
}

/** The first of `commands` the key triggers, if any (in the order given). */
export function commandFor<C extends Command>(commands: readonly C[], input: string, key: Key): C | undefined {
  return commands.find((c) => isCommand(c, input, key));
}

const SPECIAL_LABELS: Record<SpecialKey, string> = {
  up: "↑",
  down: "↓",
  left: "←",
  right: "→",
  pageUp: "PgUp",
  pageDown: "PgDn",
  home: "Home",
  end: "End",
  return: "Enter",
  escape: "Esc",
  tab: "Tab",
  backspace: "Backspace",
  delete: "Del",
};

function bindingLabel(binding: Binding): string {
  if ("char" in binding) {
    const ch = binding.char === " " ? "space" : binding.char;
    return binding.ctrl ? `Ctrl+${ch.toUpperCase()}` : ch;
  }
  const base = SPECIAL_LABELS[binding.key];
  return `${binding.shift ? "Shift+" : ""}${binding.ctrl ? "Ctrl+" : ""}${base}`;
}

/** Each binding of a command as text, e.g. ["↑", "k"]. */
export function keyLabels(command: Command): string[] {
  return KEYMAP[command].bindings.map(bindingLabel);
}

/** A command's main key as text, for hints and messages: "e", "Enter", "Esc". */
export function keyLabel(command: Command): string {
  return keyLabels(command)[0]!;
}

/** A command's description as the help shows it (placeholders filled from the table). */
export function describeCommand(command: Command): string {
  return KEYMAP[command].description.replace("{batch}", BATCH_COMMANDS.map(keyLabel).join(", "));
}

/** Every binding of a command as the help and the footer show it, e.g. "↑, k". */
export function keysLabel(command: Command): string {
  return keyLabels(command).join(", ");
}

/** The help overlay's content: every command, grouped by category, in table order. */
export function helpSections(): Array<{ category: Category; entries: Array<{ command: Command; keys: string; description: string }> }> {
  return CATEGORIES.map((category) => ({
    category,
    entries: COMMANDS.filter((c) => KEYMAP[c].category === category).map((command) => ({
      command,
      keys: keysLabel(command),
      description: describeCommand(command),
    })),
  }));
}

/**
 * Fast typing (or tmux, or a slow frame) can hand several keys to one `useInput` call as one string ("jj", "120\r").
 * Splits such a chunk into the single keys a terminal would have sent one by one: Enter, Tab and Backspace get their
 * key flags back. Escape sequences never reach here split (Ink parses them first).
 */
export function splitKeys(input: string, key: Key): Array<{ input: string; key: Key }> {
  if ([...input].length <= 1) return [{ input, key }];
  const plain: Key = { ...key, return: false, tab: false, backspace: false, delete: false, escape: false };
  return [...input].map((ch) => {
    if (ch === "\r" || ch === "\n") return { input: "", key: { ...plain, return: true } };
    if (ch === "\t") return { input: "", key: { ...plain, tab: true } };
    if (ch === "\u007f" || ch === "\b") return { input: "", key: { ...plain, backspace: true } };
    return { input: ch, key: { ...plain, shift: /[A-Z]/.test(ch) } };
  });
}
