/**
 * The body of Zoom's "add a registrant" call (`POST /meetings/{meetingId}/registrants` and
 * `/webinars/{webinarId}/registrants`), as one zod schema. Limits and spellings come from Zoom's
 * OpenAPI document (its extract in contract/zoom-openapi-extract.json) and docs/zoom-facts.md
 * ("Add body"). Checking them here rejects a bad row before it is
 * sent: a request Zoom refuses may still spend one of the registrant's 3 adds a day.
 *
 * `auto_approve` and `source_id` are the caller's, not a row's, and are not part of this schema.
 */
import { domainToASCII } from "node:url";
import { z } from "zod";

export const EMAIL_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 64;
export const QUESTION_VALUE_MAX_LENGTH = 128;

/** Zoom's own spellings (`jp-JP`, `ko-KO`, `Tr-TR` are not BCP 47, but they are what Zoom accepts). */
export const LANGUAGES = ["en-US", "de-DE", "es-ES", "fr-FR", "jp-JP", "pt-PT", "ru-RU", "zh-CN", "zh-TW", "ko-KO", "it-IT", "vi-VN", "pl-PL", "Tr-TR"] as const;
/** The add body's spellings. Zoom's read side lists 101-250/251-500/501-1,000 instead (docs/zoom-facts.md). */
export const NO_OF_EMPLOYEES = ["1-20", "21-50", "51-100", "101-500", "500-1,000", "1,001-5,000", "5,001-10,000", "More than 10,000"] as const;
export const PURCHASING_TIME_FRAMES = ["Within a month", "1-3 months", "4-6 months", "More than 6 months", "No timeframe"] as const;
export const ROLES_IN_PURCHASE_PROCESS = ["Decision Maker", "Evaluator/Recommender", "Influencer", "Not involved"] as const;

export type Language = (typeof LANGUAGES)[number];
export type NoOfEmployees = (typeof NO_OF_EMPLOYEES)[number];
export type PurchasingTimeFrame = (typeof PURCHASING_TIME_FRAMES)[number];
export type RoleInPurchaseProcess = (typeof ROLES_IN_PURCHASE_PROCESS)[number];

export interface CustomQuestionAnswer {
  /** Must match the event's question title (Zoom's `GET .../registrants/questions`). */
  title: string;
  value: string;
}

export interface RegistrantBody {
  email: string;
  first_name: string;
  last_name?: string;
  address?: string;
  city?: string;
  state?: string;
  zip?: string;
  /** Two-letter country code, upper case. */
  country?: string;
  phone?: string;
  comments?: string;
  industry?: string;
  job_title?: string;
  org?: string;
  no_of_employees?: NoOfEmployees;
  purchasing_time_frame?: PurchasingTimeFrame;
  role_in_purchase_process?: RoleInPurchaseProcess;
  language?: Language;
  custom_questions?: CustomQuestionAnswer[];
}

/** Every field a single column can fill. */
export type RegistrantField = Exclude<keyof RegistrantBody, "custom_questions">;

export const REGISTRANT_FIELDS = [
  "email",
  "first_name",
  "last_name",
  "address",
  "city",
  "state",
  "zip",
  "country",
  "phone",
  "comments",
  "industry",
  "job_title",
  "org",
  "no_of_employees",
  "purchasing_time_frame",
  "role_in_purchase_process",
  "language",
] as const satisfies readonly RegistrantField[];

/**
 * A cell as text. Spreadsheets and JSON exports type values freely (a zip code as a number, a flag as
 * a boolean), so numbers and booleans become their usual text; null, undefined and blank text mean
 * "no value" (an optional field is then left out rather than sent empty); text is trimmed. Anything
 * else (an object, an array) is passed on for the schema to reject as "not a text value".
 */
export function toText(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return value;
}

/** The key that matches a choice however it is written: case, spaces, commas and `_` versus `-` do not count. */
function choiceKey(value: string): string {
  return value.toLowerCase().replace(/[\s,]+/g, "").replaceAll("_", "-");
}

/**
 * Maps what people write to Zoom's exact spelling. Unknown text is passed on unchanged so that the
 * enum rejects it with the list of choices.
 */
function canonicalChoice(choices: readonly string[], aliases: Readonly<Record<string, string>> = {}): (value: unknown) => unknown {
  const byKey = new Map<string, string>(choices.map((choice) => [choiceKey(choice), choice]));
  for (const [alias, choice] of Object.entries(aliases)) byKey.set(choiceKey(alias), choice);
  return (value) => {
    const text = toText(value);
    return typeof text === "string" ? (byKey.get(choiceKey(text)) ?? text) : text;
  };
}

/**
 * Spellings accepted besides Zoom's. Languages: the standard tags for Zoom's two odd ones. Employees:
 * the read side's brackets (docs/zoom-facts.md: a value read from Zoom cannot be sent back as is), mapped to
 * the add bracket that contains them.
 */
const LANGUAGE_ALIASES: Readonly<Record<string, Language>> = { "ja-JP": "jp-JP", "ko-KR": "ko-KO" };
const EMPLOYEE_ALIASES: Readonly<Record<string, NoOfEmployees>> = { "101-250": "101-500", "251-500": "101-500", "501-1,000": "500-1,000" };

/** "a, b" for plain choices; choices holding a comma or a space are quoted so the list stays readable. */
export function formatChoices(choices: readonly unknown[]): string {
  return choices.map((choice) => (typeof choice === "string" && /[\s,]/.test(choice) ? `"${choice}"` : String(choice))).join(", ");
}

const textError = (issue: { input: unknown }): string => (issue.input === undefined ? "missing" : "not a text value");
const lengthError = (issue: { input: unknown; maximum?: unknown }): string =>
  `longer than ${String(issue.maximum)} characters (${typeof issue.input === "string" ? issue.input.length : "?"})`;
const choiceError = (issue: { values?: readonly unknown[] }): string => `must be one of ${formatChoices(issue.values ?? [])}`;

function text(maxLength?: number) {
  const value = z.string({ error: textError });
  return maxLength === undefined ? value : value.max(maxLength, { error: lengthError });
}

function requiredText(maxLength?: number) {
  return z.preprocess(toText, text(maxLength));
}

function optionalText(maxLength?: number) {
  return z.preprocess(toText, text(maxLength).optional());
}

function optionalChoice<const Choice extends string>(choices: readonly [Choice, ...Choice[]], aliases?: Readonly<Record<string, Choice>>) {
  return z.preprocess(canonicalChoice(choices, aliases), z.enum(choices, { error: (issue) => (issue.code === "invalid_value" ? choiceError(issue) : textError(issue)) }).optional());
}

/**
 * Zod's default email pattern: ASCII local part with `+`, `'`, `.` (no leading, trailing or double
 * dot), dotted domain with a 2+ letter TLD, IDN domains only in punycode (`xn--`). Addresses with
 * non-ASCII characters are rejected: Zoom's document types the field `format: email`, which JSON
 * Schema defines as RFC 5321's ASCII mailbox (`idn-email` is the non-ASCII one), and a rejected row
 * costs less than a failed add. The message names the cause and the fix (`emailProblem`).
 */
const email = z.preprocess(
  toText,
  z
    .string({ error: textError })
    .max(EMAIL_MAX_LENGTH, { error: lengthError })
    .pipe(z.email({ error: (issue) => emailProblem(issue.input) })),
);

/** How much of a bad address a message quotes: enough to find it in the file. */
const SHOWN_EMAIL_CHARS = 60;

const shown = (value: string): string => (value.length > SHOWN_EMAIL_CHARS ? `${value.slice(0, SHOWN_EMAIL_CHARS - 1)}…` : value);

/** Zero-width and soft-hyphen characters: invisible in a spreadsheet, pasted in from web pages and documents. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/;
const NON_ASCII = /\P{ASCII}/u;
/** `ann(at)example.com`, `ann [at] example.com`: spelled out against address harvesters. */
const AT_WORD = /[([{]\s*at\s*[)\]}]/i;

/**
 * Why a value that is not an address is not one, with the fix, for what exports and people really
 * hold: a mail client's `Ann <ann@x.org>`, a `mailto:` link, two people in one cell, a pasted space
 * or invisible character, an accent, `(at)`. Nothing is repaired silently: the row is rejected and the
 * message says what to change. The first cause that fits is named; the rest is zod's verdict.
 */
export function emailProblem(input: unknown): string {
  if (typeof input !== "string") return "not a valid email address";
  const value = input.trim();
  const quoted = `(${shown(value)})`;
  const angle = /^(.*?)<\s*([^<>\s]+@[^<>\s]+)\s*>$/.exec(value);
  if (angle !== null) {
    return angle[1]?.trim() === "" ? `angle brackets around the address ${quoted}: remove them` : `a display name and an address ${quoted}: keep only the address`;
  }
  if (/^mailto:/i.test(value)) return `starts with "mailto:" ${quoted}: remove "mailto:"`;
  if (/^(["']).*\1$/.test(value)) return `quotes around the address ${quoted}: remove them`;
  if (/[^\s,;]@[^\s,;]+[\s,;]+[^\s,;]+@[^\s,;]/.test(value)) return `two addresses in one cell ${quoted}: keep one (one person per row)`;
  if (!value.includes("@") && AT_WORD.test(value)) return `"(at)" in place of "@" ${quoted}: write "@"`;
  const invisible = INVISIBLE.exec(value);
  if (invisible !== null) return `an invisible character (${codePoint(invisible[0])}) inside ${quoted}: retype the address`;
  if (/\s/.test(value)) return `a space inside ${quoted}: remove it`;
  if (NON_ASCII.test(value)) return nonAsciiProblem(value, quoted);
  return atSignProblem(value, quoted) ?? "not a valid email address";
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** An accented domain has an ASCII spelling (punycode) that reaches the same mailbox; an accented name before the @ has none. */
function nonAsciiProblem(value: string, quoted: string): string {
  const at = value.lastIndexOf("@");
  const local = at === -1 ? value : value.slice(0, at);
  const domain = at === -1 ? "" : value.slice(at + 1);
  const characters = [...new Set([...value].filter((char) => NON_ASCII.test(char)))].slice(0, 3).join("");
  if (!NON_ASCII.test(local) && domain !== "") {
    const ascii = domainToASCII(domain);
    if (ascii !== "") return `non-ASCII characters ("${characters}") in the domain ${quoted}: write it as ${local}@${ascii}`;
  }
  return `non-ASCII characters ("${characters}") ${quoted}: Zoom takes ASCII addresses only; check the address`;
}

function atSignProblem(value: string, quoted: string): string | undefined {
  const ats = value.split("@").length - 1;
  if (ats === 0) return `no "@" ${quoted}: check the address`;
  if (ats > 1) return `${ats} "@" signs ${quoted}: an address has one`;
  const [local = "", domain = ""] = value.split("@");
  if (local === "") return `nothing before the "@" ${quoted}: check the address`;
  if (domain === "") return `nothing after the "@" ${quoted}: check the address`;
  if (!domain.includes(".")) return `the domain has no dot ${quoted}: check the address (e.g. example.com)`;
  return undefined;
}

/**
 * Zoom documents `country` as a two-letter code and links its abbreviation list; a full name
 * ("Germany") would be a guess to translate, so it is rejected with that rule rather than sent.
 */
const country = z.preprocess(
  (value) => {
    const text = toText(value);
    return typeof text === "string" ? text.toUpperCase() : text;
  },
  z
    .string({ error: textError })
    .regex(/^[A-Z]{2}$/, { error: "must be a two-letter country code such as US" })
    .optional(),
);

const customQuestion = z.object(
  {
    title: requiredText(),
    value: optionalText(QUESTION_VALUE_MAX_LENGTH),
  },
  { error: "not a {title, value} object" },
);

/** An answer left blank is left out: Zoom then treats the question as unanswered. */
const customQuestions = z
  .array(customQuestion, { error: "not a list of {title, value} objects" })
  .optional()
  .transform((answers) => {
    const answered = (answers ?? []).filter((answer): answer is CustomQuestionAnswer => answer.value !== undefined);
    return answered.length === 0 ? undefined : answered;
  });

const registrantObject = z.object({
  email,
  first_name: requiredText(NAME_MAX_LENGTH),
  last_name: optionalText(NAME_MAX_LENGTH),
  address: optionalText(),
  city: optionalText(),
  state: optionalText(),
  zip: optionalText(),
  country,
  phone: optionalText(),
  comments: optionalText(),
  industry: optionalText(),
  job_title: optionalText(),
  org: optionalText(),
  no_of_employees: optionalChoice(NO_OF_EMPLOYEES, EMPLOYEE_ALIASES),
  purchasing_time_frame: optionalChoice(PURCHASING_TIME_FRAMES),
  role_in_purchase_process: optionalChoice(ROLES_IN_PURCHASE_PROCESS),
  language: optionalChoice(LANGUAGES, LANGUAGE_ALIASES),
  custom_questions: z.preprocess((value) => (toText(value) === undefined ? undefined : value), customQuestions),
});

/**
 * One registrant's add body from loosely typed values: trimmed, optional blanks left out, choices in
 * Zoom's spelling, unknown keys dropped. Issue messages are short phrases ("missing", "longer than 64
 * characters (71)") that `describeIssues` prefixes with the field.
 */
export const registrantSchema: z.ZodType<RegistrantBody> = registrantObject.transform((parsed) => {
  // Absent, not `undefined`: under exactOptionalPropertyTypes (and in the JSON sent) an optional
  // field is either there with a value or not there at all.
  const entries = Object.entries(parsed).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as unknown as RegistrantBody;
});
