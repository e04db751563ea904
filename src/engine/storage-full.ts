/**
 * How our hub tells a client that a write was refused for want of room (its disk is full), apart from a payload over
 * a size limit: both are RESOURCE_EXHAUSTED (gRPC's code for "out of quota or disk space"); this trailer marks the first.
 * Shared by the hub (which sets it) and the client side (which makes it a BackendStorageError, exit 4).
 */
export const STORAGE_FULL_TRAILER = "durable-monitor-tui-storage-full";

/** What to do about it: the hub names the database and where the room ran out; this is the remedy shown with it. */
export const STORAGE_FULL_REMEDY = "free space there, or purge finished instances; the hub keeps running and carries on with the refused work when there is room";
