import { formatSize } from "../byte-size.js";
import type { CheckOutcome } from "./types.js";
import { PolicyRefusal } from "./policy.js";

/**
 * Small HTTP helpers shared by the http and github-issues checks and the alert: a fetch with a deadline that turns
 * every failure into a readable message, and Retry-After parsing.
 */

type FetchResult =
  | { ok: true; response: Response; text: string }
  /** `refused`: the worker's policy refused the request (nothing was sent; retrying cannot help). */
  | { ok: false; message: string; refused?: true };

/** The most of a response body any check or alert reads (a status answer is a few hundred bytes). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Fetches and reads the body (at most `maxBytes`, default MAX_RESPONSE_BYTES) within `timeoutMs`. Never throws:
 * network errors, timeouts, bodies over the cap (not read further) and unreadable bodies come back as
 * `{ ok: false, message }` naming the URL (a policy refusal as `{ ok: false, message, refused: true }`). A non-2xx status is still `ok: true` (the caller decides).
 */
export async function fetchText(fetchFn: typeof fetch, url: string, init: RequestInit, timeoutMs: number, maxBytes = MAX_RESPONSE_BYTES): Promise<FetchResult> {
  try {
    const response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await readBounded(response, maxBytes);
    if (text === undefined) {
      return { ok: false, message: `${init.method ?? "GET"} ${url}: the response is larger than ${formatSize(maxBytes)} (not read further)` };
    }
    return { ok: true, response, text };
  } catch (error) {
    if (error instanceof PolicyRefusal) return { ok: false, message: error.message, refused: true };
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") {
      return { ok: false, message: `${init.method ?? "GET"} ${url} timed out after ${timeoutMs / 1000} s` };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { ok: false, message: `${init.method ?? "GET"} ${url} failed: ${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

/** The failed check a fetch that got no response makes (a refusal says so: the monitor then fails at once). */
export function fetchFailure(got: { message: string; refused?: true }): CheckOutcome {
  return got.refused ? { status: "Unknown", message: got.message, refused: true } : { status: "Unknown", message: got.message };
}

/** The body as text, or undefined (and the stream cancelled) once it passes `maxBytes`. */
async function readBounded(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Seconds to wait from a Retry-After header: delay-seconds ("120") or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}

/** Parses JSON text; `{ ok: false }` when it is not JSON. Empty text is `{ ok: true, value: undefined }`. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The first `max` characters of a body, on one line, for messages. */
export function snippet(text: string, max = 120): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
