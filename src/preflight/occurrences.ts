/**
 * `--occurrence` against the event's own occurrences, before any row is read (issue 12). Zoom answers
 * an unknown occurrence id with 400 code 300 on every add, so each row failed alone; on a one-time
 * event the ids were ignored and the flag silently meant nothing. Pure: the facts come from the GET.
 */
import { ConfigError } from "../errors.js";
import { eventLabel, typeDescription, type EventFacts, type EventOccurrence } from "./event.js";

/** Recurring types with a fixed time (docs/zoom-facts.md, "Endpoints"): those that list occurrences. */
const recurringTypes: Readonly<Record<EventFacts["ref"]["kind"], number>> = { meeting: 8, webinar: 9 };

/** How many occurrences a message lists before "and N more": a daily series has hundreds. */
const listedAtMost = 10;

type OccurrenceFacts = Pick<EventFacts, "ref" | "type" | "topic" | "occurrences">;

/** The reason `--occurrence <ids>` cannot work for this event; undefined when it can (or none was given). */
export function occurrenceRefusal(facts: OccurrenceFacts, ids: readonly string[]): ConfigError | undefined {
  const problem = occurrenceProblem(facts, ids);
  if (problem === undefined) return undefined;
  const flag = `--occurrence ${ids.join(",")}`;
  if (problem.kind === "one-time") {
    return new ConfigError(`${flag}: ${problem.text}`, { hint: `leave out --occurrence: a registrant of a one-time ${facts.ref.kind} is registered for the ${facts.ref.kind} itself` });
  }
  return new ConfigError(`${flag}: ${problem.text}`, { hint: "pass some of these ids, comma-separated, or leave out --occurrence" });
}

/** A row's occurrence_ids against the event's (issue 20): why they cannot be registered for, or undefined. */
export function rowOccurrenceProblem(facts: OccurrenceFacts, ids: readonly string[]): string | undefined {
  return occurrenceProblem(facts, ids)?.text;
}

function occurrenceProblem(facts: OccurrenceFacts, ids: readonly string[]): { kind: "one-time" | "unknown"; text: string } | undefined {
  if (ids.length === 0) return undefined;
  const label = eventLabel(facts.ref, facts.topic);
  if (facts.occurrences.length === 0) {
    // A recurring event that lists none (all past, or Zoom left them out) cannot be checked here.
    if (facts.type === recurringTypes[facts.ref.kind]) return undefined;
    return { kind: "one-time", text: `${label} has no occurrences: it is a ${typeDescription(facts.ref.kind, facts.type)}, not a recurring one` };
  }
  const known = new Set(facts.occurrences.map((occurrence) => occurrence.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return undefined;
  return { kind: "unknown", text: `${label} has no occurrence ${unknown.join(" or ")}; its occurrences are ${listOccurrences(facts.occurrences)}` };
}

/** `1893513600000 (2030-01-08 16:00 UTC), ...`, at most `listedAtMost` of them. */
export function listOccurrences(occurrences: readonly EventOccurrence[]): string {
  const shown = occurrences.slice(0, listedAtMost).map((occurrence) => `${occurrence.id} (${occurrenceDate(occurrence)})`);
  const more = occurrences.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/** `2030-01-08 16:00 UTC`: Zoom's times are UTC; the minutes are all a person needs to tell them apart. */
export function occurrenceDate(occurrence: Pick<EventOccurrence, "startTime">): string {
  const ms = occurrence.startTime === undefined ? Number.NaN : Date.parse(occurrence.startTime);
  if (Number.isNaN(ms)) return occurrence.startTime ?? "no start time";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
