/**
 * What Zoom says of the event (`GET /meetings/{id}` or `/webinars/{id}`), read into the facts a push
 * depends on, and the refusals that stop it before anyone is sent: the event does not exist, its type
 * takes no registrants, registration is off, it is over. Pure: the caller does the requests.
 *
 * Sources: docs/zoom-facts.md ("Endpoints", "Errors") and the `type`,
 * `settings.approval_type`, `start_time`, `duration` and `occurrences` of the event schemas in Zoom's
 * OpenAPI document.
 */
import { ApiError, ConfigError } from "../errors.js";
import type { EventInfo, EventKind, EventRef } from "../zoom/client.js";

/** The event as a push needs to know it. */
export interface EventFacts {
  ref: EventRef;
  type: number;
  topic: string | undefined;
  /** `settings.approval_type`: 0 automatic, 1 the host approves, 2 no registration; undefined when Zoom left it out. */
  approvalType: number | undefined;
  /** `settings.registration_type` of recurring events: 1 once for all, 2 each occurrence, 3 choose. */
  registrationType: number | undefined;
  /** The host cannot register for their own event (code 3027). */
  hostEmail: string | undefined;
  /** ISO-8601 UTC, as Zoom wrote it; absent for instant meetings. */
  startTime: string | undefined;
  /**
   * When the last scheduled occurrence ends (epoch ms): the start plus the duration, or the latest of
   * the recurring event's occurrences that are not deleted. Undefined when Zoom gave no times.
   */
  scheduledEndMs: number | undefined;
  /** A recurring event's occurrences that are not deleted, as Zoom lists them; empty for a one-time event. */
  occurrences: readonly EventOccurrence[];
}

/** One entry of the event's `occurrences[]` (`--occurrence` takes these ids). */
export interface EventOccurrence {
  id: string;
  /** ISO-8601 UTC, as Zoom wrote it. */
  startTime: string | undefined;
  durationMinutes: number | undefined;
}

/**
 * Registration works on meeting types 2 and 8 and webinar types 5 and 9 (docs/zoom-facts.md, "Endpoints"):
 * a fixed time to register for.
 */
export const registrableTypes: Readonly<Record<EventKind, readonly number[]>> = { meeting: [2, 8], webinar: [5, 9] };

/** The doc's names for each type (the `type` enums of the meeting and webinar schemas). */
const typeNames: Readonly<Record<EventKind, Readonly<Record<number, string>>>> = {
  meeting: {
    1: "instant meeting",
    2: "scheduled meeting",
    3: "recurring meeting with no fixed time",
    4: "personal meeting ID meeting",
    8: "recurring meeting with fixed time",
    10: "screen share only meeting",
  },
  webinar: { 5: "webinar", 6: "recurring webinar with no fixed time", 9: "recurring webinar with fixed time" },
};

export function typeDescription(kind: EventKind, type: number): string {
  return `${typeNames[kind][type] ?? `${kind} of an unknown type`} (type ${type})`;
}

/** `meeting 85746065 "Quarterly review"`: how every message names the event. */
export function eventLabel(ref: EventRef, topic?: string): string {
  return topic === undefined ? `${ref.kind} ${ref.id}` : `${ref.kind} ${ref.id} ${JSON.stringify(topic)}`;
}

export function approvalDescription(approvalType: number | undefined): string {
  switch (approvalType) {
    case 0:
      return "approved automatically";
    case 1:
      return "approved by the host";
    case 2:
      return "no registration";
    default:
      return "approval not reported";
  }
}

/** Reads what the checks need from Zoom's answer, tolerating any field left out. */
export function eventFacts(ref: EventRef, info: EventInfo): EventFacts {
  const raw = isRecord(info.raw) ? info.raw : {};
  return {
    ref,
    type: info.type,
    topic: info.topic,
    approvalType: info.approvalType,
    registrationType: info.registrationType,
    hostEmail: nonEmptyString(raw.host_email),
    startTime: nonEmptyString(raw.start_time),
    scheduledEndMs: scheduledEndMs(raw),
    occurrences: occurrencesOf(raw),
  };
}

function occurrencesOf(raw: Record<string, unknown>): EventOccurrence[] {
  const listed = Array.isArray(raw.occurrences) ? raw.occurrences.filter(isRecord) : [];
  // Zoom writes the id as a string; a number is read as one too.
  return listed
    .filter((entry) => entry.status !== "deleted" && (typeof entry.occurrence_id === "string" || typeof entry.occurrence_id === "number"))
    .map((entry) => ({
      id: String(entry.occurrence_id),
      startTime: nonEmptyString(entry.start_time),
      durationMinutes: typeof entry.duration === "number" ? entry.duration : undefined,
    }));
}

function scheduledEndMs(raw: Record<string, unknown>): number | undefined {
  const endOf = (entry: Record<string, unknown>): number | undefined => {
    const startMs = typeof entry.start_time === "string" ? Date.parse(entry.start_time) : Number.NaN;
    if (Number.isNaN(startMs)) return undefined;
    // `duration` is in minutes; a missing one counts as none, so the estimate errs early.
    const durationMinutes = typeof entry.duration === "number" && entry.duration > 0 ? entry.duration : 0;
    return startMs + durationMinutes * 60_000;
  };
  const occurrences = Array.isArray(raw.occurrences) ? raw.occurrences.filter(isRecord).filter((occurrence) => occurrence.status !== "deleted") : [];
  const ends = (occurrences.length > 0 ? occurrences : [raw]).map(endOf).filter((end): end is number => end !== undefined);
  return ends.length === 0 ? undefined : Math.max(...ends);
}

/** True when the event's type takes registrants. */
export function isRegistrable(facts: Pick<EventFacts, "ref" | "type">): boolean {
  return registrableTypes[facts.ref.kind].includes(facts.type);
}

/** Registration is off when Zoom says approval type 2; an answer without it is not held against the event. */
export function registrationOff(facts: Pick<EventFacts, "approvalType">): boolean {
  return facts.approvalType === 2;
}

/**
 * The event's last scheduled end has passed. Only a hint: Zoom lets people register for a meeting
 * that started late or runs long, and only its 3038 ("is over") settles it, so this decides whether
 * to ask Zoom, never whether to refuse.
 */
export function pastScheduledEnd(facts: Pick<EventFacts, "scheduledEndMs">, nowMs: number): boolean {
  return facts.scheduledEndMs !== undefined && facts.scheduledEndMs <= nowMs;
}

/** Meeting type 8 and webinar type 9 recur at fixed times: their end is their last occurrence's. */
export function isRecurring(facts: Pick<EventFacts, "ref" | "type">): boolean {
  return facts.type === (facts.ref.kind === "meeting" ? 8 : 9);
}

/**
 * The warning for a non-recurring event whose start plus duration is past, in one line; undefined when
 * it is ahead, unknown or recurring. A warning, not a refusal: Zoom may still take registrations (a
 * meeting that started late or runs long) and only its 3038 says the event has ended.
 */
export function scheduledEndWarning(facts: Pick<EventFacts, "ref" | "type" | "topic" | "startTime" | "scheduledEndMs">, nowMs: number): string | undefined {
  const endMs = facts.scheduledEndMs;
  if (isRecurring(facts) || facts.startTime === undefined || endMs === undefined || !pastScheduledEnd({ scheduledEndMs: endMs }, nowMs)) return undefined;
  const startMs = Date.parse(facts.startTime);
  // No duration from Zoom: the end is the start, and saying "scheduled to end" then would invent one.
  const ended = endMs === startMs ? "and Zoom gave no duration" : `and was scheduled to end at ${isoSeconds(endMs)}`;
  return `${eventLabel(facts.ref, facts.topic)} started at ${facts.startTime} ${ended}; Zoom refuses registrations once it has ended (code 3038)`;
}

/** `2030-01-15T18:00:00Z`: Zoom's own way of writing times, without milliseconds. */
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.000Z$/, "Z");
}

/** The reason a push must not start for this event, from its GET alone; undefined when there is none. */
export function eventRefusal(facts: EventFacts): ConfigError | undefined {
  const { ref } = facts;
  const label = eventLabel(ref, facts.topic);
  if (!isRegistrable(facts)) {
    const allowed = registrableTypes[ref.kind].map((type) => `${type} (${typeNames[ref.kind][type] ?? ref.kind})`).join(" and ");
    const actual = typeNames[ref.kind][facts.type];
    return new ConfigError(`${label} cannot take registrants: it is of type ${facts.type}${actual === undefined ? "" : `, ${actual}`}; Zoom takes them only for types ${allowed}`, {
      hint: `schedule the ${ref.kind} with a fixed time and Registration: Required, then push to its id`,
    });
  }
  if (registrationOff(facts)) return registrationOffError(ref, facts.topic);
  return undefined;
}

export function registrationOffError(ref: EventRef, topic: string | undefined): ConfigError {
  return new ConfigError(`${eventLabel(ref, topic)} does not take registrations: registration is off (approval type 2)`, {
    hint: `in Zoom, edit the ${ref.kind}, tick Registration: Required, save, and run again`,
  });
}

export function eventOverError(ref: EventRef, topic: string | undefined): ConfigError {
  return new ConfigError(`${eventLabel(ref, topic)} is over: Zoom takes no more registrations for it (code 3038)`, {
    hint: `schedule a new ${ref.kind} (or occurrence) and push to its id`,
  });
}

export function eventNotFoundError(ref: EventRef, cause: ApiError): ConfigError {
  return new ConfigError(`${eventLabel(ref)} does not exist (Zoom: ${cause.status}${cause.code === undefined ? "" : ` code ${cause.code}`} ${cause.zoomMessage})`, {
    cause,
    hint: `check the id (the digits in the ${ref.kind}'s Zoom link), that it is a ${ref.kind} and not a ${ref.kind === "meeting" ? "webinar" : "meeting"}, and that it belongs to the credentials' account`,
  });
}

/**
 * Zoom's "does not exist": code 3001 (HTTP 404) on every event operation (docs/zoom-facts.md, "Errors"). A
 * plain 404 without a code counts too; 404 with code 404 does not: that one is "registration not
 * enabled" on some endpoints.
 */
export function isEventNotFound(error: unknown): error is ApiError {
  if (!(error instanceof ApiError)) return false;
  return error.code === 3001 || (error.status === 404 && error.code === undefined);
}

/**
 * Zoom's "registration is off" on the add and questions endpoints: code 3000 or code 404 (docs/zoom-facts.md:
 * "404 registration not enabled"), worded "does not have registration as required" or "Registration
 * has not been enabled" (OpenAPI doc). Both codes also mean other things (3000 "cannot access", 404
 * "Not Found."), hence the test of the wording.
 */
export function isRegistrationOffAnswer(error: unknown): error is ApiError {
  if (!(error instanceof ApiError) || (error.code !== 3000 && error.code !== 404)) return false;
  return /registration (?:has not been enabled|is not enabled|as required)|not have registration/i.test(error.zoomMessage);
}

/** Zoom's "is over" (code 3038, OpenAPI doc: "Meeting is over, you can not register now"). */
export function isEventOverAnswer(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 3038;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
