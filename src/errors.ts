/** Process exit codes: documented in the README; tests assert them. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Config: 3,
  Unreachable: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: its message says what is wrong and how to fix it; no stack trace is shown. */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags, arguments or values given on the command line. */
export class UsageError extends FatalError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/** The config file (or an environment override) is malformed. */
export class ConfigError extends FatalError {
  constructor(message: string) {
    super(message, ExitCode.Config);
  }
}

/** The backend (hub, emulator, Azure DTS) could not be reached. */
export class BackendUnreachableError extends FatalError {
  constructor(message: string) {
    super(message, ExitCode.Unreachable);
  }
}

/** A named thing (instance, profile, preset) does not exist. */
export class NotFoundError extends FatalError {
  constructor(message: string) {
    super(message, ExitCode.Failure);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
