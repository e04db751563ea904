/** The flag the shebang gives every command ("--max-semi-space-size=2"). */
export declare const DASHBOARD_FLAG: string;
/** Node's flags without DASHBOARD_FLAG when `args` run `worker` or `hub` under it; otherwise null. */
export declare function withoutDashboardFlags(execArgv: readonly string[], args: readonly string[]): string[] | null;
