/**
 * The event's registration form (`GET .../registrants/questions`) against the rows: what the input
 * must carry, and why one row would be refused. Zoom answers a required standard field left out, a
 * required custom question unanswered or a custom question title the event lacks with 400 code 300
 * (docs/zoom-facts.md, "Errors"), and the host's own email with code 3027; each refused add may still spend
 * one of the person's 3 adds a day, so such rows are marked `invalid` before anything is sent.
 */
import { normaliseColumnName } from "../registrant/mapping.js";
import { formatChoices } from "../registrant/schema.js";
import type { RegistrantBody } from "../registrant/schema.js";
import type { RegistrationQuestions } from "../zoom/client.js";

/**
 * Custom question types with one answer from a list: `single` on meetings; `single_radio` and
 * `single_dropdown` on webinars (the questions schemas' `type` enums). `multiple` is left unchecked:
 * how several answers are written in one `value` is not documented.
 */
const singleChoiceTypes: ReadonlySet<string> = new Set(["single", "single_radio", "single_dropdown"]);

/** Zoom always requires these, whatever the form says (OpenAPI doc, add body: `required: [email, first_name]`). */
const alwaysRequired = ["email", "first_name"] as const;

/** One column of the input, named as zoomreg reads it (`city`, `question: Dietary needs`). */
export interface InputColumn {
  column: string;
  /** For single-choice questions: the answers Zoom offers, one of which the cell must hold. */
  answers?: readonly string[];
}

/** What the input must carry for this event, and what it may. */
export interface InputNeeds {
  required: InputColumn[];
  optional: InputColumn[];
}

/** The column that answers a custom question: the prefix zoomreg's mapping recognises. */
export function questionColumn(title: string): string {
  return `question: ${title}`;
}

export function isSingleChoice(question: RegistrationQuestions["custom_questions"][number]): boolean {
  return singleChoiceTypes.has(question.type) && question.answers.length > 0;
}

/** The columns zoomreg accepts for this form: email and first_name always, then the form's fields and questions. */
export function inputNeeds(form: RegistrationQuestions): InputNeeds {
  const required: InputColumn[] = alwaysRequired.map((column) => ({ column }));
  const optional: InputColumn[] = [];
  const listed = new Set<string>(alwaysRequired);
  for (const question of form.questions) {
    if (listed.has(question.field_name)) continue;
    listed.add(question.field_name);
    (question.required ? required : optional).push({ column: question.field_name });
  }
  // last_name is on every Zoom form; listed as optional when the form does not require it.
  if (!listed.has("last_name")) optional.unshift({ column: "last_name" });
  for (const question of form.custom_questions) {
    const column: InputColumn = isSingleChoice(question) ? { column: questionColumn(question.title), answers: question.answers } : { column: questionColumn(question.title) };
    (question.required ? required : optional).push(column);
  }
  return { required, optional };
}

/** `city, question: Size (one of S, M, L)`: a list of columns as one line. */
export function describeColumns(columns: readonly InputColumn[]): string {
  return columns.map(({ column, answers }) => (answers === undefined ? column : `${column} (one of ${formatChoices(answers)})`)).join(", ");
}

export type RowChecker = (body: RegistrantBody) => string[];

/**
 * A checker for one event: the reasons Zoom would refuse this row, one short phrase each, in the
 * style of the schema's (`field: rule`, `question "Title": rule`), or none. Pure and cheap: the form
 * is indexed once, each row costs a few lookups.
 */
export function createRowChecker(form: RegistrationQuestions, event: { hostEmail: string | undefined }): RowChecker {
  const requiredFields = form.questions.filter((question) => question.required).map((question) => question.field_name);
  const byTitle = new Map(form.custom_questions.map((question) => [question.title, question]));
  const byNormalisedTitle = new Map(form.custom_questions.map((question) => [normaliseColumnName(question.title), question.title]));
  const requiredQuestions = form.custom_questions.filter((question) => question.required).map((question) => question.title);
  const hostKey = event.hostEmail?.trim().toLowerCase();
  const allTitles = form.custom_questions.map((question) => JSON.stringify(question.title)).join(", ");

  return (body) => {
    const reasons: string[] = [];
    // The host's own address: Zoom answers 3027 "Host cannot register" (webinar add doc).
    if (hostKey !== undefined && hostKey !== "" && body.email.trim().toLowerCase() === hostKey) {
      reasons.push("email: the event's host cannot register for their own event (Zoom code 3027)");
    }
    const fields = body as unknown as Record<string, unknown>;
    for (const field of requiredFields) {
      if (isBlank(fields[field])) reasons.push(`${field}: missing; the event's registration form requires it`);
    }
    const answers = body.custom_questions ?? [];
    const answered = new Set<string>();
    for (const answer of answers) {
      const question = byTitle.get(answer.title);
      if (question === undefined) {
        // Zoom matches titles exactly (docs/zoom-facts.md: "title must match the event's question").
        const near = byNormalisedTitle.get(normaliseColumnName(answer.title));
        const known = form.custom_questions.length === 0 ? "the event asks no custom questions" : `its questions are ${allTitles}`;
        reasons.push(`question ${JSON.stringify(answer.title)}: the event has no such question; ${near === undefined ? known : `did you mean ${JSON.stringify(near)}?`}`);
        continue;
      }
      if (isBlank(answer.value)) continue;
      answered.add(answer.title);
      if (isSingleChoice(question) && !question.answers.includes(answer.value.trim())) {
        const near = question.answers.find((choice) => choice.trim().toLowerCase() === answer.value.trim().toLowerCase());
        const suggestion = near === undefined ? "" : ` (write it ${JSON.stringify(near)})`;
        reasons.push(`question ${JSON.stringify(answer.title)}: ${JSON.stringify(answer.value)} is not one of its answers: ${formatChoices(question.answers)}${suggestion}`);
      }
    }
    for (const title of requiredQuestions) {
      if (!answered.has(title)) reasons.push(`question ${JSON.stringify(title)}: missing; the event requires an answer (column "${questionColumn(title)}")`);
    }
    return reasons;
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}
