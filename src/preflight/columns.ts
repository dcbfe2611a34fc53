/**
 * The input's columns against the event's form, once, from the mapping of the first record (issue
 * 12). A required field or question that no column carries, or a question title the event lacks,
 * is a mistake of the whole file: every row would be refused with the same sentence, so the push
 * stops before anything is sent, with one message that names the fix. A row missing a value in a
 * column that exists stays that row's problem (form.ts's row checker).
 */
import { ConfigError } from "../errors.js";
import { fieldAliases, isQuestionColumn, normaliseColumnName, type ColumnMapping } from "../registrant/mapping.js";
import { editDistance } from "../registrant/overrides.js";
import { REGISTRANT_FIELDS, type RegistrantField } from "../registrant/schema.js";
import type { RegistrationQuestions } from "../zoom/client.js";

/** The one error that stops the push for this mapping, or undefined when the columns fit the form. */
export type ColumnChecker = (mapping: ColumnMapping) => ConfigError | undefined;

/** Below this a column is too unlike the name to be offered as the fix. */
const suggestionThreshold = 0.5;

/**
 * How alike two names are, 0 to 1, compared normalised ("T-Shirt" and "tshirt" are the same name):
 * 1 for the same name; one held in the other ("Size" in "T-shirt size") counts for at least half,
 * more the more of the longer it covers; otherwise what the edit distance leaves of the longer.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = normaliseColumnName(a);
  const y = normaliseColumnName(b);
  if (x === "" || y === "") return 0;
  if (x === y) return 1;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  // Two letters inside a long name ("id" in "paid") say nothing.
  if (shorter.length >= 3 && longer.includes(shorter)) return 0.5 + (0.5 * shorter.length) / longer.length;
  return 1 - editDistance(x, y) / longer.length;
}

/** The candidate most like any of `names` (a field and its aliases, or a title), if one is alike enough. */
export function closestColumn(names: readonly string[], candidates: readonly string[]): string | undefined {
  let best: { column: string; score: number } | undefined;
  for (const column of candidates) {
    const score = Math.max(...names.map((name) => nameSimilarity(name, column)));
    if (score >= suggestionThreshold && (best === undefined || score > best.score)) best = { column, score };
  }
  return best?.column;
}

/** Zoom's form always requires first_name (email's absence is the reader's own "no email column"). */
const alwaysRequired: readonly RegistrantField[] = ["first_name"];

/** A thing the form requires that no column carries, and the flag that would carry it. */
interface Missing {
  name: string;
  /** The flag naming `column`, or with a `<column>` placeholder. */
  flag: (column: string | undefined) => string;
  /** The names a fitting column would have. */
  like: readonly string[];
}

/**
 * A checker for one form. Pure: `checkColumns(mapping)` looks at names only, never at a row. Each
 * problem is found at once and all of them go in one message, so one run shows every fix.
 */
export function createColumnChecker(form: RegistrationQuestions): ColumnChecker {
  const requiredFields = unique([...alwaysRequired, ...form.questions.filter((question) => question.required).map((question) => question.field_name)]);
  const titles = form.custom_questions.map((question) => question.title);
  const requiredTitles = form.custom_questions.filter((question) => question.required).map((question) => question.title);

  return (mapping) => {
    const unknown = mapping.questions.filter(({ title }) => !titles.includes(title));
    // A column sent under a title the event lacks is free to be offered for the question it meant.
    const candidates = [...mapping.unmapped, ...unknown.map(({ column }) => column)];
    const missing: Missing[] = [
      ...requiredFields.filter((field) => !carriesField(mapping, field)).map((field) => fieldMissing(field)),
      // A custom_questions column may answer any question: which it answers shows only row by row.
      ...(mapping.customQuestions === undefined ? requiredTitles.filter((title) => !mapping.questions.some((question) => question.title === title)) : []).map(questionMissing),
    ];
    const problems = [...unknown.map(({ title, column }) => unknownTitle(title, column, titles)), ...(missing.length === 0 ? [] : [notCarried(missing, candidates)])];
    if (problems.length === 0) return undefined;
    return new ConfigError(problems.map((problem) => problem.message).join("; "), { hint: problems.map((problem) => problem.hint).join("; ") });
  };
}

function carriesField(mapping: ColumnMapping, field: string): boolean {
  if ((field === "first_name" || field === "last_name") && mapping.fullName !== undefined) return true;
  return (mapping.fields as Record<string, string | undefined>)[field] !== undefined;
}

function fieldMissing(field: string): Missing {
  const like = isRegistrantField(field) ? fieldAliases(field) : [field];
  return { name: field, flag: (column) => `--map ${column === undefined ? `${field}=<column>` : shellWord(`${field}=${column}`)}`, like };
}

function questionMissing(title: string): Missing {
  return { name: JSON.stringify(title), flag: (column) => `--question ${JSON.stringify(`${title}=${column ?? "<column>"}`)}`, like: [title] };
}

/** `city=Town` as is, `"city=Home town"` quoted: the flag is meant to be pasted into a shell. */
function shellWord(word: string): string {
  return /^[\w.@/=:-]+$/u.test(word) ? word : JSON.stringify(word);
}

/** `the form requires city and "T-shirt size" and no column carries them`, with a flag for each. */
function notCarried(missing: readonly Missing[], candidates: readonly string[]): { message: string; hint: string } {
  const names = missing.map((item) => item.name);
  const list = names.length === 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
  const columns = missing.map((item) => closestColumn(item.like, candidates));
  const flags = missing.map((item, index) => item.flag(columns[index]));
  const guessed = columns.every((column) => column !== undefined);
  const unmapped = candidates.length === 0 ? "every column is mapped already" : `the unmapped columns are ${listed(candidates)}`;
  return {
    message: `the form requires ${list} and no column carries ${missing.length === 1 ? "it" : "them"}`,
    hint: guessed ? `pass ${flags.join(" ")}` : `pass ${flags.join(" ")} (${unmapped}), or add the column${missing.length === 1 ? "" : "s"}`,
  };
}

/** A question title (from --question, the config or a `question:` column) that the event does not have. */
function unknownTitle(title: string, column: string, titles: readonly string[]): { message: string; hint: string } {
  const known = titles.length === 0 ? "it asks no custom questions" : `its questions are ${titles.map((name) => JSON.stringify(name)).join(", ")}`;
  const source = isQuestionColumn(column) ? `column ${JSON.stringify(column)}` : `--question ${JSON.stringify(`${title}=${column}`)}`;
  const near = closestColumn([title], titles);
  // Zoom matches titles exactly (docs/zoom-facts.md): a near miss is refused on every add.
  const hint =
    near !== undefined
      ? `did you mean --question ${JSON.stringify(`${near}=${column}`)}? Titles are matched as the event spells them`
      : titles.length === 0
        ? isQuestionColumn(column)
          ? `rename ${source}: a "question:" column is sent as the answer to a question of that title`
          : `leave out ${source} (and any "questions" entry in zoomreg.config.json for it)`
        : `answer one of the event's questions: --question "<title>=${column}"`;
  return { message: `the event has no question ${JSON.stringify(title)} (${source}); ${known}`, hint };
}

/** A wide export has dozens of columns: ten are enough to find the one meant. */
function listed(columns: readonly string[]): string {
  const shown = columns.slice(0, 10).map((column) => JSON.stringify(column)).join(", ");
  return columns.length > 10 ? `${shown} and ${columns.length - 10} more` : shown;
}

function isRegistrantField(field: string): field is RegistrantField {
  return (REGISTRANT_FIELDS as readonly string[]).includes(field);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
