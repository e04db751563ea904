/** The task hub a client addresses and the local hub serves when none is named (as the emulator does). */
export const DEFAULT_TASK_HUB = "default";
