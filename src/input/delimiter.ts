/**
 * Which character separates the cells of a CSV: `,` in most of the world, `;` where Excel's list
 * separator is `;` (much of Europe, where `,` is the decimal mark), tab from "Text (Tab delimited)",
 * `|` from database dumps. Decided from the header line alone, which names the columns and so holds
 * one separator fewer than it has columns; rows are not consulted, since their free text (comments,
 * addresses) holds commas and semicolons of its own. Pure functions, so every rule is a table row.
 */

export type Delimiter = "," | ";" | "\t" | "|";

/** In tie-break order after the format's own default. */
export const DELIMITERS: readonly Delimiter[] = [",", ";", "\t", "|"];

/** The values `--delimiter` documents. */
export const DELIMITER_FLAG_VALUES = [",", ";", "|", "tab", "\\t"] as const;

// A Map, not an object literal: `--delimiter constructor` must not find Object.prototype.constructor.
const DELIMITER_BY_NAME: ReadonlyMap<string, Delimiter> = new Map([
  [",", ","],
  [";", ";"],
  ["|", "|"],
  ["tab", "\t"],
  ["\\t", "\t"],
  // A real tab, as `--delimiter "$(printf '\t')"` passes it.
  ["\t", "\t"],
]);

/** `--delimiter` value to a delimiter (`tab` case-insensitively); undefined when it is not one zoomreg reads. */
export function parseDelimiterName(name: string): Delimiter | undefined {
  return DELIMITER_BY_NAME.get(name === "\t" ? name : name.trim().toLowerCase());
}

/** How a delimiter was chosen, for `--dry-run`. */
export type DelimiterBasis = "header" | "--delimiter" | "one column";

export interface DelimiterChoice {
  delimiter: Delimiter;
  basis: DelimiterBasis;
}

export interface HeaderScan {
  /** The header line ended (at an unquoted line break) within the text scanned. */
  ended: boolean;
  /** Where the next line starts, once `ended` (after its CRLF, LF or CR). */
  next?: number;
  /** Each candidate's count outside quotes. */
  counts: Record<Delimiter, number>;
}

const isDelimiter = (char: string): char is Delimiter => char === "," || char === ";" || char === "\t" || char === "|";

/**
 * Counts the candidates on the first line, outside quotes: `"Last, First";Email` has one `;` and no
 * `,`. As csv-parse does, a quote opens a quoted cell only at the cell's start (so a stray quote
 * inside a name stays text), `""` inside one is a quote, and a line break inside one does not end the
 * line. The cell's start is after any candidate, since the delimiter is not known yet.
 */
export function scanHeader(text: string): HeaderScan {
  const counts: Record<Delimiter, number> = { ",": 0, ";": 0, "\t": 0, "|": 0 };
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quoted) {
      if (char !== '"') continue;
      if (text.charAt(i + 1) === '"') i++;
      else quoted = false;
      continue;
    }
    if (char === "\n" || char === "\r") return { ended: true, next: i + (char === "\r" && text.charAt(i + 1) === "\n" ? 2 : 1), counts };
    if (isDelimiter(char)) {
      counts[char]++;
      cellStart = true;
      continue;
    }
    quoted = cellStart && char === '"';
    cellStart = false;
  }
  return { ended: false, counts };
}

/**
 * The candidate seen most often on the header line; a tie goes to the format's own default (`,` for
 * .csv, tab for .tsv), then to the earlier of `,` `;` tab `|`. A header without any is one column, and
 * keeps the default.
 */
export function chooseDelimiter(header: string, fallback: Delimiter): DelimiterChoice {
  const { counts } = scanHeader(header);
  const most = Math.max(...DELIMITERS.map((candidate) => counts[candidate]));
  if (most === 0) return { delimiter: fallback, basis: "one column" };
  const tied = [fallback, ...DELIMITERS].filter((candidate) => counts[candidate] === most);
  return { delimiter: tied[0] ?? fallback, basis: "header" };
}

/**
 * As chooseDelimiter, but a first line without any candidate is taken for a title above the header
 * (Numbers' "Include table names"; table.ts skips it) when the next line has some: the delimiter is the
 * header's. A one-column file's second line is one of its rows, which has none either.
 */
export function chooseDelimiterPastTitle(text: string, fallback: Delimiter): DelimiterChoice {
  const choice = chooseDelimiter(text, fallback);
  const first = scanHeader(text);
  if (choice.basis !== "one column" || first.next === undefined) return choice;
  const header = chooseDelimiter(text.slice(first.next), fallback);
  return header.basis === "one column" ? choice : header;
}

/** Enough of the input is read to choose: the first line, and the second when the first has no candidate. */
export function delimiterLinesRead(text: string): boolean {
  const first = scanHeader(text);
  if (first.next === undefined) return false;
  if (DELIMITERS.some((candidate) => first.counts[candidate] > 0)) return true;
  return scanHeader(text.slice(first.next)).ended;
}

/** `","`, `";"`, `"|"`, or the word tab, which a quoted tab would hide. */
export function showDelimiter(delimiter: Delimiter): string {
  return delimiter === "\t" ? "tab" : JSON.stringify(delimiter);
}

const BASIS_WORDS: Readonly<Record<DelimiterBasis, string>> = {
  header: "detected from the header",
  "--delimiter": "--delimiter",
  "one column": "the header has one column",
};

/** The dry run's line: `delimiter: ";" (detected from the header)`. */
export function describeDelimiter(choice: DelimiterChoice): string {
  return `delimiter: ${showDelimiter(choice.delimiter)} (${BASIS_WORDS[choice.basis]})`;
}
