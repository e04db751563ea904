/** True for addresses only this machine can reach (localhost, 127.0.0.0/8, ::1). Dependency-free for the CLI. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || h.startsWith("127.");
}
