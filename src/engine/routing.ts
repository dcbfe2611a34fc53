/**
 * Whether a push is for one event or for the events its rows name (issue 20), decided from the
 * options and the input's first record: `eventOf`, or a meeting or webinar column, makes a run of
 * many events; otherwise `--meeting`/`--webinar` name the one event, and without them the run is
 * refused with how to name one. A run that names both (a flag and a column) is refused unless
 * `--default-event` says the flag is for the rows that name none.
 */
import { ConfigError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import { createRowMapper, type ColumnMapping, type EventColumns } from "../registrant/index.js";
import type { EventKind, EventRef } from "../zoom/index.js";
import { parseEventId } from "./event-id.js";
import type { EventOfRecord, PushSettings } from "./options.js";
import { namesEvents, rowEvent, type RowEvent } from "./row-event.js";

export type Routing =
  | { kind: "single"; event: EventRef }
  | { kind: "events"; route: (fields: Record<string, unknown>) => RowEvent; mapping: ColumnMapping };

const noMapping: ColumnMapping = { fields: {}, questions: [], unmapped: [] };

export function routingOf(settings: Pick<PushSettings, "event" | "defaultEvent" | "eventOf" | "overrides">, first: RawRecord | undefined): Routing {
  const mapper = createRowMapper({ overrides: settings.overrides });
  // The first record checks the stated columns (--map): a missing one is refused before anything is sent.
  const mapping = first === undefined || first.parseError !== undefined ? noMapping : mapper.mappingFor(first.fields);
  const defaultEvent = settings.defaultEvent ? settings.event : undefined;
  const { eventOf } = settings;
  if (eventOf !== undefined) {
    if (settings.event !== undefined && defaultEvent === undefined) throw bothNamed("push()'s eventOf", "defaultEvent: true");
    return { kind: "events", route: (fields) => eventOfRecord(eventOf(fields), defaultEvent), mapping };
  }
  const columns = mapping.event;
  if (namesEvents(columns)) {
    if (settings.event !== undefined && defaultEvent === undefined) throw bothNamed(columnNames(columns), "--default-event");
    return { kind: "events", route: (fields) => rowEvent(fields, { columns: mapper.mappingFor(fields).event ?? {}, ...(defaultEvent === undefined ? {} : { defaultEvent }) }), mapping };
  }
  if (settings.event !== undefined) return { kind: "single", event: settings.event };
  // An empty input names no event and has none to send: a run of no events, exit 0.
  if (first === undefined) return { kind: "events", route: () => ({ ok: false, reason: "names no event" }), mapping };
  throw new ConfigError("say which event: --meeting <id> or --webinar <id>, or a meeting_id or webinar_id column naming each row's event", {
    hint: "the id is the number in the event's Zoom link, e.g. --meeting 85746065 (or --map meeting=<column> for a column of another name)",
  });
}

function bothNamed(source: string, flag: string): ConfigError {
  return new ConfigError(`both --meeting/--webinar and ${source} name the rows' events`, {
    hint: `drop --meeting/--webinar to let each row name its event, or add ${flag} to send the rows that name none to it`,
  });
}

function columnNames(columns: EventColumns | undefined): string {
  const names = [columns?.meeting, columns?.webinar].filter((column) => column !== undefined);
  return `the ${names.join(" and ")} column${names.length === 1 ? "" : "s"}`;
}

/** push()'s eventOf answer as a row's event: an id or a link, checked as `--meeting` checks one. */
function eventOfRecord(answer: EventOfRecord | undefined, defaultEvent: EventRef | undefined): RowEvent {
  if (answer === undefined || (answer.meeting === undefined && answer.webinar === undefined)) {
    return defaultEvent === undefined ? { ok: false, reason: "names no event: eventOf gave neither a meeting nor a webinar" } : { ok: true, event: defaultEvent };
  }
  const kind: EventKind = answer.meeting === undefined ? "webinar" : "meeting";
  try {
    return { ok: true, event: { kind, id: parseEventId(kind, String(answer.meeting ?? answer.webinar), `eventOf's ${kind}`) } };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, reason: error.message };
    throw error;
  }
}
