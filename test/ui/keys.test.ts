import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Key } from "ink";
import { COMMANDS, KEYMAP, commandFor, helpSections, isCommand, keyLabels, splitKeys, type Command } from "../../src/ui/keys.js";

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (k: Partial<Key>): Key => ({ ...NO_KEY, ...k });

describe("keymap", () => {
  it("answers 'is this key command X?' for characters and special keys", () => {
    expect(isCommand("nav.down", "j", NO_KEY)).toBe(true);
    expect(isCommand("nav.down", "", key({ downArrow: true }))).toBe(true);
    expect(isCommand("nav.up", "k", NO_KEY)).toBe(true);
    expect(isCommand("nav.last", "G", key({ shift: true }))).toBe(true);
    expect(isCommand("nav.first", "g", NO_KEY)).toBe(true);
    expect(isCommand("nav.first", "G", key({ shift: true }))).toBe(false);
    expect(isCommand("view.details", "", key({ return: true }))).toBe(true);
    expect(isCommand("list.mark", " ", NO_KEY)).toBe(true);
    expect(isCommand("app.quit", "c", key({ ctrl: true }))).toBe(true);
    expect(isCommand("monitor.pollNow", "c", key({ ctrl: true }))).toBe(false);
    expect(isCommand("form.next", "", key({ tab: true }))).toBe(true);
    expect(isCommand("form.next", "", key({ tab: true, shift: true }))).toBe(false);
    expect(isCommand("form.prev", "", key({ tab: true, shift: true }))).toBe(true);
  });

  it("finds the first matching command among those a panel listens to", () => {
    expect(commandFor(["monitor.terminate", "monitor.purge"], "x", NO_KEY)).toBe("monitor.purge");
    expect(commandFor(["monitor.terminate"], "q", NO_KEY)).toBeUndefined();
  });

  it("no two table commands share a binding (the help would lie otherwise)", () => {
    const table = COMMANDS.filter((c) => !c.startsWith("form.") && !c.startsWith("dialog."));
    const seen = new Map<string, Command>();
    for (const c of table) {
      for (const label of keyLabels(c)) {
        expect(seen.get(label), `${label} bound to ${seen.get(label)} and ${c}`).toBeUndefined();
        seen.set(label, c);
      }
    }
  });

  it("has every key issue 5 names, and the help groups every command exactly once", () => {
    const labels = (c: Command) => keyLabels(c);
    expect(labels("nav.up")).toEqual(["↑", "k"]);
    expect(labels("nav.down")).toEqual(["↓", "j"]);
    for (const [c, k] of [
      ["nav.first", "g"], ["nav.last", "G"], ["view.details", "Enter"], ["view.back", "Esc"], ["monitor.new", "n"],
      ["monitor.preset", "p"], ["monitor.terminate", "t"], ["monitor.suspendResume", "s"], ["monitor.pollNow", "c"],
      ["monitor.setInterval", "i"], ["monitor.purge", "x"], ["monitor.restart", "r"], ["list.filter", "/"],
      ["list.statusFilter", "f"], ["list.sort", "o"], ["list.mark", "space"], ["app.help", "?"], ["app.quit", "q"],
    ] as Array<[Command, string]>) {
      expect(labels(c), c).toContain(k);
    }
    const inHelp = helpSections().flatMap((s) => s.entries.map((e) => e.command));
    expect(inHelp.sort()).toEqual([...COMMANDS].sort());
    for (const c of ["monitor.terminate", "monitor.suspendResume", "monitor.purge"] as Command[]) {
      expect(KEYMAP[c].batch).toBe(true);
    }
  });

  it("UI text names keys through the keymap: no key names written into the components", () => {
    const uiDir = join(import.meta.dirname, "..", "..", "src", "ui");
    const files = readdirSync(uiDir, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f) && f !== "keys.ts");
    const literals = files.flatMap((f) =>
      readFileSync(join(uiDir, f), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
        .filter((line) => /["'`][^"'`]*\b(Enter|Esc|Tab)\b|[↑↓]/.test(line))
        .map((line) => `${f}: ${line.trim()}`),
    );
    expect(files.length).toBeGreaterThan(10);
    expect(literals).toEqual([]);
  });

  it("splits a chunk of fast typing into the keys a terminal sends one by one", () => {
    const keys = splitKeys("aB\t\u007f\r", NO_KEY);
    expect(keys.map((k) => k.input)).toEqual(["a", "B", "", "", ""]);
    expect(keys[1]!.key.shift).toBe(true);
    expect(keys[2]!.key.tab).toBe(true);
    expect(keys[3]!.key.backspace).toBe(true);
    expect(isCommand("form.submit", keys[4]!.input, keys[4]!.key)).toBe(true);
    expect(splitKeys("j", NO_KEY)).toEqual([{ input: "j", key: NO_KEY }]);
  });
});
