/** Runs the CommonJS bundle at `file` with the code cache named after `command` (none when undefined); its exports. */
export declare function runBundle(file: string, command: string | undefined): Record<string, unknown>;
