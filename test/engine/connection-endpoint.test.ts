import { describe, expect, it } from "vitest";
import { ConfigError, ExitCode } from "../../src/errors.js";
import { endpointAddress, isLoopbackHost } from "../../src/engine/connection/endpoint.js";

describe("endpointAddress: where and how a DTS endpoint is dialled", () => {
  it.each([
    // endpoint, sends a bearer token?, address, TLS
    ["https://x.westus2.durabletask.io", true, "x.westus2.durabletask.io:443", true],
    ["https://x.westus2.durabletask.io", false, "x.westus2.durabletask.io:443", true],
    ["x.westus2.durabletask.io", true, "x.westus2.durabletask.io:443", true], // no scheme: https, as the official client
    ["x.westus2.durabletask.io:4443", false, "x.westus2.durabletask.io:4443", true],
    ["localhost:8080", false, "localhost:8080", false], // the samples' ENDPOINT=localhost:8080: the plaintext emulator
    ["127.0.0.1:8080", false, "127.0.0.1:8080", false],
    ["[::1]:8080", false, "[::1]:8080", false],
    ["localhost:8080", true, "localhost:8080", true], // a credential always gets TLS when the scheme leaves it open
    ["http://localhost:8080", false, "localhost:8080", false],
    ["http://127.0.0.1:4001", true, "127.0.0.1:4001", false], // a token over plaintext: loopback only
    ["http://emulator.lan:8080", false, "emulator.lan:8080", false], // no token: plaintext anywhere is allowed
    ["https://localhost:8443", true, "localhost:8443", true],
  ])("%s (bearer %s) → %s, TLS %s", (endpoint, bearer, address, useTls) => {
    expect(endpointAddress(endpoint, bearer)).toMatchObject({ address, useTls });
  });

  it("refuses to send a bearer token over plaintext to a host that is not loopback (exit 3)", () => {
    for (const endpoint of ["http://x.westus2.durabletask.io", "http://10.0.0.5:8080", "http://emulator.lan:8080"]) {
      let caught: unknown;
      try {
        endpointAddress(endpoint, true);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).exitCode).toBe(ExitCode.Config);
      expect((caught as Error).message).toMatch(/never sent without TLS except to localhost\/loopback: use https:\/\//);
    }
  });

  it.each([["ftp://x"], ["not a url"], ["https://"], ["http://x y"]])("rejects %j with a clear message", (endpoint) => {
    expect(() => endpointAddress(endpoint)).toThrow(ConfigError);
  });

  it("knows loopback hosts", () => {
    expect(["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"].every(isLoopbackHost)).toBe(true);
    expect(["dev.localhost", "localhost.example.com", "128.0.0.1", "10.0.0.1", "example.com", "::2"].some(isLoopbackHost)).toBe(false);
  });
});
