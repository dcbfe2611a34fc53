/**
 * When Zoom says to come back. Pure functions: the caller passes the current time.
 *
 * Retry-After comes in three shapes (see docs/zoom-facts.md, "Rate limits"):
 * - delay-seconds (`120`), RFC 9110 §10.2.3;
 * - an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`), the other RFC 9110 form;
 * - an ISO-8601 timestamp (`2025-12-13T00:00:00Z`), which Zoom sends on its daily limits (the next 00:00 UTC).
 * ky's retry-timing.ts is the model: strict parsing, no guessing, a missing value is `undefined` and the
 * caller applies its documented fallback.
 */

const SECONDS = /^\d+$/;
/** IMF-fixdate, the only HTTP-date form a server may generate (RFC 9110 §5.6.7). */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** ISO-8601 date or date-time, `T` or a space between, optional seconds, fraction and offset. */
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses a Retry-After value into epoch milliseconds. Blank, negative or unreadable values give
 * `undefined` (never a guess). A time already past gives `nowMs`: the server allows a retry now.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? "";
  if (text === "") return undefined;
  if (SECONDS.test(text)) {
    const atMs = nowMs + Number(text) * 1000;
    return Number.isFinite(atMs) ? atMs : undefined;
  }
  const atMs = parseDate(text);
  if (atMs === undefined) return undefined;
  return Math.max(nowMs, atMs);
}

function parseDate(text: string): number | undefined {
  if (IMF_FIXDATE.test(text)) return finite(Date.parse(text));
  const iso = ISO_8601.exec(text);
  if (iso === null) return undefined;
  const [, date, time, offset] = iso;
  if (time === undefined) return finite(Date.parse(`${date}T00:00:00Z`));
  // An ISO date-time without an offset is read as UTC, not local time: Zoom's limits reset at
  // 00:00 UTC, and a pure function must not depend on the machine's time zone.
  const zone = offset === undefined ? "Z" : offset.toUpperCase();
  const normalizedZone = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  return finite(Date.parse(`${date}T${time}${normalizedZone}`));
}

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

/** The next 00:00 UTC strictly after `nowMs`: when Zoom's daily limits reset (docs/zoom-facts.md, "Rate limits"). */
export function nextUtcMidnightMs(nowMs: number): number {
  const now = new Date(nowMs);
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
}
