import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../src/engine/loopback.js";

describe("isLoopbackHost: only addresses that cannot leave this machine", () => {
  it.each(["localhost", "LocalHost", "127.0.0.1", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(["127.evil.example", "127.0.0.1.nip.io", "127.0.0.256", "127.1", "dev.localhost", "localhost.example.com", "0.0.0.0", "::", "10.0.0.1", "::ffff:10.0.0.1", ""])(
    "%s is not",
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
