/**
 * What the commands do, behind the one module they load on demand (the dashboard's and the hub's aside): with one
 * dynamic entry point instead of several, the bundle's code splitting makes a few shared chunks instead of many
 * small ones, and the ES module loader costs ~0.2 ms a file (`list` loads 14 files instead of 27).
 */
export * as monitor from "./monitor-actions.js";
export * as profile from "./profile-actions.js";
export { configFilePath, loadProfiles } from "../../config/index.js";
export { CONNECT_TIMEOUT_MS, withEngine } from "../engine-session.js";
export { describeEndpoint } from "../../engine/connection/errors.js";
