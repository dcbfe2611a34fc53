/**
 * Which event a row is for, when the input names each row's event (issue 20): its meeting or webinar
 * column holds an id or a link, as `--meeting` takes; a row with neither goes to the default event
 * when one was asked for (`--meeting <id> --default-event`), and is invalid otherwise. Pure.
 */
import { ConfigError } from "../errors.js";
import { valueAt, type EventColumns } from "../registrant/index.js";
import type { EventKind, EventRef } from "../zoom/index.js";
import { parseEventId } from "./event-id.js";

export interface EventRouting {
  /** The first record's event columns (its mapping's). */
  columns: EventColumns;
  /** Where a row that names no event goes; undefined: such a row is invalid. */
  defaultEvent?: EventRef;
}

export type RowEvent = { ok: true; event: EventRef } | { ok: false; reason: string };

/** The event the row `fields` names, or why it names none that can be used. */
export function rowEvent(fields: Record<string, unknown>, routing: EventRouting): RowEvent {
  const named = (["meeting", "webinar"] as const)
    .map((kind) => ({ kind, column: routing.columns[kind], text: cellText(fields, routing.columns[kind]) }))
    .filter((cell): cell is { kind: EventKind; column: string; text: string } => cell.column !== undefined && cell.text !== "");
  const [first, second] = named;
  if (first !== undefined && second !== undefined) {
    return { ok: false, reason: `names both a meeting (${first.column} ${JSON.stringify(first.text)}) and a webinar (${second.column} ${JSON.stringify(second.text)}): a row is for one event` };
  }
  if (first === undefined) {
    if (routing.defaultEvent !== undefined) return { ok: true, event: routing.defaultEvent };
    const columns = (["meeting", "webinar"] as const).map((kind) => routing.columns[kind]).filter((column) => column !== undefined);
    return { ok: false, reason: `names no event: ${columns.join(" and ")} ${columns.length === 1 ? "is" : "are"} empty` };
  }
  try {
    return { ok: true, event: { kind: first.kind, id: parseEventId(first.kind, first.text, first.column) } };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Whether the input names each row's event: a meeting or a webinar column was found or stated. */
export function namesEvents(columns: EventColumns | undefined): boolean {
  return columns?.meeting !== undefined || columns?.webinar !== undefined;
}

/** `meeting:85746065`: an event as one key (state, locks and the summary use the same spelling). */
export function eventKey(event: EventRef): string {
  return `${event.kind}:${event.id}`;
}

function cellText(fields: Record<string, unknown>, column: string | undefined): string {
  if (column === undefined) return "";
  const value = valueAt(fields, column);
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return "";
}
