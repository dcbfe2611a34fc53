/**
 * Zoom's checks on an add-registrant body, as a pure function. Rules come from the request schemas of
 * `meetingRegistrantCreate` / `webinarRegistrantCreate` in the OpenAPI doc and the facts page ("Add
 * body"): email required, an email, at most 128; first_name required, at most 64; last_name at most
 * 64; the enums; custom question values at most 128. Every broken field is named, the rule is not.
 */
import type { FieldError } from "./responses.js";
import type { EventKind } from "./types.js";

/**
 * The email rule of ajv-formats (`fast` mode), which is what the contract's `format: email` means in
 * our tests: using the same pattern keeps the fake from accepting what the contract rejects.
 */
const emailPattern =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

const maxLengths = { email: 128, first_name: 64, last_name: 64, customQuestionValue: 128 } as const;

/** Free-text fields with no rule beyond "a string". */
const plainStringFields = ["address", "city", "state", "zip", "country", "phone", "comments", "industry", "job_title", "org"] as const;

/** The add operations' enums, verbatim (the list operation spells `no_of_employees` differently). */
const enumFields: Record<string, readonly string[]> = {
  no_of_employees: ["", "1-20", "21-50", "51-100", "101-500", "500-1,000", "1,001-5,000", "5,001-10,000", "More than 10,000"],
  purchasing_time_frame: ["", "Within a month", "1-3 months", "4-6 months", "More than 6 months", "No timeframe"],
  role_in_purchase_process: ["", "Decision Maker", "Evaluator/Recommender", "Influencer", "Not involved"],
  language: ["en-US", "de-DE", "es-ES", "fr-FR", "jp-JP", "pt-PT", "ru-RU", "zh-CN", "zh-TW", "ko-KO", "it-IT", "vi-VN", "pl-PL", "Tr-TR"],
};

export interface RegistrantInput {
  email: string;
  first_name: string;
  /** Every other string field the body carried (last_name, address, ..., language, source_id). */
  fields: Record<string, string>;
  custom_questions: { title: string; value: string }[];
  /** Meetings only (facts page): ignored on webinars, like any unknown field. */
  autoApprove: boolean;
}

export type ValidationResult = { ok: true; value: RegistrantInput } | { ok: false; errors: FieldError[] };

/** Zoom's field message: it names the field and not the rule (facts page, "Errors"). */
const invalidField = "Invalid field.";

/** Length in code points, as JSON Schema's maxLength counts (and ajv with it). */
function lengthOf(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `body` is parsed JSON; a non-object is the caller's "not a JSON object" error, checked first. */
export function validateRegistrantBody(kind: EventKind, body: Record<string, unknown>): ValidationResult {
  const errors: FieldError[] = [];
  const fail = (field: string): void => {
    errors.push({ field, message: invalidField });
  };
  const fields: Record<string, string> = {};

  const { email, first_name: firstName } = body;
  if (typeof email !== "string" || lengthOf(email) > maxLengths.email || !emailPattern.test(email)) fail("email");
  if (typeof firstName !== "string" || firstName.trim() === "" || lengthOf(firstName) > maxLengths.first_name) fail("first_name");

  const lastName = body.last_name;
  if (lastName !== undefined && lastName !== null) {
    if (typeof lastName !== "string" || lengthOf(lastName) > maxLengths.last_name) fail("last_name");
    else fields.last_name = lastName;
  }

  const optionalStrings = kind === "webinar" ? [...plainStringFields, "source_id"] : plainStringFields;
  for (const name of optionalStrings) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") fail(name);
    else fields[name] = value;
  }

  for (const [name, allowed] of Object.entries(enumFields)) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || !allowed.includes(value)) fail(name);
    else fields[name] = value;
  }

  const customQuestions: { title: string; value: string }[] = [];
  const rawQuestions = body.custom_questions;
  if (rawQuestions !== undefined && rawQuestions !== null) {
    if (!Array.isArray(rawQuestions)) {
      fail("custom_questions");
    } else {
      rawQuestions.forEach((question: unknown, index) => {
        if (!isRecord(question)) {
          fail(`custom_questions[${index}]`);
          return;
        }
        const { title, value } = question;
        if (title !== undefined && typeof title !== "string") fail(`custom_questions[${index}].title`);
        if (value !== undefined && (typeof value !== "string" || lengthOf(value) > maxLengths.customQuestionValue)) {
          fail(`custom_questions[${index}].value`);
        }
        if (typeof title === "string" && (value === undefined || typeof value === "string")) {
          customQuestions.push({ title, value: value ?? "" });
        }
      });
    }
  }

  let autoApprove = false;
  if (kind === "meeting" && body.auto_approve !== undefined && body.auto_approve !== null) {
    if (typeof body.auto_approve !== "boolean") fail("auto_approve");
    else autoApprove = body.auto_approve;
  }

  if (errors.length > 0 || typeof email !== "string" || typeof firstName !== "string") return { ok: false, errors };
  return { ok: true, value: { email, first_name: firstName, fields, custom_questions: customQuestions, autoApprove } };
}

/** Parses a request body as Zoom does: a JSON object, or nothing. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(parsed) ? parsed : undefined;
}
