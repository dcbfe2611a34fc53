/**
 * Pure encoders for the output formats. CSV follows RFC 4180 and neutralises cells a spreadsheet
 * would run as a formula (OWASP "CSV Injection": a leading =, +, -, @, tab or carriage return), since
 * the file is typically opened in Excel by whoever sends the join_urls out.
 */

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
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
