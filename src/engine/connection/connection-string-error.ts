import { ConfigError } from "../../errors.js";

/** A malformed connection string. `problem` is the bare reason, without any prefix, for embedding in other messages. */
export class ConnectionStringError extends ConfigError {
  constructor(readonly problem: string) {
    super(`invalid connection string: ${problem}`);
  }
}
