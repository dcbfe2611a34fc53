/**
 * Mappings the user states instead of leaving them to the aliases: `--map <zoom_field>=<column>` and
 * `--question "<title>=<column>"` (or the config file's `map` and `questions`). A column may be a
 * dotted path into a nested JSON record (`contact.email`, see record-path.ts).
 *
 * Decisions:
 * - A stated mapping is checked against the first record: a column no record has is a typo far more
 *   often than a column that only later records carry, and it would otherwise turn every row
 *   `invalid` with "missing" after the whole file was read.
 * - When the same field or question is stated twice the last one wins, so a command-line flag placed
 *   after the config file's entries (mergeFlags) overrides it entry by entry.
 * - `--map` splits at the first `=` (no field name holds one), `--question` at the last (a question
 *   title is prose and may hold one; a column header rarely does).
 */
import { ConfigError } from "../errors.js";
import { eventColumnOfMapKey, type EventColumn, type EventColumns } from "./event-columns.js";
import { columnPaths, lookupPath } from "./record-path.js";
import { REGISTRANT_FIELDS } from "./schema.js";
import type { RegistrantField } from "./schema.js";

export interface MappingOverrides {
  /** Zoom field -> column or dotted path. */
  fields: Partial<Record<RegistrantField, string>>;
  /** The event's question title -> column or dotted path, in the order given. */
  questions: { title: string; column: string }[];
  /** The column saying what the person should be (registered, cancelled, denied): `--map status=<column>`. */
  status?: string;
  /** `--no-status`: no column is read as the desired state, whatever it is called. */
  ignoreStatus?: boolean;
  /** `--ignore <field>`: fields never sent, whatever column would fill them (a column that forces single adds). */
  ignore?: RegistrantField[];
  /** `--map meeting=<column>`, `--map webinar=<column>`, `--map occurrence_ids=<column>`: the row's event (issue 20). */
  event?: EventColumns;
}

/**
 * `--ignore org --ignore job_title` (or the config's `ignore`): Zoom fields to leave out of what is
 * sent. email and first_name cannot be: Zoom requires them.
 */
export function parseIgnoredFields(names: readonly string[]): RegistrantField[] {
  return names.map((name) => {
    const field = registrantFieldNamed(name);
    if (field === undefined) {
      throw new ConfigError(`--ignore ${name}: "${name}" is not a field of Zoom's registrant`, { hint: `use one of ${REGISTRANT_FIELDS.filter((f) => f !== "email" && f !== "first_name").join(", ")}` });
    }
    if (field === "email" || field === "first_name") throw new ConfigError(`--ignore ${name}: Zoom requires ${field}`, { hint: "leave out only fields Zoom does not require" });
    return field;
  });
}

const fieldKey = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
const FIELD_BY_KEY: ReadonlyMap<string, RegistrantField> = new Map(REGISTRANT_FIELDS.map((field) => [fieldKey(field), field]));

/**
 * Zoom's spelling of a field written loosely ("First Name", "first-name" -> first_name), or undefined
 * when it is not a field of the add body.
 */
export function registrantFieldNamed(name: string): RegistrantField | undefined {
  return FIELD_BY_KEY.get(fieldKey(name));
}

/** What a map's key names: the status column (issue 13), a column of the row's event (issue 20), or a Zoom field. */
export type MapKeyTarget = { to: "status" } | { to: "event"; column: EventColumn } | { to: "field"; field: RegistrantField };

/** The `--map` key (or a config file's `map` key) as what it names; undefined for none. */
export function mapKeyTarget(name: string): MapKeyTarget | undefined {
  if (name.toLowerCase() === "status") return { to: "status" };
  const column = eventColumnOfMapKey(name);
  if (column !== undefined) return { to: "event", column };
  const field = registrantFieldNamed(name);
  return field === undefined ? undefined : { to: "field", field };
}

/** The keys a map takes, as the refusal of an unknown one lists them. */
export const mapKeyChoices = `${REGISTRANT_FIELDS.join(", ")}, status, or meeting, webinar, occurrence_ids`;

/** `--map` and `--question` values as commander collects them (repeatable, in the order given). */
export function parseMappingOverrides(flags: { map?: readonly string[] | undefined; question?: readonly string[] | undefined }): MappingOverrides {
  const fields: Partial<Record<RegistrantField, string>> = {};
  const event: EventColumns = {};
  let status: string | undefined;
  for (const raw of flags.map ?? []) {
    const equals = raw.indexOf("=");
    const name = raw.slice(0, Math.max(equals, 0)).trim();
    const column = raw.slice(equals + 1).trim();
    if (equals < 0 || name === "" || column === "") {
      throw new ConfigError(`--map ${raw}: expected <zoom_field>=<column>`, { hint: 'e.g. --map email=Contact or --map first_name="Given Name"; a nested JSON field is a dotted path: --map email=contact.email' });
    }
    const target = mapKeyTarget(name);
    if (target === undefined) {
      throw new ConfigError(`--map ${raw}: "${name}" is not a field of Zoom's registrant`, {
        hint: `use one of ${mapKeyChoices} (each row's event); a custom question goes in --question "<title>=<column>"`,
      });
    }
    if (target.to === "status") status = column;
    else if (target.to === "event") event[target.column] = column;
    else fields[target.field] = column;
  }

  const byTitle = new Map<string, { title: string; column: string }>();
  for (const raw of flags.question ?? []) {
    const equals = raw.lastIndexOf("=");
    const title = raw.slice(0, Math.max(equals, 0)).trim();
    const column = raw.slice(equals + 1).trim();
    if (equals < 0 || title === "" || column === "") {
      throw new ConfigError(`--question ${raw}: expected "<question title>=<column>"`, { hint: 'e.g. --question "Dietary needs=Diet"' });
    }
    // Deleted first so a later answer to the same title takes the later position too.
    byTitle.delete(title.toLowerCase());
    byTitle.set(title.toLowerCase(), { title, column });
  }
  return { fields, questions: [...byTitle.values()], ...(status === undefined ? {} : { status }), ...(Object.keys(event).length === 0 ? {} : { event }) };
}

/**
 * Throws a ConfigError naming the first stated column the record does not have, with the columns it
 * does have (nested ones as dotted paths, ready to copy).
 */
export function checkOverridesAgainst(record: Record<string, unknown>, overrides: MappingOverrides): void {
  const stated = [
    ...Object.entries(overrides.fields).map(([field, column]) => ({ label: `${field}=${column}`, column })),
    ...overrides.questions.map(({ title, column }) => ({ label: `question "${title}"=${column}`, column })),
    // A typo here would silently turn cancellations off while the run looks fine (issue 17).
    ...(overrides.status === undefined ? [] : [{ label: `status=${overrides.status}`, column: overrides.status }]),
    ...Object.entries(overrides.event ?? {}).map(([name, column]) => ({ label: `${name === "occurrences" ? "occurrence_ids" : name}=${column}`, column })),
  ];
  for (const { label, column } of stated) {
    if (lookupPath(record, column).found) continue;
    const found = columnPaths(record);
    const suggestion = closestColumn(column, found);
    throw new ConfigError(`mapping ${label}: the input has no column "${column}"; found ${found.length === 0 ? "no columns" : found.map((name) => JSON.stringify(name)).join(", ")}`, {
      hint:
        suggestion === undefined
          ? "columns are matched as written (checked on the first record); a nested JSON field is a dotted path such as contact.email"
          : `did you mean "${suggestion}"? Columns are matched as written`,
    });
  }
}

/** A found column that differs only in case and punctuation, or by one or two typed characters. */
function closestColumn(column: string, found: readonly string[]): string | undefined {
  const key = fieldKey(column);
  const sameKey = found.find((candidate) => fieldKey(candidate) === key);
  if (sameKey !== undefined) return sameKey;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of found) {
    const distance = editDistance(column.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance; headers are short, so the quadratic table costs nothing. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The overrides as a config file's `map` writes them (push()'s spelling of --map): fields, `status`, and `meeting`, `webinar`, `occurrence_ids`. */
export function overridesAsMap(overrides: Pick<MappingOverrides, "fields" | "status" | "event">): Record<string, string> {
  const { event } = overrides;
  return {
    ...overrides.fields,
    ...(overrides.status === undefined ? {} : { status: overrides.status }),
    ...(event?.meeting === undefined ? {} : { meeting: event.meeting }),
    ...(event?.webinar === undefined ? {} : { webinar: event.webinar }),
    ...(event?.occurrences === undefined ? {} : { occurrence_ids: event.occurrences }),
  };
}
