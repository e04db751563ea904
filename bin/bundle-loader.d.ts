/** The commands whose first word is a group (`profiles list`, `config path`). */
export declare const COMMAND_GROUPS: readonly string[];
/** The code cache a command line runs with ("list", "profiles-list", "dashboard"); undefined for help and the version. */
export declare function cacheNameOf(args: readonly string[]): string | undefined;
/** Runs the CommonJS bundle at `file` with the code cache named `command` (none when undefined); its exports. */
export declare function runBundle(file: string, command: string | undefined): Record<string, unknown>;
