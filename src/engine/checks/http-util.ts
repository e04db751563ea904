/**
 * Small HTTP helpers shared by the http and github-issues checks and the alert: a fetch with a deadline that turns
 * every failure into a readable message, and Retry-After parsing.
 */

export type FetchResult =
  | { ok: true; response: Response; text: string }
  | { ok: false; message: string };

/**
 * Fetches and reads the whole body within `timeoutMs`. Never throws: network errors, timeouts and unreadable bodies
 * come back as `{ ok: false, message }` naming the URL. A non-2xx status is still `ok: true` (the caller decides).
 */
export async function fetchText(fetchFn: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<FetchResult> {
  try {
    const response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { ok: true, response, text };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") {
      return { ok: false, message: `${init.method ?? "GET"} ${url} timed out after ${timeoutMs / 1000} s` };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { ok: false, message: `${init.method ?? "GET"} ${url} failed: ${error instanceof Error ? error.message : String(error)}${cause}` };
  }
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
