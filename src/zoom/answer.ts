/**
 * Turns one error answer from Zoom into a typed error. Pure: the client reads the response, this
 * decides what it means. The rules come from docs/zoom-facts.md ("Errors", "Rate limits",
 * "Authentication") and Zoom's OpenAPI document, which lists error codes only in prose.
 */
import type { IncomingHttpHeaders } from "node:http";
import { ApiError, AuthError, RateLimitError } from "../errors.js";
import type { ApiErrorDetails, PerSecondLimit, RateLimitScope } from "../errors.js";
import { nextUtcMidnightMs, parseRetryAfter } from "./retry-after.js";
import { headerValue } from "./transport.js";
import type { ReadBody } from "./transport.js";

/** Zoom's answer to a token it does not accept: HTTP 401, code 124 "Invalid access token". */
export const INVALID_TOKEN_CODE = 124;
/** 4700: the token is invalid for this call; 4711: it lacks scopes (the message lists them). */
const TOKEN_SCOPE_CODES = new Set([4700, 4711]);
/** Code 3000 covers many refusals; the ones that are really the per-registrant daily cap are matched by message. */
const GENERIC_REFUSAL_CODE = 3000;

export interface ZoomErrorBody {
  code: number | undefined;
  message: string | undefined;
  fieldErrors: { field: string; message: string }[];
}

/** Reads `{code, message, errors?: [{field, message}]}`, tolerating anything else. */
export function parseZoomErrorBody(json: unknown): ZoomErrorBody {
  if (typeof json !== "object" || json === null) return { code: undefined, message: undefined, fieldErrors: [] };
  const { code, message, errors } = json as Record<string, unknown>;
  const fieldErrors = Array.isArray(errors)
    ? errors.flatMap((entry: unknown) => {
        if (typeof entry !== "object" || entry === null) return [];
        const { field, message: fieldMessage } = entry as Record<string, unknown>;
        return typeof field === "string" && typeof fieldMessage === "string" ? [{ field, message: fieldMessage }] : [];
      })
    : [];
  return {
    code: typeof code === "number" ? code : typeof code === "string" && /^\d+$/.test(code) ? Number(code) : undefined,
    message: typeof message === "string" && message.trim() !== "" ? message.trim() : undefined,
    fieldErrors,
  };
}

/** True when Zoom refused the token itself, so a fresh token may succeed (HTTP 401 or code 124). */
export function isRejectedToken(status: number, code: number | undefined): boolean {
  return status === 401 || code === INVALID_TOKEN_CODE;
}

/** True when a fresh token may succeed: the token was refused, but not for lacking scopes. */
export function shouldReplayWithFreshToken(status: number, code: number | undefined): boolean {
  return isRejectedToken(status, code) && !(code !== undefined && TOKEN_SCOPE_CODES.has(code));
}

/**
 * The per-registrant cap: "a registrant may be added at most 3 times a day". Zoom's 429 says "You have
 * exceeded the daily rate limit of (3) for Add meeting registrant API requests for the registrant".
 * Code 3000 "You have reached the limit for the number of attendees you can add" is also reported for
 * the 4th add of one email (Zoom staff, https://devforum.zoom.us/t/74518); another user saw it for new
 * emails, so it may also be an account-wide cap. We treat it as the registrant's daily cap: the row is
 * deferred to the next 00:00 UTC rather than failed, which costs nothing if it was the account cap
 * (the retry tomorrow gets the same refusal), while failing it would hide a row that works tomorrow.
 */
const REGISTRANT_DAILY = /daily rate limit of \(\d+\)|for (?:the|this|a) registrant\b|limit for the number of attendees you can add/i;
/** The account's daily budget for a label, when the header is missing ("daily rate limit"). */
const ACCOUNT_DAILY = /\bdaily (?:rate )?limit/i;

/** What a 429 (or a daily-cap code 3000) has spent. Pure; the message wins over the header for the registrant cap. */
export function rateLimitScope(zoomMessage: string, rateLimitType: string | undefined): RateLimitScope {
  if (REGISTRANT_DAILY.test(zoomMessage)) return "registrant-daily";
  if (rateLimitType?.trim().toLowerCase() === "daily-limit" || ACCOUNT_DAILY.test(zoomMessage)) return "daily";
  return "qps";
}

/**
 * The per-second limit from an answer's X-RateLimit-* headers: only when X-RateLimit-Type says QPS
 * (a Heavy call's success reports its daily cap under the same names). Headers are sometimes missing
 * altogether (docs/zoom-facts.md): then undefined, and pacing learns from 429s alone. Pure.
 */
export function perSecondLimitOf(headers: IncomingHttpHeaders): PerSecondLimit | undefined {
  if (headerValue(headers, "x-ratelimit-type")?.trim().toLowerCase() !== "qps") return undefined;
  const count = (name: string): number | undefined => {
    const text = headerValue(headers, name)?.trim();
    const value = text === undefined || !/^\d+$/.test(text) ? Number.NaN : Number(text);
    return Number.isSafeInteger(value) ? value : undefined;
  };
  const limitPerSecond = count("x-ratelimit-limit");
  const remaining = count("x-ratelimit-remaining");
  return limitPerSecond === undefined && remaining === undefined ? undefined : { limitPerSecond: limitPerSecond === 0 ? undefined : limitPerSecond, remaining };
}

export interface ErrorAnswer {
  method: string;
  /** Below the API base, without the query: `/meetings/123/registrants`. */
  path: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: ReadBody;
  nowMs: number;
}

/** The typed error for a non-2xx answer: AuthError, RateLimitError or ApiError. */
export function errorFromAnswer(answer: ErrorAnswer): ApiError | AuthError {
  const parsed = parseZoomErrorBody(answer.body.json);
  const details: ApiErrorDetails = {
    method: answer.method,
    path: answer.path,
    status: answer.status,
    code: parsed.code,
    zoomMessage: parsed.message ?? answer.body.description,
    trackingId: headerValue(answer.headers, "x-zm-trackingid"),
    fieldErrors: parsed.fieldErrors,
  };

  if (isRejectedToken(answer.status, parsed.code) || (parsed.code !== undefined && TOKEN_SCOPE_CODES.has(parsed.code))) {
    return authError(details);
  }
  const isRegistrantCap = parsed.code === GENERIC_REFUSAL_CODE && REGISTRANT_DAILY.test(details.zoomMessage);
  if (answer.status === 429 || isRegistrantCap) {
    const scope = isRegistrantCap ? "registrant-daily" : rateLimitScope(details.zoomMessage, headerValue(answer.headers, "x-ratelimit-type"));
    const retryAfterMs = parseRetryAfter(headerValue(answer.headers, "retry-after"), answer.nowMs);
    // Without Retry-After, a daily limit comes back at the next 00:00 UTC (docs/zoom-facts.md); a per-second
    // limit is left to the caller's backoff.
    const retryAtMs = retryAfterMs ?? (scope === "qps" ? undefined : nextUtcMidnightMs(answer.nowMs));
    return new RateLimitError(details, scope, retryAtMs, perSecondLimitOf(answer.headers));
  }
  return new ApiError(details);
}

function authError(details: ApiErrorDetails): AuthError {
  const code = details.code === undefined ? "" : ` code ${details.code}`;
  const lacksScopes = details.code !== undefined && TOKEN_SCOPE_CODES.has(details.code);
  const hint = lacksScopes
    ? "add the scopes Zoom lists to the Server-to-Server OAuth app (e.g. meeting:write:registrant:admin, meeting:read:list_registrants:admin, or the webinar equivalents) and activate it again"
    : "check the credentials and that the app is activated; JWT apps were retired by Zoom on 8 September 2023";
  return new AuthError(
    `${details.method} ${details.path} refused the access token: ${details.status}${code} ${details.zoomMessage}`,
    details.status,
    details.code,
    // The ApiError as cause keeps Zoom's tracking id and field errors for the log.
    { hint, cause: new ApiError(details) },
  );
}
