/**
 * One record in, one add body or the reasons it cannot be one out. The reasons are what a person
 * fixing the spreadsheet reads: the field, then the rule, one short phrase each
 * (`first_name: longer than 64 characters (71)`, `question "Role": longer than 128 characters (130)`).
 */
import type { z } from "zod";
import type { ColumnMapping } from "./mapping.js";
import { splitFullName } from "./mapping.js";
import { valueAt } from "./record-path.js";
import { registrantSchema, toText } from "./schema.js";
import type { RegistrantBody } from "./schema.js";

export type ValidationResult = { ok: true; registrant: RegistrantBody } | { ok: false; reasons: string[] };

export function validateRecord(fields: Record<string, unknown>, mapping: ColumnMapping): ValidationResult {
  const input = schemaInput(fields, mapping);
  const result = registrantSchema.safeParse(input);
  if (result.success) return { ok: true, registrant: result.data };
  return { ok: false, reasons: describeIssues(result.error.issues, input) };
}

/**
 * The record rearranged into the add body's shape, values still raw: the schema does the cleaning.
 * Mapped columns may be dotted paths into nested JSON (record-path.ts).
 */
export function schemaInput(fields: Record<string, unknown>, mapping: ColumnMapping): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(mapping.fields)) input[field] = valueAt(fields, column);
  if (mapping.fullName !== undefined) {
    const whole = toText(fields[mapping.fullName]);
    if (typeof whole === "string") Object.assign(input, splitFullName(whole));
    else input["first_name"] = whole;
  }
  const answers: unknown[] = mapping.questions.map(({ title, column }) => ({ title, value: valueAt(fields, column) }));
  if (mapping.customQuestions !== undefined) {
    const list = fields[mapping.customQuestions];
    if (Array.isArray(list)) answers.push(...(list as unknown[]));
    else if (toText(list) !== undefined) return { ...input, custom_questions: list };
  }
  if (answers.length > 0) input["custom_questions"] = answers;
  return input;
}

/** `field: rule` for each issue, in schema order, without repeating one field's same complaint. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>): string[] {
  const reasons = issues.map((issue) => `${issueLabel(issue.path, input)}: ${issue.message}`);
  return [...new Set(reasons)];
}

function issueLabel(path: readonly PropertyKey[], input: Record<string, unknown>): string {
  const [field, index, key] = path;
  if (field !== "custom_questions" || typeof index !== "number") return path.length === 0 ? "record" : String(field);
  const answer: unknown = (input["custom_questions"] as unknown[] | undefined)?.[index];
  const title = typeof answer === "object" && answer !== null ? toText((answer as { title?: unknown }).title) : undefined;
  if (key === "value" && typeof title === "string") return `question "${title}"`;
  return `custom_questions[${index + 1}]${key === undefined ? "" : `.${String(key)}`}`;
}
