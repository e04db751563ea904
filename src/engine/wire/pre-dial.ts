/**
 * A connection opened before a one-shot command loads the modules it runs with (~10 ms), to the hub it will most
 * likely call: the hub's accept and its SETTINGS then arrive while the modules load, not after. The wire client takes
 * the connection when it dials that address (h2-session.ts); one nobody takes does not keep the process alive.
 */
import { createRequire } from "node:module";
import type { Socket } from "node:net";

// Required on first use: the commands that never dial (profiles, config) do not load node:net.
const load = createRequire(import.meta.url);
const dialed = new Map<string, Socket>();

/** Starts a TCP connection to `host:port`, known by `address` (host:port as the wire client dials it). */
export function preDial(address: string, host: string, port: number): void {
  if (dialed.has(address)) return;
  const { connect } = load("node:net") as typeof import("node:net");
  const socket = connect({ host, port, noDelay: true });
  socket.on("error", () => dialed.delete(address));
  socket.unref();
  dialed.set(address, socket);
}

/** The connection pre-dialed to `address` when there is one still open; the caller owns it from then on. */
export function takePreDialed(address: string): Socket | undefined {
  const socket = dialed.get(address);
  dialed.delete(address);
  if (!socket || socket.destroyed) return undefined;
  socket.removeAllListeners("error");
  socket.ref();
  return socket;
}
