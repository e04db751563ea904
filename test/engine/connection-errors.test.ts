import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { isUnreachable, toEngineError } from "../../src/engine/connection/errors.js";
import { BackendUnreachableError, ConfigError, NotFoundError, UsageError, errorMessage } from "../../src/errors.js";
import type { ConnectionInfo } from "../../src/engine/types.js";

const info: ConnectionInfo = { kind: "embedded", location: "/data/hub.sqlite", taskHub: "default", address: "127.0.0.1:4100" };
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

describe("gRPC failures become the app's named errors", () => {
  it.each([
    [status.UNAVAILABLE, "No connection established"],
    [status.DEADLINE_EXCEEDED, "Deadline exceeded"],
    // A server (or proxy) that goes away mid-call ends it with CANCELLED: we never cancel a call we still wait for.
    [status.CANCELLED, "Call cancelled"],
  ])("code %i is 'cannot reach', exit 4", (code, details) => {
    expect(isUnreachable(grpcError(code, details))).toBe(true);
    const error = toEngineError(grpcError(code, details), info);
    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect(error.message).toMatch(/^cannot reach the embedded hub \(\/data\/hub\.sqlite at 127\.0\.0\.1:4100\)/);
  });

  it("names what it could not reach: the embedded hub, our standalone hub (reached with its token), the emulator", () => {
    const unreachable = grpcError(status.UNAVAILABLE, "No connection established");
    const remote = { location: "http://localhost:4001", taskHub: "default", address: "localhost:4001" };
    const toHub = toEngineError(unreachable, { kind: "emulator", ...remote, localHub: true }) as BackendUnreachableError;
    // The remedy is its own field; a person reads both, joined.
    expect(toHub.message).toMatch(/^cannot reach the hub at http:\/\/localhost:4001 \(task hub 'default'\): UNAVAILABLE: No connection established$/);
    expect(toHub.tryMessage).toBe("is the hub running? (durable-monitor-tui hub)");
    expect(errorMessage(toHub)).toBe(`${toHub.message} — is the hub running? (durable-monitor-tui hub)`);
    expect((toEngineError(unreachable, { kind: "emulator", ...remote }) as BackendUnreachableError).tryMessage).toMatch(/^is the emulator running\?/);
  });

  it("refusals keep their own classes", () => {
    expect(toEngineError(grpcError(status.UNAUTHENTICATED, "no token"), info)).toBeInstanceOf(ConfigError);
    expect(toEngineError(grpcError(status.NOT_FOUND, "no instance"), info)).toBeInstanceOf(NotFoundError);
    expect(toEngineError(grpcError(status.RESOURCE_EXHAUSTED, "too big"), info)).toBeInstanceOf(UsageError);
    expect(isUnreachable(grpcError(status.INVALID_ARGUMENT, "bad"))).toBe(false);
  });
});
