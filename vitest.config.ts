import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real gRPC servers and child processes, and spend most of their time waiting on them
    // (a whole run uses about one core of two): three workers took the suite from 149 s to 102 s on this 2-core
    // machine, all passing. Timing assertions wait on conditions, so a busier machine is slower, not red.
    pool: "forks",
    maxWorkers: 3,
    // Test files share a worker's module cache: importing the SDK, grpc-js and Ink once per worker instead of once per
    // file cut the suite's import time from ~190 s to ~33 s (summed over workers). Tests must not leave global state
    // behind (none mocks modules or stubs globals; the one env change is restored).
    isolate: false,
    // Monitors in tests poll every few tens of ms; the shipped minimum interval (1 s) is tested with this unset.
    env: { NODE_ENV: "test", FORCE_COLOR: "0", DURABLE_MONITOR_TUI_MIN_INTERVAL_SECONDS: "0.01" },
    // One temp root per run (TMPDIR for the tests and the processes they start), removed at the end.
    globalSetup: ["test/global-temp-dir.ts"],
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-report.json" },
  },
});
