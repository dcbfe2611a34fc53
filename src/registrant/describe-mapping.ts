/**
 * The mapping in words, for the start of `push --dry-run`: which column fills which field, which
 * answers which question, and what is left over. A misspelled header shows up here, before a single
 * row is judged.
 *
 *   email       <- "E-mail"
 *   first_name  <- "Given Name"
 *   question "Dietary needs" <- "Diet"
 *   unmapped: "Notes", "Internal ID"
 */
import type { ColumnMapping } from "./mapping.js";
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

  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, source]) => `${label.padEnd(width)}<- ${source}`);
  for (const { title, column } of mapping.questions) lines.push(`question ${quote(title)} <- ${quote(column)}`);
  if (mapping.unmapped.length > 0) lines.push(`unmapped: ${mapping.unmapped.map(quote).join(", ")}`);
  return lines;
}
