/**
 * A tmux pane as a real terminal for end-to-end tests: its own tmux server (a private socket), a fixed size,
 * keys sent as tmux sends them, and the screen read back with capture-pane. `kill()` stops the server.
 */
import { execFileSync } from "node:child_process";

export interface TmuxPane {
  /** Sends tmux key names ("Enter", "Tab", "BSpace", "Escape", "Down") or single characters. */
  keys(...keys: string[]): void;
  /** Types text literally. */
  type(text: string): void;
  /** The visible screen, as text. */
  screen(): string;
  /** Waits until the predicate holds on the screen; throws with the screen on timeout. */
  waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Replaces the pane's program with `command` (the pane keeps its size). */
  respawn(command: string): void;
  kill(): void;
}

export function tmuxAvailable(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Single-quotes a string for sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function openPane(command: string, size: { columns: number; rows: number }): TmuxPane {
  const socket = `dmt-e2e-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  tmux("new-session", "-d", "-s", "main", "-x", String(size.columns), "-y", String(size.rows), command);
  tmux("set-option", "-t", "main", "remain-on-exit", "on");
  const screen = () => tmux("capture-pane", "-p", "-t", "main");
  return {
    keys: (...keys) => {
      for (const k of keys) tmux("send-keys", "-t", "main", k);
    },
    type: (text) => {
      tmux("send-keys", "-t", "main", "-l", text);
    },
    screen,
    async waitFor(what, timeoutMs = 30_000) {
      const test = typeof what === "string" ? (s: string) => s.includes(what) : what instanceof RegExp ? (s: string) => what.test(s) : what;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(what)}; screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    respawn(cmd) {
      tmux("respawn-pane", "-k", "-t", "main", cmd);
    },
    kill() {
      try {
        tmux("kill-server");
      } catch {
        // already gone
      }
    },
  };
}
