/**
 * Zoom's answers, built in one place so the wording stays Zoom's. Sources: the OpenAPI doc's error
 * prose (per operation, `responses.4xx.description`) and docs/zoom-facts.md ("Errors").
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

/** 401 code 124 for a missing, unknown, expired or badly signed token (docs/zoom-facts.md, "Errors"). */
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
 * Adding to an event with approval_type 2 (no registration). The docs/zoom-facts.md allows "404 code 404" or
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

/** 400 code 300 with the fields named, never the rule (docs/zoom-facts.md, "Errors"). */
export function validationFailed(errors: readonly FieldError[]): FakeResponse {
  return zoomError(400, 300, "Validation Failed.", errors);
}

/** What Zoom says to a body that is not a JSON object. */
export function malformedBody(): FakeResponse {
  return zoomError(400, 300, "Request Body should be a valid JSON object.");
}

/**
 * The 4th add of one registrant in a UTC day (docs/zoom-facts.md, "Rate limits": "exceeded the daily rate
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

/**
 * The event has ended: 400 code 3038. Wording of the OpenAPI doc: the meeting batch add's for meetings,
 * the webinar add's for webinars (the webinar batch add words it slightly differently; one is enough).
 */
export function eventOver(kind: EventKind): FakeResponse {
  return kind === "meeting"
    ? zoomError(400, 3038, "Meeting is over, you can not register now. If you have any questions, please contact the Meeting host.")
    : zoomError(400, 3038, "Webinar is over, you cannot register now. If you have any questions, contact the webinar host.");
}

/** The host's own email: 400 code 3027 `Host cannot register.` (webinar add doc; meetings by analogy). */
export function hostCannotRegister(): FakeResponse {
  return zoomError(400, 3027, "Host cannot register.");
}

/** Batch add on a meeting that is not type 2 (code 303) or a webinar that is not type 5 (code 300): the doc's words. */
export function batchNotSupported(kind: EventKind): FakeResponse {
  return kind === "meeting"
    ? zoomError(400, 303, "This API can only be used for scheduled meeting(meeting type: 2). Batch registration is not supported for other meeting types.")
    : zoomError(400, 300, "This API can only be used for scheduled webinars (type 5). Batch registration is not supported for other webinar types.");
}

/**
 * Batch add or status change on an event without registration. The doc gives the meeting batch add
 * 400 code 404 and the webinar ones 400 code 3000 (docs/zoom-facts.md: "404 registration not enabled").
 * The webinar status doc says "for this meeting" and code 300; the fake keeps its code and fixes the noun.
 */
export function registrationOff(kind: EventKind, eventId: string, code: number): FakeResponse {
  return zoomError(400, code, `Registration has not been enabled for this ${kind}: ${eventId}.`);
}

/** Past capacity in a batch add (both docs: code 3043) or on approving (webinar status doc: 3035). */
export function capacityReachedWithCode(kind: EventKind, code: number): FakeResponse {
  return zoomError(400, code, `${capitalized(kind)} has reached maximum attendee capacity.`);
}

/**
 * The 11th status change of one registrant in a UTC day (docs/zoom-facts.md: "Status changes: 10 a day per
 * registrant"; the status docs: "an additional rate limit of requests per registrant, per 24-hour
 * period"). Zoom's exact words are not quoted anywhere: these follow the add's.
 */
export function registrantStatusDailyLimitReached(limit: number, email: string): FakeResponse {
  return zoomError(
    429,
    429,
    `You have exceeded the daily rate limit of (${limit}) for Update registrant's status API requests for the registrant (${email}). You can resume these API requests at GMT 00:00:00.`,
  );
}

/** 400 code 4711: the token is valid but its app lacks the operation's scopes (the message lists them). */
export function missingScopes(message: string): FakeResponse {
  return zoomError(400, 4711, message);
}

/** 204: what the status change answers, with no body and so no content type. */
/**
 * `GET .../registrants/{registrantId}` for an id the event does not have: the webinar doc's 400 code
 * 3079 `This registrant does not exist: {registrantId}.` The meeting doc names no error for it
 * (unconfirmed): the fake answers meetings the same way.
 */
export function registrantNotFound(registrantId: string): FakeResponse {
  return zoomError(400, 3079, `This registrant does not exist: ${registrantId}.`);
}

export function noContent(): FakeResponse {
  return { status: 204, headers: {} };
}

/** A path under /v2 that the fake (or Zoom) does not serve. */
export function apiRouteNotFound(): FakeResponse {
  return zoomError(404, 404, "Not Found.");
}

/** Token endpoint errors use OAuth's `{reason, error}` body, not the API's `{code, message}`. */
export function oauthError(status: number, error: string, reason: string): FakeResponse {
  return jsonResponse(status, { reason, error });
}
