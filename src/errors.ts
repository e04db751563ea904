/** Process exit codes: documented in the README; tests assert them. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Config: 3,
  Unreachable: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error meant for the user: `message` says what is wrong, `tryMessage` (when there is one) what to do about it,
 * kept apart so the terminal, `--json` (`error`, `try`) and the log each render both. No stack trace is shown.
 * Classify errors by class, never by message text.
 */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly tryMessage?: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags, arguments or values given on the command line, or a request the backend refuses as invalid. */
export class UsageError extends FatalError {
  constructor(message: string, tryMessage?: string) {
    super(message, tryMessage, ExitCode.Usage);
  }
}

/** The config file (or an environment override) is malformed, or the backend refused the credentials. */
export class ConfigError extends FatalError {
  constructor(message: string, tryMessage?: string) {
    super(message, tryMessage, ExitCode.Config);
  }
}

/** The backend (hub, emulator, Azure DTS) could not be reached. */
export class BackendUnreachableError extends FatalError {
  constructor(message: string, tryMessage?: string) {
    super(message, tryMessage, ExitCode.Unreachable);
  }
}

/** The backend is up but its storage refuses writes (the hub's disk is full): exit 4 like an unreachable backend. */
export class BackendStorageError extends FatalError {
  constructor(message: string, tryMessage?: string) {
    super(message, tryMessage, ExitCode.Unreachable);
  }
}

/** A named thing (instance, profile, preset) does not exist. */
export class NotFoundError extends FatalError {
  constructor(message: string, tryMessage?: string) {
    super(message, tryMessage, ExitCode.Failure);
  }
}

/** An instance did not finish within the time a caller was willing to wait (`start --wait`, `waitForCompletion`). */
export class WaitTimeoutError extends FatalError {
  constructor(
    readonly instanceId: string,
    readonly timeoutMs: number,
  ) {
    super(`'${instanceId}' did not finish within ${Math.round(timeoutMs / 1000)} s`);
  }
}

/** The error's text for a person: its message, then its remedy (`message — try`). */
export function errorMessage(error: unknown): string {
  if (error instanceof FatalError && error.tryMessage) return `${error.message} — ${error.tryMessage}`;
  return error instanceof Error ? error.message : String(error);
}

/** The error as `--json` prints it: `{ error, try?, exitCode }`. */
export function errorJson(error: FatalError): { error: string; try?: string; exitCode: ExitCode } {
  return { error: error.message, ...(error.tryMessage ? { try: error.tryMessage } : {}), exitCode: error.exitCode };
}
