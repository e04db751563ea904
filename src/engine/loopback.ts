/**
 * The loopback rule, in one place for the hub (where it may bind without a token) and the connection (where a bearer
 * token may go without TLS): only addresses that cannot leave this machine. `localhost` is the one name accepted (the
 * OS resolves it to loopback); every other name is not loopback, even one that starts with `127.` or ends in
 * `.localhost` (a resolver or /etc/hosts may point it anywhere). Dependency-free: the CLI loads it at start-up.
 */

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for `localhost`, an IPv4 literal in 127.0.0.0/8, `::1` (also bracketed) and `::ffff:127.x.y.z`. */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (h.startsWith("::ffff:")) h = h.slice("::ffff:".length);
  const v4 = IPV4_LOOPBACK.exec(h);
  return !!v4 && v4.slice(1).every((octet) => Number(octet) <= 255);
}
