/**
 * The local hub: a Durable Task backend (TaskHubSidecarService over gRPC, persisted in SQLite) that the SDK's
 * TaskHubGrpcWorker and TaskHubGrpcClient connect to. See server.ts (startHub), embedded.ts (one owner per
 * database file), backend.ts (domain operations), store.ts (persistence contract), runtime-state.ts (the pure
 * state machine), dispatcher.ts (work items, leases, timers), grpc-service.ts (protocol adapter).
 */
export { startHub, HubStartError, isLoopbackHost, type HubOptions, type RunningHub } from "./server.js";
export { acquireEmbeddedHub, type EmbeddedHub } from "./embedded.js";
export { dialHost, endpointFileFor, claimEndpoint, liveEndpoint, markShared, withdrawEndpoint, type Endpoint } from "./endpoint-file.js";
