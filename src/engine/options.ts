/**
 * push()'s options: the keys of `zoomreg.config.json` (the flags' long names in camelCase) with their
 * JSON types, checked by the same schema (src/engine/config.ts), plus what only code can pass: `records`,
 * `env`, `onRow`, `signal`, `logger`. An option that is wrong is a ConfigError naming it, thrown before
 * anything is read or sent, as a flag or a config file key would be (exit 2 in the CLI).
 */
import type { Logger } from "pino";
import { z } from "zod";
import { defaultMaxPrune, type MaxPrune } from "../push/prune.js";
import { ConfigError } from "../errors.js";
import { booleanFlag, configIssueError, configObject, path } from "./config.js";
import { parseEventId } from "./event-id.js";
import { ENCODING_FLAG_VALUES, formatFromPath, layoutOptions, parseEncodingName, type EncodingRequest, type InputFormat, type LayoutOptions } from "../input/index.js";
import type { CsvFormulas, EventOutputRow, OutputRow } from "../output/index.js";
import { parseIgnoredFields, parseOccurrenceIds, type EventColumns, type MappingOverrides, type RegistrantField } from "../registrant/index.js";
import type { EventKind, EventRef } from "../zoom/index.js";

export { planLimits, pushDefaults, type PlanName } from "./plans.js";
import { planLimits, pushDefaults, type PlanName } from "./plans.js";

/** Where credentials, `ZOOM_API_URL`/`ZOOM_OAUTH_URL`, proxies and `ZOOMREG_LOCK_DIR` are read. */
export type PushEnv = Readonly<Record<string, string | undefined>>;

/** What `eventOf` says of one record: its meeting or its webinar. */
export type EventOfRecord = { meeting: string | number; webinar?: undefined } | { webinar: string | number; meeting?: undefined };

/** People to register: plain objects, keyed like a file's columns (`{ email, first_name, last_name, ... }`). */
export type PushRecords = Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;

/**
 * Everything push() takes. The settings are those of `zoomreg.config.json`, with the same names,
 * types and ranges (docs/push.md); relative paths are relative to the working directory.
 */
export interface PushApiOptions {
  /**
   * The meeting's id (digits, as a string or a number) or its Zoom link. At most one of meeting and
   * webinar; neither when each record names its event (a `meeting_id` or `webinar_id` key, or `eventOf`).
   */
  meeting?: string | number | undefined;
  webinar?: string | number | undefined;
  /** When records name their events: those that name none go to `meeting` or `webinar` (else they are invalid). */
  defaultEvent?: boolean | undefined;
  /**
   * Each record's event, when its keys do not say it (issue 20): `{ meeting: id }` or `{ webinar: id }`
   * (an id or a Zoom link), or undefined for none (the default event, or invalid).
   */
  eventOf?: ((record: Record<string, unknown>) => EventOfRecord | undefined) | undefined;
  /**
   * The people, mapped like a file's columns (a column per key; `map` and `questions` name others);
   * the n-th is `line` n in the output. Exactly one of records and file.
   */
  records?: PushRecords | undefined;
  /** A CSV, TSV, JSON or NDJSON file to read instead of `records` (not `-`: push() never reads stdin). */
  file?: string | undefined;
  /** The output file (.csv, .json, .ndjson, .jsonl); default `joinurls-<meeting|webinar>-<id>.csv`. Not `-`: push() never writes to stdout. */
  out?: string | undefined;
  rejects?: string | undefined;
  state?: string | undefined;
  /** The file's format; default from its extension. `mysql`: mysql's tab-separated text (`mysql --batch`, `INTO OUTFILE`). */
  format?: "csv" | "tsv" | "json" | "ndjson" | "jsonl" | "mysql" | undefined;
  delimiter?: string | undefined;
  jsonPath?: string | undefined;
  /** The file has no header row: its columns in order, a list or one comma-separated string. */
  columns?: string | readonly string[] | undefined;
  /** Lines above the header to skip. */
  skipLines?: number | undefined;
  /** A cell reading exactly this is empty (`"NULL"`). */
  null?: string | undefined;
  /** The file's text encoding: auto (the default), utf8, utf16le, utf16be, latin1. */
  encoding?: string | undefined;
  /** Zoom field -> the key (or dotted path) that holds it: `{ email: "Contact" }`. */
  map?: Partial<Record<RegistrantField, string>> | Record<string, string> | undefined;
  /** The event's question title -> the key that answers it. */
  questions?: Record<string, string> | undefined;
  concurrency?: number | undefined;
  plan?: PlanName | undefined;
  /** Single adds per second at most (default: the plan's Light limit). */
  rate?: number | undefined;
  batch?: "auto" | "always" | "never" | undefined;
  autoApprove?: boolean | undefined;
  /** Occurrence ids of a recurring meeting: a list, or one comma-separated string. */
  occurrence?: string | readonly (string | number)[] | undefined;
  confirmationEmail?: boolean | undefined;
  reconcile?: boolean | undefined;
  preflight?: boolean | undefined;
  /** Cancel the registrants zoomreg added that the records no longer have (a guard stops a prune that looks like a mistake). */
  prune?: boolean | undefined;
  /** The most a prune may cancel: a count (25) or a share of zoomreg's registrants ("10%"); default 10%, at least 5. */
  maxPrune?: number | string | undefined;
  /** False: read no column as the desired state, whatever it is called (`--no-status`). */
  status?: boolean | undefined;
  /** Zoom fields never sent, whatever column would fill them: `["org"]` (`--ignore org`). */
  ignore?: readonly string[] | undefined;
  /** Read and check everything, send nothing: resolves to a DryRunSummary. */
  dryRun?: boolean | undefined;
  /** Seconds before one request is given up. */
  timeout?: number | undefined;
  /** CSV outputs: `escape` (the default) guards names and messages against spreadsheet formulas; `keep` writes every cell as it is. Identifiers are never changed. */
  csvFormulas?: CsvFormulas | undefined;
  /** The level of zoomreg's log: to `logger` when given, else JSON lines on stderr. Default: nothing is logged. */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent" | undefined;
  /** Editors' schema reference in a config file; ignored. */
  $schema?: string | undefined;
  /** Default: process.env. */
  env?: PushEnv | undefined;
  /**
   * Each output row as soon as it is known (in input order for one event; for many, as each event
   * writes it); `sentThisRun`: its add went to Zoom in this run. Rows of a run of many events carry
   * `event_kind` and `event_id`.
   */
  onRow?: ((row: OutputRow & Partial<Pick<EventOutputRow, "event_kind" | "event_id">>, sentThisRun: boolean) => void) | undefined;
  /** Aborting stops reading rows; the requests in flight finish and are written, and push() resolves. */
  signal?: AbortSignal | undefined;
  /** A pino logger for zoomreg's log lines (secrets redacted). Default: silent. */
  logger?: Logger | undefined;
}

const isFunction = (value: unknown): boolean => typeof value === "function";
const isIterable = (value: unknown): boolean =>
  typeof value === "object" && value !== null && (isFunction((value as Iterable<unknown>)[Symbol.iterator]) || isFunction((value as AsyncIterable<unknown>)[Symbol.asyncIterator]));

const eventIdError = "expected the event's id (digits, as a string or a number) or its Zoom link";
const eventId = z.union([z.string({ error: eventIdError }), z.number({ error: eventIdError }).int({ error: eventIdError }).positive({ error: eventIdError })], { error: eventIdError });
const recordsError = "expected an array, an iterable or an async iterable of objects";

const optionsObject = z.strictObject({
  ...configObject.shape,
  meeting: eventId.optional(),
  webinar: eventId.optional(),
  encoding: z
    .string({ error: `expected one of ${ENCODING_FLAG_VALUES.join(", ")}` })
    .refine((value) => parseEncodingName(value) !== undefined, { error: `expected one of ${ENCODING_FLAG_VALUES.join(", ")}` })
    .optional(),
  dryRun: booleanFlag.optional(),
  file: path.optional(),
  records: z.custom<PushRecords>(isIterable, { error: recordsError }).optional(),
  env: z.custom<PushEnv>((value) => typeof value === "object" && value !== null, { error: "expected an object of environment variables, such as process.env" }).optional(),
  onRow: z.custom<(row: OutputRow, sentThisRun: boolean) => void>(isFunction, { error: "expected a function" }).optional(),
  eventOf: z.custom<(record: Record<string, unknown>) => EventOfRecord | undefined>(isFunction, { error: "expected a function from a record to { meeting } or { webinar }" }).optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, { error: "expected an AbortSignal" }).optional(),
  logger: z.custom<Logger>((value) => typeof value === "object" && value !== null && "child" in value && isFunction(value.child), { error: "expected a pino logger" }).optional(),
});

const optionsSchema = optionsObject.refine((options) => options.meeting === undefined || options.webinar === undefined, { error: 'both "meeting" and "webinar" are set: pass the one to register people for' });

/** The keys push() takes, for messages. */
export const pushOptionKeys: readonly string[] = Object.keys(optionsObject.shape).filter((key) => key !== "$schema");

/** The input, read by the engine: a file (or the CLI's stdin, `-`) or the caller's objects. */
export type PushInput =
  | { kind: "file"; file: string; format: InputFormat; encoding: EncodingRequest; layout: LayoutOptions }
  | { kind: "records"; records: PushRecords };

/** push()'s options checked and with their defaults: what the engine runs. */
export interface PushSettings {
  /** `--meeting`/`--webinar`: the one event, or with an event column the default one (`defaultEvent`). */
  event: EventRef | undefined;
  /** Rows that name no event go to `event` (`--default-event`). */
  defaultEvent: boolean;
  /** push()'s `eventOf`: each record's event. */
  eventOf: ((record: Record<string, unknown>) => EventOfRecord | undefined) | undefined;
  input: PushInput;
  concurrency: number;
  /** Single adds (Zoom's Light label) per second at most. */
  ratePerSecond: number;
  /** Batch adds (Heavy) per second at most: `rate` scales both labels alike, so one setting slows the whole run. */
  batchRatePerSecond: number;
  batch: "auto" | "always" | "never";
  timeoutMs: number;
  occurrenceIds: readonly string[];
  autoApprove: boolean;
  confirmationEmail: boolean | undefined;
  dryRun: boolean;
  reconcile: boolean;
  preflight: boolean;
  /** Set with `prune`: the guard's limit. */
  prune: MaxPrune | undefined;
  /** Approvals, cancellations and denials per second at most (Zoom's Medium label). */
  statusRatePerSecond: number;
  /** Batch adds a day the plan allows the account (Zoom's Heavy daily cap): what a dry run's cost compares with. */
  heavyPerDay: number;
  overrides: MappingOverrides;
  paths: { out?: string; rejects?: string; state?: string };
  csvFormulas: CsvFormulas;
  env: PushEnv | undefined;
  onRow: ((row: OutputRow, sentThisRun: boolean) => void) | undefined;
  signal: AbortSignal | undefined;
  logger: Logger | undefined;
  logLevel: PushApiOptions["logLevel"];
}

/**
 * Checks the options (a ConfigError names the first that is wrong) and fills in the defaults.
 * `stdio`: whether `-` may name stdin (`file`) and stdout (`out`): the CLI's, never push()'s.
 */
export function resolvePushOptions(options: PushApiOptions, stdio: { stdin: boolean; stdout: boolean }): PushSettings {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("push(): expected an object of options", { hint: 'e.g. push({ meeting: "85746065", records, onRow })' });
  }
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw configIssueError("push()", parsed.error.issues[0], pushOptionKeys);
  const o = parsed.data;
  const event = eventOf(o.meeting, o.webinar);
  const input = inputOf(o, stdio.stdin);
  if (o.out === "-" && !stdio.stdout) {
    throw new ConfigError('push(): out "-": push() never writes to stdout', { hint: "give out a file path, and take each row as it is known through onRow" });
  }
  const plan = planLimits[o.plan ?? pushDefaults.plan];
  const ratePerSecond = o.rate ?? plan.lightPerSecond;
  if (o.prune === true && o.reconcile === false) {
    throw new ConfigError("--prune needs Zoom's registrant list: it cancels only people Zoom still lists", { hint: "drop --no-reconcile (or prune: true without reconcile: false)" });
  }
  const { status, meeting: meetingColumn, webinar: webinarColumn, occurrences: occurrenceColumn, ...fields } = (o.map ?? {});
  const eventColumns: EventColumns = {
    ...(meetingColumn === undefined ? {} : { meeting: meetingColumn }),
    ...(webinarColumn === undefined ? {} : { webinar: webinarColumn }),
    ...(occurrenceColumn === undefined ? {} : { occurrences: occurrenceColumn }),
  };
  if (o.defaultEvent === true && event === undefined) {
    throw new ConfigError("--default-event needs --meeting or --webinar: the event rows that name none go to", { hint: "e.g. --meeting 85746065 --default-event, or drop --default-event" });
  }
  if (status !== undefined && o.status === false) {
    throw new ConfigError(`--no-status and --map status=${status} say opposite things`, { hint: "drop one: --map status=<column> reads that column as the desired state, --no-status reads none" });
  }
  return {
    event,
    defaultEvent: o.defaultEvent === true,
    eventOf: o.eventOf,
    input,
    concurrency: o.concurrency ?? pushDefaults.concurrency,
    ratePerSecond,
    batchRatePerSecond: o.rate === undefined ? plan.heavyPerSecond : (ratePerSecond * plan.heavyPerSecond) / plan.lightPerSecond,
    batch: o.batch ?? "auto",
    timeoutMs: (o.timeout ?? pushDefaults.timeoutSeconds) * 1000,
    occurrenceIds: occurrences(o.occurrence),
    autoApprove: o.autoApprove === true,
    confirmationEmail: o.confirmationEmail,
    dryRun: o.dryRun === true,
    reconcile: o.reconcile !== false,
    preflight: o.preflight !== false,
    prune: o.prune === true ? (o.maxPrune ?? defaultMaxPrune) : undefined,
    statusRatePerSecond: o.rate === undefined ? plan.mediumPerSecond : (ratePerSecond * plan.mediumPerSecond) / plan.lightPerSecond,
    heavyPerDay: plan.heavyPerDay,
    overrides: {
      fields,
      questions: questionsOf(o.questions ?? {}),
      ...(status === undefined ? {} : { status }),
      ...(o.status === false ? { ignoreStatus: true } : {}),
      ...ignoredOf(o.ignore, fields),
      ...(Object.keys(eventColumns).length === 0 ? {} : { event: eventColumns }),
    },
    paths: { ...(o.out === undefined ? {} : { out: o.out }), ...(o.rejects === undefined ? {} : { rejects: o.rejects }), ...(o.state === undefined ? {} : { state: o.state }) },
    csvFormulas: o.csvFormulas ?? "escape",
    env: o.env,
    onRow: o.onRow,
    signal: o.signal,
    logger: o.logger,
    logLevel: o.logLevel as PushApiOptions["logLevel"],
  };
}

/** `ignore`: fields never sent; one that a `map` entry also names is a contradiction, refused. */
function ignoredOf(names: readonly string[] | undefined, mapped: Partial<Record<string, string>>): Pick<MappingOverrides, "ignore"> {
  if (names === undefined || names.length === 0) return {};
  const ignore = parseIgnoredFields(names);
  const both = ignore.find((field) => mapped[field] !== undefined);
  if (both !== undefined) throw new ConfigError(`--ignore ${both} and --map ${both}=${mapped[both] ?? ""} say opposite things`, { hint: "drop one of them" });
  return { ignore };
}

/** The event of `meeting` or `webinar`; undefined with neither (each record must then name its event: the engine checks). */
function eventOf(meeting: string | number | undefined, webinar: string | number | undefined): EventRef | undefined {
  if (meeting === undefined && webinar === undefined) return undefined;
  const kind: EventKind = meeting === undefined ? "webinar" : "meeting";
  return { kind, id: parseEventId(kind, String(meeting ?? webinar)) };
}

function inputOf(o: z.output<typeof optionsSchema>, stdinAllowed: boolean): PushInput {
  if ((o.records === undefined) === (o.file === undefined)) {
    throw new ConfigError('push(): pass exactly one of "records" (an array or iterable of objects) and "file" (a path)', { hint: "e.g. push({ meeting, records: rows }) with rows from your database" });
  }
  if (o.records !== undefined) {
    const fileOnly = (["format", "delimiter", "jsonPath", "encoding", "columns", "skipLines", "null"] as const).find((key) => o[key] !== undefined);
    if (fileOnly !== undefined) {
      throw new ConfigError(`push(): "${fileOnly}" describes a file, and the input is "records"`, { hint: `drop "${fileOnly}": records are read as they are` });
    }
    return { kind: "records", records: o.records };
  }
  const file = o.file ?? "";
  if (file === "-" && !stdinAllowed) {
    throw new ConfigError('push(): file "-": push() never reads stdin', { hint: "pass the records themselves as records, or a file path" });
  }
  const format = inputFormat(file, o.format);
  const encoding = parseEncodingName(o.encoding ?? "auto") ?? "auto";
  return { kind: "file", file, format, encoding, layout: layoutOptions(format, o) };
}

const inputFormats: readonly InputFormat[] = ["csv", "tsv", "json", "ndjson", "mysql"];

/** `--format` (any case, `jsonl` for ndjson), else the file's extension; stdin (`-`) is CSV unless told. */
export function inputFormat(file: string, flag: string | undefined): InputFormat {
  if (flag !== undefined) {
    const lower = flag.toLowerCase() === "jsonl" ? "ndjson" : flag.toLowerCase();
    if (!(inputFormats as readonly string[]).includes(lower)) {
      throw new ConfigError(`--format ${flag}: unknown format`, { hint: `use one of ${inputFormats.join(", ")}` });
    }
    return lower as InputFormat;
  }
  if (file === "-") return "csv";
  const detected = formatFromPath(file);
  if (detected === undefined) {
    throw new ConfigError(`cannot tell the format of ${file} from its extension`, {
      hint: `add --format ${inputFormats.join("|")}`,
    });
  }
  return detected;
}

/** `--occurrence`: ids of a recurring meeting's occurrences, comma-separated (or a list from code). */
export function occurrences(raw: string | readonly (string | number)[] | undefined): readonly string[] {
  if (raw === undefined) return [];
  const text = typeof raw === "string" ? raw : raw.map(String).join(",");
  const parsed = parseOccurrenceIds(text);
  if (!parsed.ok) {
    throw new ConfigError(`--occurrence ${text}: occurrence ids are digits, comma-separated`, {
      hint: "copy them from the meeting's occurrences (GET /meetings/{id}), e.g. --occurrence 1648194360000,1648367160000",
    });
  }
  return parsed.ids;
}

/** The same title given twice (case aside): the last one wins, in the later place, as --question does. */
function questionsOf(questions: Record<string, string>): MappingOverrides["questions"] {
  const byTitle = new Map<string, { title: string; column: string }>();
  for (const [title, column] of Object.entries(questions)) {
    byTitle.delete(title.toLowerCase());
    byTitle.set(title.toLowerCase(), { title, column });
  }
  return [...byTitle.values()];
}
