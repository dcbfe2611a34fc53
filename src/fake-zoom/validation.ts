/**
 * Zoom's checks on an add-registrant body, as a pure function. Rules come from the request schemas of
 * `meetingRegistrantCreate` / `webinarRegistrantCreate` in the OpenAPI doc and docs/zoom-facts.md ("Add
 * body"): email required, an email, at most 128; first_name required, at most 64; last_name at most
 * 64; the enums; custom question values at most 128. Every broken field is named, the rule is not.
 */
import type { FieldError } from "./responses.js";
import type { EventKind, FakeRegistrationQuestions } from "./types.js";

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
  /** Meetings only (docs/zoom-facts.md): ignored on webinars, like any unknown field. */
  autoApprove: boolean;
}

export type ValidationResult = { ok: true; value: RegistrantInput } | { ok: false; errors: FieldError[] };

/** Zoom's field message: it names the field and not the rule (docs/zoom-facts.md, "Errors"). */
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

/**
 * The event's registration form against an add that passed `validateRegistrantBody` (docs/zoom-facts.md:
 * "missing required question or unknown custom question title (400 code 300 with errors[])"). A
 * required standard field must be present and not blank; every custom answer's title must be one of
 * the event's questions (exactly: Zoom matches titles as written); every required custom question
 * must be answered. Whether a `single` answer must be one of its `answers` is not documented: not checked.
 */
export function questionErrors(form: FakeRegistrationQuestions | undefined, input: RegistrantInput): FieldError[] {
  const errors: FieldError[] = [];
  const questions = form?.questions ?? [];
  const customQuestions = form?.custom_questions ?? [];
  for (const question of questions) {
    if (question.required && (input.fields[question.field_name] ?? "").trim() === "") errors.push({ field: question.field_name, message: invalidField });
  }
  const titles = new Set(customQuestions.map((question) => question.title));
  input.custom_questions.forEach((answer, index) => {
    if (!titles.has(answer.title)) errors.push({ field: `custom_questions[${index}].title`, message: invalidField });
  });
  for (const question of customQuestions) {
    if (!question.required) continue;
    const answered = input.custom_questions.some((answer) => answer.title === question.title && answer.value.trim() !== "");
    if (!answered) errors.push({ field: "custom_questions", message: invalidField });
  }
  return errors;
}

/** At most 30 people per batch add and per status change (docs/zoom-facts.md, endpoint table). */
export const maxPeoplePerCall = 30;

export interface BatchPerson {
  email: string;
  first_name: string;
  last_name?: string;
}

export interface BatchInput {
  people: BatchPerson[];
  autoApprove: boolean;
}

/**
 * `POST .../batch_registrants`: `registrants` (1 to 30) of `email`, `first_name`, `last_name` and
 * nothing else that counts ("only email, first_name, last_name per person", docs/zoom-facts.md: other keys are
 * ignored, as on the single add); `auto_approve`; `registrants_confirmation_email` on meetings.
 */
export function validateBatchBody(kind: EventKind, body: Record<string, unknown>): { ok: true; value: BatchInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string): void => {
    errors.push({ field, message: invalidField });
  };
  const people: BatchPerson[] = [];
  const { registrants } = body;
  if (!Array.isArray(registrants) || registrants.length === 0 || registrants.length > maxPeoplePerCall) {
    fail("registrants");
  } else {
    registrants.forEach((registrant: unknown, index) => {
      if (!isRecord(registrant)) {
        fail(`registrants[${index}]`);
        return;
      }
      const { email, first_name: firstName, last_name: lastName } = registrant;
      const before = errors.length;
      if (typeof email !== "string" || lengthOf(email) > maxLengths.email || !emailPattern.test(email)) fail(`registrants[${index}].email`);
      if (typeof firstName !== "string" || firstName.trim() === "" || lengthOf(firstName) > maxLengths.first_name) fail(`registrants[${index}].first_name`);
      if (lastName !== undefined && lastName !== null && (typeof lastName !== "string" || lengthOf(lastName) > maxLengths.last_name)) {
        fail(`registrants[${index}].last_name`);
      }
      if (errors.length === before && typeof email === "string" && typeof firstName === "string") {
        people.push(typeof lastName === "string" ? { email, first_name: firstName, last_name: lastName } : { email, first_name: firstName });
      }
    });
  }
  const booleans = kind === "meeting" ? ["auto_approve", "registrants_confirmation_email"] : ["auto_approve"];
  for (const name of booleans) {
    const value = body[name];
    if (value !== undefined && value !== null && typeof value !== "boolean") fail(name);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { people, autoApprove: body.auto_approve === true } };
}

export type StatusAction = "approve" | "cancel" | "deny";

export interface StatusInput {
  action: StatusAction;
  /** Each names a registrant by `id`, by `email`, or both (the id wins). */
  registrants: { id?: string; email?: string }[];
}

/** `PUT .../registrants/status`: `action` (required) and at most 30 `registrants` of `{id, email}`. */
export function validateStatusBody(body: Record<string, unknown>): { ok: true; value: StatusInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string): void => {
    errors.push({ field, message: invalidField });
  };
  const { action, registrants } = body;
  if (action !== "approve" && action !== "cancel" && action !== "deny") fail("action");
  const targets: { id?: string; email?: string }[] = [];
  // The doc writes `maximum: 30` where maxItems was meant (docs/zoom-facts.md): the limit is 30 people.
  if (registrants !== undefined && (!Array.isArray(registrants) || registrants.length > maxPeoplePerCall)) {
    fail("registrants");
  } else if (Array.isArray(registrants)) {
    registrants.forEach((registrant: unknown, index) => {
      const id = isRecord(registrant) ? registrant.id : undefined;
      const email = isRecord(registrant) ? registrant.email : undefined;
      const idOk = id === undefined || typeof id === "string";
      const emailOk = email === undefined || typeof email === "string";
      if (!isRecord(registrant) || !idOk || !emailOk || (id === undefined && email === undefined)) {
        fail(`registrants[${index}]`);
        return;
      }
      const target: { id?: string; email?: string } = {};
      if (typeof id === "string") target.id = id;
      if (typeof email === "string") target.email = email;
      targets.push(target);
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { action: action as StatusAction, registrants: targets } };
}
