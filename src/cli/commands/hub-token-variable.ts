/** The variable that gives the standalone hub its token (hub-token.ts; named in `hub --help`). */
export const ENV_HUB_TOKEN = "DURABLE_MONITOR_TUI_HUB_TOKEN";
