/**
 * Zoom's answers, built in one place so the wording stays Zoom's. Sources: the OpenAPI doc's error
 * prose (per operation, `responses.4xx.description`) and /work/shared/zoom-api/README.md ("Errors").
 * The adapters add `x-zm-trackingid`; everything here carries Zoom's JSON content type.
 */
import type { EventKind, FakeResponse } from "./types.js";

/** What Zoom sends (sic, no space). */
export const jsonContentType = "application/json;charset=UTF-8";

export interface FieldError {
  field: string;
  message: string;
}

export function jsonResponse(status: number, body: unknown): FakeResponse {
  return { status, headers: { "content-type": jsonContentType }, body: JSON.stringify(body) };
}

export function zoomError(status: number, code: number, message: string, errors?: readonly FieldError[]): FakeResponse {
  return jsonResponse(status, errors === undefined ? { code, message } : { code, message, errors });
}

function capitalized(kind: EventKind): string {
  return kind === "meeting" ? "Meeting" : "Webinar";
}

/** 401 code 124 for a missing, unknown, expired or badly signed token (facts page, "Errors"). */
export function invalidAccessToken(): FakeResponse {
  return zoomError(401, 124, "Invalid access token.");
}

/**
 * 404 code 3001 `Meeting does not exist: <id>.` / `Webinar does not exist: <id>.`: the wording of
 * every registrant operation's 404 in the doc. (The meeting add lists code 1001 there, which the facts
 * page gives as "host missing"; Zoom answers an unknown meeting with 3001, as the list and get do.)
 */
export function eventNotFound(kind: EventKind, eventId: string): FakeResponse {
  return zoomError(404, 3001, `${capitalized(kind)} does not exist: ${eventId}.`);
}

/** 400 code 300: the doc's `Invalid webinar ID.` for an id that is not digits; meetings by analogy. */
export function invalidEventId(kind: EventKind): FakeResponse {
  return zoomError(400, 300, `Invalid ${kind} ID.`);
}

/**
 * Adding to an event with approval_type 2 (no registration). The facts page allows "404 code 404" or
 * "code 3000"; the fake answers 400 code 3000 with the wording the doc gives for webinars ("This webinar
 * does not have registration as required: {webinarId}.") and the same words for meetings. Clients
 * should treat both codes as "registration is off".
 */
export function registrationNotRequired(kind: EventKind, eventId: string): FakeResponse {
  return zoomError(400, 3000, `This ${kind} does not have registration as required: ${eventId}.`);
}

/** The webinar questions doc: 400 code 3000 `Registration has not been enabled for this webinar: {id}.` */
export function registrationNotEnabled(kind: EventKind, eventId: string): FakeResponse {
  return zoomError(400, 3000, `Registration has not been enabled for this ${kind}: ${eventId}.`);
}

/**
 * Past capacity. Meetings: the doc's 400 code 3043 `Meeting has reached maximum attendee capacity.`
 * Webinars: the doc's 400 code 3000 `You have reached the limit for the number of attendees you can add.`
 */
export function capacityReached(kind: EventKind): FakeResponse {
  return kind === "meeting"
    ? zoomError(400, 3043, "Meeting has reached maximum attendee capacity.")
    : zoomError(400, 3000, "You have reached the limit for the number of attendees you can add. Contact Zoom Support for more information.");
}

/** 400 code 300 with the fields named, never the rule (facts page, "Errors"). */
export function validationFailed(errors: readonly FieldError[]): FakeResponse {
  return zoomError(400, 300, "Validation Failed.", errors);
}

/** What Zoom says to a body that is not a JSON object. */
export function malformedBody(): FakeResponse {
  return zoomError(400, 300, "Request Body should be a valid JSON object.");
}

/**
 * The 4th add of one registrant in a UTC day (facts page, "Rate limits": "exceeded the daily rate
 * limit of (3) ... for the registrant"). No X-RateLimit headers: Zoom does not always send them, and
 * this limit is the registrant's, not the account's, so the message is what a client must read.
 */
export function registrantDailyLimitReached(limit: number, email: string): FakeResponse {
  return zoomError(
    429,
    429,
    `You have exceeded the daily rate limit of (${limit}) for Add registrant API requests for the registrant (${email}). You can resume these API requests at GMT 00:00:00.`,
  );
}

/** A path under /v2 that the fake (or Zoom) does not serve. */
export function apiRouteNotFound(): FakeResponse {
  return zoomError(404, 404, "Not Found.");
}

/** Token endpoint errors use OAuth's `{reason, error}` body, not the API's `{code, message}`. */
export function oauthError(status: number, error: string, reason: string): FakeResponse {
  return jsonResponse(status, { reason, error });
}
