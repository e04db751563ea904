import type { AppLogger } from "../../logging.js";
import { SDK_CHATTY_EVENTS } from "../sdk-seam.js";

/** Levels of the SDK's logger (its `Logger`/`StructuredLogger` interfaces). */
type SdkLogLevel = "error" | "warn" | "info" | "debug";

/** A structured SDK log event (event ids: 700 connected, 701 worker error, 703 stream retry, 704 stream error, 709 connection retry ...). */
export interface SdkLogEvent {
  eventId: number;
  category: string;
  properties?: Record<string, unknown>;
}


/** The SDK's StructuredLogger shape, declared here so nothing else imports SDK types for it. */
interface SdkLogger extends AppLogger {
  logEvent(level: SdkLogLevel, event: SdkLogEvent, message: string): void;
}

/**
 * Adapts an app logger (normally `createFileLogger(logFile, "sdk")`) to the SDK's logger so the SDK never prints to
 * the console. Per-work-item info events are demoted to debug so a long-running worker's log stays small. `onEvent` sees every structured event (the engine derives the worker's state from them);
 * exceptions thrown by `onEvent` are swallowed: logging never breaks the worker.
 */
export function createSdkLogger(target: AppLogger, onEvent?: (level: SdkLogLevel, event: SdkLogEvent, message: string) => void): SdkLogger {
  return {
    error: (m, ...a) => target.error(m, ...a),
    warn: (m, ...a) => target.warn(m, ...a),
    info: (m, ...a) => target.info(m, ...a),
    debug: (m, ...a) => target.debug(m, ...a),
    logEvent(level, event, message) {
      const effective = level === "info" && SDK_CHATTY_EVENTS.has(event.eventId) ? "debug" : level;
      target[effective](`[${event.eventId}] ${message}`);
      if (!onEvent) return;
      try {
        onEvent(level, event, message);
      } catch {
        // a listener must not break the SDK
      }
    },
  };
}
