/**
 * What a failed add means, decided in one place (issue 10, "three kinds of refusal, one decision each").
 * Pure: an error and what the ledger knows in, a verdict out. The facts behind each rule are in
 * docs/zoom-facts.md ("Errors", "Rate limits").
 */
import { ApiError, AuthError, ConfigError, NetworkError, QuotaGuardError, RateLimitError, ZoomregError } from "../errors.js";
import { AttemptNotStarted } from "../pool/run-pool.js";
import { eventNotFoundError, eventOverError, eventLabel, isEventNotFound, isEventOverAnswer, isRegistrationOffAnswer, registrationOffError } from "../preflight/event.js";
import type { EventRef } from "../zoom/client.js";
import { nextUtcMidnightMs } from "../zoom/retry-after.js";

/** Zoom: "a registrant may be added at most 3 times a day" per event, reset at 00:00 UTC. */
export const maxAddsPerRegistrantPerDay = 3;

/** Zoom: 10 status changes (approve, cancel, deny) a day per registrant (docs/zoom-facts.md). */
export const maxStatusChangesPerRegistrantPerDay = 10;

export type Verdict =
  /** Zoom refused this row for something in it: recorded as its outcome, not sent again until it changes. */
  | { kind: "row-final" }
  /** Zoom failed or could not be reached: not this row's fault, so the next run sends it again. */
  | { kind: "transient" }
  /** This person's 3 adds today are spent: deferred until Zoom's day turns. */
  | { kind: "registrant-daily"; retryAtMs: number }
  /** The account's daily budget is spent: the run stops sending and defers the rest. */
  | { kind: "account-daily"; retryAtMs: number }
  /** The event or the credentials refuse everyone: the run stops; no row is recorded for it. */
  | { kind: "stop"; error: ZoomregError }
  /** A bug, or a configuration error thrown while sending: the run stops; no row is recorded for it. */
  | { kind: "internal"; error: unknown };

export interface RefusalContext {
  event: EventRef;
  /** Adds the ledger counts for this person today, the failed one included. */
  addsToday: number;
  nowMs: number;
}

/**
 * A webinar's code 3000 "limit for the number of attendees you can add" is also what Zoom answers to
 * a person's 4th add of the day (Zoom staff, https://devforum.zoom.us/t/74518): it is the person's
 * limit only when the ledger counts their 3 adds today; otherwise the webinar is full.
 */
const ATTENDEE_LIMIT = /limit for the number of attendees you can add/i;

/** Code 3000 refusals about this person, not the event (OpenAPI doc, webinar add: "invited as a panelist"). */
const PERSON_3000 = /panelist|invited/i;

/** Code 300 is validation of the body, except where the message names the event ("Invalid meeting id", batch on the wrong type). */
const EVENT_300 = /invalid (?:meeting|webinar) id|can only be used for scheduled|not supported for other/i;

/**
 * Codes that refuse the event for everyone (OpenAPI doc, add and batch add errors; docs/zoom-facts.md):
 * 303 batch on the wrong type, 404 registration not enabled, 1001 and 3001 does not exist, 3003 not
 * the host, 3038 over, 3043 and 3035 full, 3161 hosting not allowed, 200 no permission or no plan.
 */
const EVENT_CODES = new Set([200, 303, 404, 1001, 3001, 3003, 3035, 3038, 3043, 3161]);

export function judgeFailure(error: unknown, context: RefusalContext): Verdict {
  if (error instanceof QuotaGuardError) return { kind: "registrant-daily", retryAtMs: error.retryAtMs };
  if (error instanceof AttemptNotStarted || error instanceof NetworkError) return { kind: "transient" };
  if (error instanceof AuthError) return { kind: "stop", error };
  if (error instanceof RateLimitError) return judgeRateLimit(error, context);
  if (error instanceof ApiError) {
    if (error.status >= 500) return { kind: "transient" };
    const eventError = eventRefusalOf(error, context.event);
    return eventError === undefined ? { kind: "row-final" } : { kind: "stop", error: eventError };
  }
  return { kind: "internal", error };
}

function judgeRateLimit(error: RateLimitError, context: RefusalContext): Verdict {
  const retryAtMs = error.retryAtMs ?? nextUtcMidnightMs(context.nowMs);
  switch (error.scope) {
    case "qps":
      return { kind: "transient" };
    case "daily":
      return { kind: "account-daily", retryAtMs };
    case "registrant-daily":
      if (error.code === 3000 && ATTENDEE_LIMIT.test(error.zoomMessage) && context.addsToday < maxAddsPerRegistrantPerDay) {
        return { kind: "stop", error: eventFullError(context.event, error) };
      }
      return { kind: "registrant-daily", retryAtMs };
  }
}

/** The error that stops the run when `error` refuses the event itself; undefined when it is about the row. */
export function eventRefusalOf(error: ApiError, event: EventRef): ZoomregError | undefined {
  const { code, zoomMessage, message } = error;
  const aboutEvent =
    (code !== undefined && EVENT_CODES.has(code)) || (code === 3000 && !PERSON_3000.test(zoomMessage)) || (code === 300 && EVENT_300.test(zoomMessage));
  if (isEventOverAnswer(error)) return eventOverError(event, undefined);
  if (isRegistrationOffAnswer(error)) return registrationOffError(event, undefined);
  if (isEventNotFound(error) || code === 1001) return eventNotFoundError(event, error);
  if (!aboutEvent) return undefined;
  return new ConfigError(`${eventLabel(event)} refuses registrants: ${message}`, {
    cause: error,
    hint: `fix the ${event.kind} in Zoom (or push to another id) and run again: nothing was recorded for any row`,
  });
}

function eventFullError(event: EventRef, error: ApiError): ConfigError {
  return new ConfigError(`${eventLabel(event)} is full: Zoom takes no more registrants (${error.status} code 3000 ${error.zoomMessage})`, {
    cause: error,
    hint: `raise the ${event.kind}'s capacity in Zoom (or ask Zoom Support) and run again: nobody was deferred for it`,
  });
}

/**
 * Whether Zoom may have executed the add that failed with `error`, so that it spent one of the
 * person's 3 adds today. Only an answer that says nothing was done gives the add back: a 4xx (a
 * per-second 429, a refused token, 4711, a validation error), or a request that never left (a token
 * that could not be had, a refused connection, DNS, TLS, a run that stopped before sending).
 */
export function mayHaveExecuted(error: unknown): boolean {
  if (error instanceof AttemptNotStarted || error instanceof QuotaGuardError || error instanceof AuthError) return false;
  if (error instanceof NetworkError) return error.requestSent;
  if (error instanceof ApiError) return error.status >= 500 || (error.status >= 200 && error.status < 300);
  // A bug inside the send: it cannot be told, so it counts; the next run's reconcile gives it back.
  return !(error instanceof ZoomregError);
}
