/** The flag the shebang gives every command ("--max-semi-space-size=2"). */
export declare const DASHBOARD_FLAG: string;
/** Node's flags without DASHBOARD_FLAG when `args` run `worker` or `hub` under it; otherwise null. */
export declare function withoutDashboardFlags(execArgv: readonly string[], args: readonly string[]): string[] | null;
/** The command `args` run: the first word that is not an option (the value of `-p`/`--profile` skipped). */
export declare function commandOf(args: readonly string[]): string | undefined;
