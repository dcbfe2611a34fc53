/**
 * Pure encoders for the output formats. CSV follows RFC 4180 and, in the cells of free text, neutralises
 * what a spreadsheet would run as a formula (OWASP "CSV Injection": a leading =, +, -, @, tab or
 * carriage return), since the file is typically opened in Excel by whoever sends the join_urls out.
 * Identifiers are never touched: `-dash@example.com` or a registrant id starting with `-` written as
 * `'-...` is a different value for the program that loads the file.
 */

const formulaStart = /^[=+\-@\t\r]/;

/** `--csv-formulas`: `escape` guards the free-text columns (the default); `keep` writes every cell as it is. */
export type CsvFormulas = "escape" | "keep";

export const csvFormulaModes: readonly CsvFormulas[] = ["escape", "keep"];

/** One CSV cell; `guard`: prefix `'` to a string a spreadsheet would run as a formula. */
export function csvCell(value: string | number, guard = true): string {
  let text = String(value);
  if (guard && typeof value === "string" && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line; `guarded[i]` false writes the i-th cell as it is (every cell is guarded when absent). */
export function csvLine(values: readonly (string | number)[], guarded?: readonly boolean[]): string {
  return `${values.map((value, index) => csvCell(value, guarded?.[index] ?? true)).join(",")}\r\n`;
}

export type OutputFormat = "csv" | "json" | "ndjson";

export function outputFormatFromPath(path: string): OutputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return undefined;
}

/** Picks one record's values in column order, so every format writes the same fields. */
export function pick<T extends object>(row: T, columns: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column as string] = row[column];
  return out;
}
