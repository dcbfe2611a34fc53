/**
 * Which column fills which field of Zoom's add body. People export from their own systems, so a
 * column is recognised by what it means, not how it is spelled: "E-mail", "Email Address" and
 * "email_address" all normalise to the same key.
 *
 * Decisions:
 * - Names compare lowercased with everything but letters and digits removed.
 * - When several columns mean the same field the first (leftmost) wins; the others are `unmapped`,
 *   so the user sees them and nothing is merged silently.
 * - "Title" means job title: CRM exports (Salesforce's Contact.Title, LinkedIn) use it that way, and
 *   an honorific column is usually "Salutation" or "Prefix", which stay unmapped. "Role" stays
 *   unmapped too: it could be a job title or Zoom's role_in_purchase_process.
 * - `question: <title>` or `q: <title>` (any case) answers the event's custom question `<title>`,
 *   the title kept as written after the prefix, trimmed. A column whose name matches one of
 *   `questionTitles` (the event's questions, when the caller knows them) answers it too, with the
 *   event's spelling of the title.
 * - A column reaches a field the host sees in Zoom (every field does) only under a name that means
 *   that field: free text like "Notes" or "Remarks" is not taken for `comments` (issue 12).
 * - "Name" / "Full Name" fills first_name and last_name only when no first- or last-name column
 *   exists: it is split at the last word (see `splitFullName`).
 * - A `custom_questions` key (JSON shaped like Zoom's own body) is read as a list of {title, value}.
 * - `meeting_id`, `webinar_id` and `occurrence_ids` (and their aliases, event-columns.ts) say which
 *   event the row is for (issue 20): they are the run's to read, never sent, and never unmapped.
 * - Stated mappings (`overrides`: `--map`, `--question`, the config file) win over every rule above.
 *   The column they name is taken out of inference, so it fills nothing else; a column the aliases
 *   would have used for an overridden field or question is listed as unmapped. A dotted path
 *   (`contact.email`) takes its top-level column ("contact") out of inference the same way.
 */
import { eventColumnNamed, type EventColumns } from "./event-columns.js";
import { normaliseColumnName } from "./normalise.js";
import { checkOverridesAgainst } from "./overrides.js";
import type { MappingOverrides } from "./overrides.js";
import { pathHeads } from "./record-path.js";
import { REGISTRANT_FIELDS } from "./schema.js";
import type { RegistrantField } from "./schema.js";

export interface ColumnMapping {
  fields: Partial<Record<RegistrantField, string>>;
  questions: { title: string; column: string }[];
  /** A column holding a whole name, split into first_name and last_name. */
  fullName?: string;
  /** A column already holding Zoom's custom_questions list. */
  customQuestions?: string;
  /** Columns that fill nothing, in input order: shown to the user so a misspelled header is noticed. */
  unmapped: string[];
  /** The column saying what the person should be (registered, cancelled, denied); sent to nobody. */
  status?: string;
  /**
   * The status column was named with `--map status=` (yes/no spellings count); otherwise it was found
   * by its name, and is used only when every value in it is a status word (issue 17).
   */
  statusStated?: true;
  /** The columns naming the row's event and occurrences (issue 20); sent to nobody. */
  event?: EventColumns;
}

export interface MappingOptions {
  /** The event's custom question titles: a column named like one answers it. */
  questionTitles?: readonly string[];
  /** Mappings the user stated (`--map`, `--question`, the config file): they win over inference. */
  overrides?: MappingOverrides;
}

export { normaliseColumnName };

const ALIASES: Readonly<Record<RegistrantField, readonly string[]>> = {
  email: ["email", "e-mail", "email address", "e-mail address", "mail", "mail address", "email_address"],
  first_name: ["first name", "firstname", "first", "given name", "given_name", "forename", "fname"],
  last_name: ["last name", "lastname", "last", "surname", "family name", "family_name", "lname"],
  address: ["address", "street", "street address", "address line 1", "address1"],
  city: ["city", "town"],
  state: ["state", "region", "province", "state/province"],
  zip: ["zip", "zip code", "postcode", "postal code", "post code"],
  country: ["country", "country code"],
  phone: ["phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "cell", "cell phone"],
  // Only Zoom's own names (the form labels the field "Questions & Comments"): the host sees it, and a
  // "Notes" or "Remarks" column is often an internal remark (issue 12); --map comments=Notes sends one.
  comments: ["comments", "comment", "questions and comments", "questions & comments"],
  industry: ["industry", "sector"],
  job_title: ["job title", "title", "position", "job position", "job_title"],
  org: ["org", "organization", "organisation", "company", "company name", "organization name", "organisation name", "employer"],
  no_of_employees: ["no of employees", "no. of employees", "number of employees", "employees", "employee count", "company size"],
  purchasing_time_frame: ["purchasing time frame", "purchase time frame", "purchasing timeframe", "time frame", "timeframe"],
  role_in_purchase_process: ["role in purchase process", "purchase role", "role in purchasing"],
  language: ["language", "lang", "preferred language"],
};

/** The names a column may have to fill `field` without a --map (the field's own name first). */
export function fieldAliases(field: RegistrantField): readonly string[] {
  return [field, ...ALIASES[field]];
}

const FIELD_BY_KEY: ReadonlyMap<string, RegistrantField> = new Map(
  REGISTRANT_FIELDS.flatMap((field) => fieldAliases(field).map((alias) => [normaliseColumnName(alias), field] as const)),
);

const FULL_NAME_KEYS: ReadonlySet<string> = new Set(["name", "fullname"]);
/**
 * A status column's names (issue 13). Not `state`: that is Zoom's own field for an address's state,
 * so such a column needs `--map status=State`.
 */
const STATUS_KEYS: ReadonlySet<string> = new Set(["status", "registrationstatus"]);
const CUSTOM_QUESTIONS_KEY = "customquestions";
const QUESTION_PREFIX = /^\s*(?:question|q)\s*:(.*)$/i;

/** True for a column named `question: <title>` (or `q: <title>`): it answers a question by its name. */
export function isQuestionColumn(column: string): boolean {
  return QUESTION_PREFIX.test(column);
}

export function inferMapping(columns: readonly string[], options: MappingOptions = {}): ColumnMapping {
  const overrides = options.overrides;
  const mapping: ColumnMapping = {
    fields: { ...overrides?.fields },
    questions: [],
    unmapped: [],
    ...(overrides?.status === undefined ? {} : { status: overrides.status, statusStated: true }),
    ...(overrides?.event === undefined ? {} : { event: { ...overrides.event } }),
  };
  const knownTitles = new Map((options.questionTitles ?? []).map((title) => [normaliseColumnName(title), title]));
  const answeredTitles = new Set<string>();
  const fullNameCandidates: string[] = [];
  for (const { title, column } of overrides?.questions ?? []) {
    // The event's spelling when the caller knows it: Zoom matches titles exactly (docs/zoom-facts.md).
    const eventTitle = knownTitles.get(normaliseColumnName(title)) ?? title;
    if (answeredTitles.has(eventTitle.toLowerCase())) continue;
    answeredTitles.add(eventTitle.toLowerCase());
    mapping.questions.push({ title: eventTitle, column });
  }
  const claimed = claimedColumns(columns, overrides);

  const addQuestion = (title: string, column: string): void => {
    const key = title.toLowerCase();
    if (title === "" || answeredTitles.has(key)) {
      mapping.unmapped.push(column);
      return;
    }
    answeredTitles.add(key);
    mapping.questions.push({ title, column });
  };

  for (const column of columns) {
    if (claimed.has(column)) continue;
    const prefixed = QUESTION_PREFIX.exec(column);
    if (prefixed !== null) {
      addQuestion((prefixed[1] ?? "").trim(), column);
      continue;
    }
    const key = normaliseColumnName(column);
    const field = FIELD_BY_KEY.get(key);
    const knownTitle = knownTitles.get(key);
    const eventColumn = eventColumnNamed(column);
    if (eventColumn !== undefined) {
      // The first column of each kind names the event; a second is shown as unmapped, like a second email.
      if (mapping.event?.[eventColumn] === undefined && overrides?.event?.[eventColumn] === undefined) mapping.event = { ...mapping.event, [eventColumn]: column };
      else mapping.unmapped.push(column);
    } else if (field !== undefined) {
      if (mapping.fields[field] === undefined) mapping.fields[field] = column;
      else mapping.unmapped.push(column);
    } else if (knownTitle !== undefined) {
      addQuestion(knownTitle, column);
    } else if (FULL_NAME_KEYS.has(key)) {
      fullNameCandidates.push(column);
    } else if (key === CUSTOM_QUESTIONS_KEY && mapping.customQuestions === undefined) {
      mapping.customQuestions = column;
    } else if (STATUS_KEYS.has(key) && mapping.status === undefined && overrides?.ignoreStatus !== true) {
      mapping.status = column;
    } else {
      mapping.unmapped.push(column);
    }
  }

  // Left out on purpose (--ignore): the column stays visible as unmapped, so nothing is silent.
  for (const field of overrides?.ignore ?? []) {
    const column = mapping.fields[field];
    if (column === undefined) continue;
    delete mapping.fields[field];
    mapping.unmapped.push(column);
  }
  const [fullName, ...otherNames] = fullNameCandidates;
  const hasNameColumn = mapping.fields.first_name !== undefined || mapping.fields.last_name !== undefined;
  if (fullName !== undefined && !hasNameColumn) mapping.fullName = fullName;
  const leftOver = hasNameColumn ? fullNameCandidates : otherNames;
  if (leftOver.length > 0) mapping.unmapped = columns.filter((column) => mapping.unmapped.includes(column) || leftOver.includes(column));
  return mapping;
}

/**
 * The top-level columns the stated mappings use: the column itself, or for a dotted path the longest
 * column it starts with (the one `valueAt` reads first).
 */
function claimedColumns(columns: readonly string[], overrides: MappingOverrides | undefined): ReadonlySet<string> {
  const claimed = new Set<string>();
  if (overrides === undefined) return claimed;
  const available = new Set(columns);
  const stated = [
    ...Object.values(overrides.fields),
    ...overrides.questions.map((question) => question.column),
    ...(overrides.status === undefined ? [] : [overrides.status]),
    ...Object.values(overrides.event ?? {}),
  ];
  for (const path of stated) {
    const column = [path, ...pathHeads(path)].find((candidate) => available.has(candidate));
    if (column !== undefined) claimed.add(column);
  }
  return claimed;
}

const NAME_SUFFIXES: ReadonlySet<string> = new Set(["jr", "sr", "ii", "iii", "iv"]);

/**
 * "Ada King Lovelace" -> first "Ada King", last "Lovelace": the last word is the family name, the rest
 * the given names, which fits the order most Western exports use. A trailing suffix stays with the
 * family name ("John Smith, Jr." -> last "Smith, Jr."). One word is a first name only. Names written
 * family-name first (common for CJK names) are split the wrong way round: prefer separate columns.
 */
export function splitFullName(fullName: string): { first_name: string; last_name?: string } {
  const words = fullName.trim().split(/\s+/).filter((word) => word !== "");
  let lastWordCount = 1;
  const lastWord = words.at(-1);
  if (words.length > 2 && lastWord !== undefined && NAME_SUFFIXES.has(lastWord.toLowerCase().replace(/\.$/, ""))) lastWordCount = 2;
  if (words.length <= 1) return { first_name: words.join("") };
  return { first_name: words.slice(0, -lastWordCount).join(" "), last_name: words.slice(-lastWordCount).join(" ") };
}

/** How many distinct key sets a run remembers; JSON inputs whose records vary that much get no cache benefit anyway. */
const MAX_CACHED_KEY_SETS = 1000;

/**
 * Mappings cached by the record's key set: every CSV row shares its header (one mapping per run), but
 * JSON and NDJSON records may each carry different keys. The first record checks the stated mappings
 * (`overrides`): a column it lacks is a ConfigError before anything is sent.
 */
export function createRowMapper(options: MappingOptions = {}): { mappingFor(fields: Record<string, unknown>): ColumnMapping } {
  const cache = new Map<string, ColumnMapping>();
  let unchecked = options.overrides;
  return {
    mappingFor(fields) {
      if (unchecked !== undefined) {
        checkOverridesAgainst(fields, unchecked);
        unchecked = undefined;
      }
      const columns = Object.keys(fields);
      const key = JSON.stringify(columns);
      let mapping = cache.get(key);
      if (mapping === undefined) {
        mapping = inferMapping(columns, options);
        if (cache.size >= MAX_CACHED_KEY_SETS) cache.delete(cache.keys().next().value as string);
        cache.set(key, mapping);
      }
      return mapping;
    },
  };
}
