/**
 * The columns that say which event a row is for (issue 20): an export of many events names each row's
 * meeting or webinar, by id or link, and for a recurring one the occurrences it picks. They are read
 * by the run, never sent to Zoom as part of the person.
 */
import { normaliseColumnName } from "./normalise.js";

export type EventColumn = "meeting" | "webinar" | "occurrences";

/** Which column holds each: found by name (the aliases below) or stated with `--map meeting=<column>`. */
export type EventColumns = Partial<Record<EventColumn, string>>;

/** The names a column may have to be read as the row's event, compared as column names are (normalised). */
export const EVENT_COLUMN_ALIASES: Readonly<Record<EventColumn, readonly string[]>> = {
  meeting: ["meeting_id", "meeting", "zoom_meeting_id", "meeting id"],
  webinar: ["webinar_id", "webinar", "zoom_webinar_id", "webinar id"],
  occurrences: ["occurrence_ids", "occurrence_id", "occurrences"],
};

const EVENT_COLUMN_BY_KEY: ReadonlyMap<string, EventColumn> = new Map(
  (Object.entries(EVENT_COLUMN_ALIASES) as [EventColumn, readonly string[]][]).flatMap(([column, aliases]) => aliases.map((alias) => [normaliseColumnName(alias), column] as const)),
);

/** The event column a column's name means, or undefined. */
export function eventColumnNamed(column: string): EventColumn | undefined {
  return EVENT_COLUMN_BY_KEY.get(normaliseColumnName(column));
}

/** `--map` names for the event columns: `meeting`, `webinar`, and `occurrence_ids` (or `occurrences`). */
export function eventColumnOfMapKey(name: string): EventColumn | undefined {
  const key = normaliseColumnName(name);
  if (key === "meeting" || key === "meetingid") return "meeting";
  if (key === "webinar" || key === "webinarid") return "webinar";
  if (key === "occurrenceids" || key === "occurrences" || key === "occurrence") return "occurrences";
  return undefined;
}

/** Occurrence ids as a cell or `--occurrence` holds them: digits, comma-separated (spaces and a list's brackets aside). */
export function parseOccurrenceIds(text: string): { ok: true; ids: string[] } | { ok: false; reason: string } {
  const ids = text
    .replace(/^\s*\[|\]\s*$/g, "")
    .split(",")
    .map((id) => id.trim().replace(/^"|"$/g, ""))
    .filter((id) => id !== "");
  const bad = ids.filter((id) => !/^\d+$/.test(id));
  if (ids.length === 0) return { ok: false, reason: "no occurrence id in it" };
  if (bad.length > 0) return { ok: false, reason: `${bad.map((id) => JSON.stringify(id)).join(", ")} ${bad.length === 1 ? "is not an occurrence id" : "are not occurrence ids"} (occurrence ids are digits, comma-separated)` };
  return { ok: true, ids };
}
