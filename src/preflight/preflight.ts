/**
 * The preflight of a push: read the event and its registration form before the first row is sent,
 * refuse to start when no row could succeed, and hand back a checker that marks the rows Zoom would
 * refuse. Most failed bulk registrations are known before the first POST (issue 6); each refused add
 * may also spend one of the person's 3 adds a day (docs/zoom-facts.md, "Rate limits").
 *
 * Requests: `GET` the event and `GET` its questions (Light label, one each; retried on 5xx, network
 * failures and per-second 429s, as every read is: preflight/read-retry.ts). Only when the event's
 * last scheduled end has passed, one add with an empty body asks Zoom whether it is over: Zoom
 * answers 3038 when it is and a validation error (code 300) when it still takes registrations; an
 * add without an email registers nobody and spends nobody's adds. A non-recurring event past its end
 * that Zoom did not call over gets a one-line warning on the logger before the first row is sent.
 */
import type { Clock } from "../shared/clock.js";
import type { EventRef, RegistrationQuestions, ZoomClient } from "../zoom/client.js";
import { retryRead, type ReadRetryLogger } from "./read-retry.js";
import {
  eventFacts,
  eventNotFoundError,
  eventOverError,
  eventRefusal,
  isEventNotFound,
  isEventOverAnswer,
  isRegistrationOffAnswer,
  pastScheduledEnd,
  registrationOffError,
  scheduledEndWarning,
  type EventFacts,
} from "./event.js";
import { createColumnChecker, type ColumnChecker } from "./columns.js";
import { createRowChecker, inputNeeds, type InputNeeds, type RowChecker } from "./form.js";
import { occurrenceRefusal, rowOccurrenceProblem } from "./occurrences.js";
import { explainScopeError, isScopeError } from "./scopes.js";

/** The calls a preflight makes; the ZoomClient provides them, tests stub them. */
export type PreflightClient = Pick<ZoomClient, "getEvent" | "getRegistrationQuestions" | "addRegistrant">;

export interface PreflightResult {
  event: EventFacts;
  form: RegistrationQuestions;
  /** The event's custom question titles: the row mapper maps a column named like one to it. */
  questionTitles: readonly string[];
  /** What the input must and may carry, as the column names zoomreg reads. */
  needs: InputNeeds;
  /** The reasons Zoom would refuse one row (empty: send it). */
  checkRow: RowChecker;
  /** The file-wide refusal for the first record's mapping: a required column missing, a title the event lacks. */
  checkColumns: ColumnChecker;
  /** Why a row's occurrence_ids cannot be registered for at this event (issue 20); undefined when they can. */
  checkOccurrences: (ids: readonly string[]) => string | undefined;
  /** One-line warnings already given to the logger (an event past its scheduled end), for a dry run to repeat. */
  warnings: readonly string[];
}

export interface PreflightOptions {
  clock: Clock;
  /** The retries' jitter, like `Math.random`. */
  random: () => number;
  signal?: AbortSignal;
  /** Told of each retried read, and of an event past its scheduled end that Zoom did not call over. */
  logger?: ReadRetryLogger;
  /** `--occurrence`: refused before any row is read when the event does not have them (issue 12). */
  occurrenceIds?: readonly string[];
}

/**
 * An add body Zoom must refuse for itself (no email, no first_name): what is left to say is about the
 * event and the token, checked before the body (the fake's order; Zoom's is not documented, and if
 * Zoom checks the body first the answer is a 300 and the push finds out at its first add, as before).
 */
export const emptyAddProbe: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Reads the event and its form, or throws the one error that stops the push: ConfigError (exit 2)
 * when the event does not exist, takes no registrants, has registration off or is over; AuthError
 * (exit 3) naming the scope to add when the credentials may not read the event or its form;
 * ZoomUnavailableError (exit 5) when Zoom stays unreachable or keeps failing through the retries.
 */
export async function preflight(client: PreflightClient, event: EventRef, options: PreflightOptions): Promise<PreflightResult> {
  const { signal } = options;
  const facts = await readEvent(client, event, options);
  const refusal = eventRefusal(facts);
  if (refusal !== undefined) throw refusal;
  const wrongOccurrences = occurrenceRefusal(facts, options.occurrenceIds ?? []);
  if (wrongOccurrences !== undefined) throw wrongOccurrences;
  const nowMs = options.clock.now();
  if (pastScheduledEnd(facts, nowMs)) await refuseIfOver(client, facts, signal);
  // Zoom did not say 3038, yet the schedule says the event is done: say so before anyone is sent.
  const warning = scheduledEndWarning(facts, nowMs);
  if (warning !== undefined) options.logger?.warn(warning);
  const form = await readForm(client, facts, options);
  return {
    event: facts,
    form,
    questionTitles: form.custom_questions.map((question) => question.title),
    needs: inputNeeds(form),
    checkRow: createRowChecker(form, { hostEmail: facts.hostEmail }),
    checkColumns: createColumnChecker(form),
    checkOccurrences: (ids) => rowOccurrenceProblem(facts, ids),
    warnings: warning === undefined ? [] : [warning],
  };
}

async function readEvent(client: PreflightClient, event: EventRef, options: PreflightOptions): Promise<EventFacts> {
  try {
    return eventFacts(event, await retryRead(() => client.getEvent(event, signalOption(options.signal)), options));
  } catch (error) {
    if (isEventNotFound(error)) throw eventNotFoundError(event, error);
    throw explainScopeError(error, "readEvent", event.kind);
  }
}

async function readForm(client: PreflightClient, facts: EventFacts, options: PreflightOptions): Promise<RegistrationQuestions> {
  try {
    return await retryRead(() => client.getRegistrationQuestions(facts.ref, signalOption(options.signal)), options);
  } catch (error) {
    // The webinar questions doc answers 3000 "Registration has not been enabled" when it is off.
    if (isRegistrationOffAnswer(error)) throw registrationOffError(facts.ref, facts.topic);
    throw explainScopeError(error, "readQuestions", facts.ref.kind);
  }
}

/** Asks Zoom with an add it must refuse; throws only for an answer about the event or the token. */
async function refuseIfOver(client: PreflightClient, facts: EventFacts, signal: AbortSignal | undefined): Promise<void> {
  try {
    await client.addRegistrant(facts.ref, emptyAddProbe, signalOption(signal));
  } catch (error) {
    if (isEventOverAnswer(error)) throw eventOverError(facts.ref, facts.topic);
    if (isRegistrationOffAnswer(error)) throw registrationOffError(facts.ref, facts.topic);
    if (isScopeError(error)) throw explainScopeError(error, "addRegistrant", facts.ref.kind);
    // Anything else (the expected 300, a 5xx, a network failure) says nothing the first add would
    // not say again: the push goes on and its own error handling applies.
    if (signal?.aborted === true) throw error;
  }
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
