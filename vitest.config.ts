import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real gRPC servers and child processes: two cores, so keep the pool small.
    pool: "forks",
    maxWorkers: 2,
    env: { NODE_ENV: "test", FORCE_COLOR: "0" },
    // One temp root per run (TMPDIR for the tests and the processes they start), removed at the end.
    globalSetup: ["test/global-temp-dir.ts"],
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-report.json" },
  },
});
