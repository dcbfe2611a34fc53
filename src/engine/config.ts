/**
 * `zoomreg.config.json`: the settings a nightly job would otherwise pass as flags, kept in a file
 * beside the export (or named with `--config <file>`). Each key is the flag's long name in camelCase
 * (`--auto-approve` -> `autoApprove`, `--question` -> `questions`), with JSON types:
 *
 *   { "webinar": "81234567890", "out": "joinurls.csv", "concurrency": 8,
 *     "map": { "email": "Contact", "first_name": "Given Name" },
 *     "questions": { "Dietary needs": "Diet" } }
 *
 * Decisions:
 * - Strict: an unknown key is refused (one line naming the file and the key, with the closest valid
 *   one), because a misspelled `"autoAprove": true` silently ignored is worse than no file at all.
 * - Paths (`out`, `rejects`, `state`) are relative to the file, not to where cron happens to start:
 *   `--config /srv/zoom/zoomreg.config.json` finds the same files from any working directory.
 * - Precedence: a flag given on the command line wins over the file, and the file over the defaults.
 *   `map` and `questions` merge entry by entry (the command line wins per field or title), so one
 *   flag can fix one column without restating the rest.
 * - `meeting` and `webinar` count as one setting: `--webinar` on the command line replaces the file's
 *   `meeting`, rather than meeting both and failing as "exactly one".
 * - Ranges match the flags' (push-command.ts) so an out-of-range value names the file, not a flag.
 */
import { readFileSync } from "node:fs";
import { parseMaxPrune } from "../push/prune.js";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { DELIMITER_FLAG_VALUES, MAX_SKIP_LINES, parseColumns, parseDelimiterName, parseJsonPath } from "../input/index.js";
import type { EventColumn, RegistrantField } from "../registrant/index.js";
import { editDistance, mapKeyChoices, mapKeyTarget } from "../registrant/overrides.js";
import { logLevels } from "./logging.js";

export const configFileName = "zoomreg.config.json";

const eventIdError = "expected the event's id, digits (as a string or a number)";
const eventId = z
  .union([z.string().regex(/^[\d\s-]+$/, { error: eventIdError }), z.number().int({ error: eventIdError }).positive({ error: eventIdError })], { error: eventIdError })
  .transform(String);

export const path = z.string({ error: "expected a file path (a string)" }).min(1, { error: "expected a file path, not an empty string" });
const column = z.string({ error: "expected a column name (a string)" }).min(1, { error: "expected a column name, not an empty string" });

function wholeNumber(min: number, max: number) {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

function positiveNumber(max: number) {
  const error = `expected a number above 0 and at most ${max}`;
  return z.number({ error }).positive({ error }).max(max, { error });
}

function choice<const Choice extends string>(choices: readonly [Choice, ...Choice[]]) {
  return z.enum(choices, { error: `expected one of ${choices.map((value) => JSON.stringify(value)).join(", ")}` });
}

export const booleanFlag = z.boolean({ error: "expected true or false" });

const delimiterError = `expected one of ${DELIMITER_FLAG_VALUES.map((value) => JSON.stringify(value)).join(", ")}`;
const jsonPathError = 'expected keys joined by dots, such as "data" or "result.rows"';
const columnsError = 'expected column names: a list such as ["email", "first_name"] or one comma-separated string, none empty';
const columns = z
  .union([z.string({ error: columnsError }), z.array(z.string({ error: columnsError }), { error: columnsError })], { error: columnsError })
  .refine((value) => parseColumns(value) !== undefined, { error: columnsError })
  .transform((value) => parseColumns(value) ?? []);

/** Zoom field names as written in the file, checked and spelled as Zoom does. */
const fieldMap = z.record(z.string(), column).transform((entries, context) => {
  const fields: Partial<Record<RegistrantField | "status" | EventColumn, string>> = {};
  for (const [name, value] of Object.entries(entries)) {
    const target = mapKeyTarget(name);
    if (target === undefined) {
      context.addIssue({
        code: "custom",
        path: [name],
        message: `not a field of Zoom's registrant: use one of ${mapKeyChoices} (each row's event; custom questions go in "questions")`,
      });
      return z.NEVER;
    }
    fields[target.to === "status" ? "status" : target.to === "event" ? target.column : target.field] = value;
  }
  return fields;
});

const occurrenceError = 'expected occurrence ids: a list such as ["1648194360000", "1648367160000"] or one comma-separated string';
const occurrenceId = z.union([z.string().regex(/^\d+$/, { error: occurrenceError }), z.number().int({ error: occurrenceError }).nonnegative({ error: occurrenceError })], { error: occurrenceError });
const occurrenceIds = z
  .union([z.string().regex(/^[\d\s,]+$/, { error: occurrenceError }), z.array(occurrenceId, { error: occurrenceError })], { error: occurrenceError })
  .transform((value) => (typeof value === "string" ? value : value.map(String).join(",")));

/** The settings, each key a flag in camelCase; push() from code takes the same (src/api/options.ts). */
export const configObject = z.strictObject({
  /** Editors use it to find a JSON schema; zoomreg ignores it. */
  $schema: z.string().optional(),
  meeting: eventId.optional(),
  webinar: eventId.optional(),
  /** With an event column: rows that name no event go to "meeting" or "webinar" (issue 20). */
  defaultEvent: booleanFlag.optional(),
  out: path.optional(),
  rejects: path.optional(),
  state: path.optional(),
  format: choice(["csv", "tsv", "json", "ndjson", "jsonl", "mysql"]).optional(),
  delimiter: z.string({ error: delimiterError }).refine((value) => parseDelimiterName(value) !== undefined, { error: delimiterError }).optional(),
  jsonPath: z.string({ error: jsonPathError }).refine((value) => parseJsonPath(value) !== undefined, { error: jsonPathError }).optional(),
  /** The file has no header row: its columns in order (issue 18). */
  columns: columns.optional(),
  skipLines: wholeNumber(0, MAX_SKIP_LINES).optional(),
  /** A cell reading exactly this is empty: `"NULL"`. */
  null: z.string({ error: "expected the text that stands for no value, such as \"NULL\"" }).optional(),
  map: fieldMap.optional(),
  questions: z.record(z.string().min(1, { error: "a question title cannot be empty" }), column).optional(),
  concurrency: wholeNumber(1, 256).optional(),
  plan: choice(["pro", "business"]).optional(),
  rate: positiveNumber(10_000).optional(),
  batch: choice(["auto", "always", "never"]).optional(),
  autoApprove: booleanFlag.optional(),
  occurrence: occurrenceIds.optional(),
  confirmationEmail: booleanFlag.optional(),
  reconcile: booleanFlag.optional(),
  preflight: booleanFlag.optional(),
  /** Cancel zoomreg's own registrants the input no longer has (issue 13). */
  prune: booleanFlag.optional(),
  /** False (`--no-status`): no column is read as the desired state (issue 17). */
  status: booleanFlag.optional(),
  /** Zoom fields never sent (`--ignore org`): a column that forces single adds, left out (issue 18). */
  ignore: z.array(z.string({ error: "expected a list of Zoom field names" }), { error: 'expected a list of Zoom field names, e.g. ["org"]' }).optional(),
  /** The most a prune may cancel: a count (25) or a share of zoomreg's registrants ("10%"). */
  maxPrune: z.union([z.number(), z.string()]).transform((value, context) => {
    try {
      return parseMaxPrune(String(value));
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }).optional(),
  logLevel: choice(logLevels as readonly [string, ...string[]]).optional(),
  /** CSV outputs: guard the free-text cells against formulas (`escape`), or write every cell as it is (`keep`). */
  csvFormulas: choice(["escape", "keep"]).optional(),
  /** Seconds, like `--timeout`. */
  timeout: positiveNumber(600).optional(),
});

const configSchema = configObject.refine((config) => config.meeting === undefined || config.webinar === undefined, {
  error: 'both "meeting" and "webinar" are set: keep the one this job registers people for',
});

export type Config = z.output<typeof configSchema>;

/** The keys a config file may hold, for messages. */
export const configKeys: readonly string[] = Object.keys(configObject.shape).filter((key) => key !== "$schema");

/**
 * The file named by `--config` (relative to `cwd`), else `zoomreg.config.json` in `cwd` when there
 * is one, else undefined. Paths inside are returned absolute, resolved against the file's folder.
 */
export function loadConfig(configPath: string | undefined, cwd: string): Config | undefined {
  const file = resolve(cwd, configPath ?? configFileName);
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (configPath === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`${shown}: cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: configPath === undefined ? `fix or remove ${configFileName}` : "check the path given to --config",
    });
  }
  return parseConfig(text, shown, dirname(file));
}

/** The file's text checked against the schema; `baseDir` is the folder its paths are relative to. */
export function parseConfig(text: string, shownName: string, baseDir: string): Config {
  let json: unknown;
  try {
    // A BOM from a Windows editor is not a reason to refuse the file.
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`${shownName}: not valid JSON: ${(error as Error).message}`, { hint: "fix the file (a JSON object of settings, see the README)" });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ConfigError(`${shownName}: expected a JSON object of settings`, { hint: `e.g. {"meeting": "85746065", "out": "joinurls.csv"}` });
  }
  const result = configSchema.safeParse(json);
  if (!result.success) throw configIssueError(shownName, result.error.issues[0]);
  const config = result.data;
  for (const key of ["out", "rejects", "state"] as const) {
    const value = config[key];
    if (value !== undefined) config[key] = resolve(baseDir, value);
  }
  return config;
}

/** One line for the first problem found: `<shownName>: <key>: <what was expected>`; `keys`: the valid ones, for "did you mean". */
export function configIssueError(shownName: string, issue: z.core.$ZodIssue | undefined, keys: readonly string[] = configKeys): ConfigError {
  if (issue === undefined) return new ConfigError(`${shownName}: invalid settings`);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const where = issue.path.length === 0 ? "" : ` in ${issue.path.join(".")}`;
    const suggestion = closestKey(key, keys);
    return new ConfigError(`${shownName}: unknown key ${JSON.stringify(key)}${where}`, {
      hint: `${suggestion === undefined ? "" : `did you mean "${suggestion}"? `}the keys are ${keys.join(", ")}`,
    });
  }
  const where = issue.path.length === 0 ? "" : `${issue.path.map(String).join(".")}: `;
  return new ConfigError(`${shownName}: ${where}${issue.message}`);
}

/** The valid key spelled alike but for case, `-`/`_`, or one or two typed characters. */
function closestKey(key: string, keys: readonly string[]): string | undefined {
  const loose = (name: string): string => name.toLowerCase().replace(/[-_\s]/g, "");
  return keys.find((candidate) => loose(candidate) === loose(key)) ?? keys.find((candidate) => editDistance(loose(candidate), loose(key)) <= 2);
}

function displayPath(file: string, cwd: string): string {
  const inside = relative(cwd, file);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside) ? inside : file;
}
