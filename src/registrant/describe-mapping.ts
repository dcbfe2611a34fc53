/**
 * The mapping in words, for the start of `push --dry-run`: which column fills which field, which
 * answers which question, and what is left over. A misspelled header shows up here, before a single
 * row is judged.
 *
 *   email       <- "E-mail"
 *   first_name  <- "Given Name"
 *   question "Dietary needs" <- "Diet"
 *   unmapped: "Notes", "Internal ID"
 *   visible to the host in Zoom: email, first_name, question "Dietary needs" (from column "Diet")
 *
 * The last line names what the host will read in Zoom's registrant list (every field sent is shown
 * there), with the column each came from when its name is not the field's, so an internal remark
 * on its way to `comments` is seen before it is sent (issue 12).
 */
import { isQuestionColumn, normaliseColumnName, type ColumnMapping } from "./mapping.js";
import { REGISTRANT_FIELDS } from "./schema.js";

/** Zoom refuses an add without these (docs/zoom-facts.md, "Add body"): a missing one is shown, not skipped. */
const REQUIRED_FIELDS = ["email", "first_name"] as const;

export function describeMapping(mapping: ColumnMapping): string[] {
  const quote = (column: string): string => JSON.stringify(column);
  const rows: [label: string, source: string][] = [];
  for (const field of REGISTRANT_FIELDS) {
    const column = mapping.fields[field];
    if (column !== undefined) rows.push([field, quote(column)]);
    else if (field === "first_name" && mapping.fullName !== undefined) rows.push([field, `${quote(mapping.fullName)} (all but the last word)`]);
    else if (field === "last_name" && mapping.fullName !== undefined) rows.push([field, `${quote(mapping.fullName)} (the last word)`]);
    else if ((REQUIRED_FIELDS as readonly string[]).includes(field)) rows.push([field, `nothing: required, add --map ${field}=<column>`]);
  }
  if (mapping.customQuestions !== undefined) rows.push(["custom_questions", `${quote(mapping.customQuestions)} (a list of {title, value})`]);
  if (mapping.status !== undefined) rows.push(["status", `${quote(mapping.status)} (what the person should be: not sent to Zoom)`]);
  if (mapping.event?.meeting !== undefined) rows.push(["meeting", `${quote(mapping.event.meeting)} (the row's meeting: not sent to Zoom)`]);
  if (mapping.event?.webinar !== undefined) rows.push(["webinar", `${quote(mapping.event.webinar)} (the row's webinar: not sent to Zoom)`]);
  if (mapping.event?.occurrences !== undefined) rows.push(["occurrence_ids", `${quote(mapping.event.occurrences)} (the occurrences the row picks)`]);

  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, source]) => `${label.padEnd(width)}<- ${source}`);
  for (const { title, column } of mapping.questions) lines.push(`question ${quote(title)} <- ${quote(column)}`);
  if (mapping.unmapped.length > 0) lines.push(`unmapped: ${mapping.unmapped.map(quote).join(", ")}`);
  const visible = hostVisible(mapping);
  lines.push(`visible to the host in Zoom: ${visible.length === 0 ? "nothing" : visible.join(", ")}`);
  return lines;
}

/** `comments (from column "Notes")`: each field and question sent, in the order of the lines above. */
export function hostVisible(mapping: ColumnMapping): string[] {
  const shown: string[] = [];
  for (const field of REGISTRANT_FIELDS) {
    const column = mapping.fields[field] ?? (field === "first_name" || field === "last_name" ? mapping.fullName : undefined);
    if (column !== undefined) shown.push(withSource(field, namedFor(column, field), column));
  }
  if (mapping.customQuestions !== undefined) shown.push(withSource("custom_questions", true, mapping.customQuestions));
  for (const { title, column } of mapping.questions) {
    // `question: Diet` answering "Diet" is named for its question: nothing to point out.
    const named = namedFor(column, title) || (isQuestionColumn(column) && namedFor(column.slice(column.indexOf(":") + 1), title));
    shown.push(withSource(`question ${JSON.stringify(title)}`, named, column));
  }
  return shown;
}

function namedFor(column: string, name: string): boolean {
  return normaliseColumnName(column) === normaliseColumnName(name);
}

function withSource(label: string, named: boolean, column: string): string {
  return named ? label : `${label} (from column ${JSON.stringify(column)})`;
}
