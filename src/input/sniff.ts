/**
 * What an input's first bytes say about it: gzip or not, and which text encoding. Pure functions over
 * a byte prefix, so every rule is a row in a table test; `decode.ts` does the streaming.
 *
 * The rule for text (`detectEncoding`, with `--encoding auto`):
 * 1. A byte order mark wins: UTF-8 (EF BB BF), UTF-16LE (FF FE), UTF-16BE (FE FF). UTF-32 is refused.
 * 2. A ZIP or legacy-Office signature is an Excel workbook, not an export: refused with how to export.
 * 3. No BOM, but NUL bytes in one byte lane of each pair: BOM-less UTF-16 (what some database tools
 *    and PowerShell's `Out-File -Encoding Unicode` pipelines leave). A CSV or JSON file always holds
 *    ASCII punctuation (`,` `"` `{` newline), and in UTF-16 every ASCII character carries a NUL.
 * 4. Any other NUL: not text; refused.
 * 5. Valid UTF-8 (ASCII included): UTF-8.
 * 6. Anything else is refused, never guessed. Bytes that are not UTF-8 are most often Windows-1252
 *    (Excel's "CSV (Comma delimited)" on Windows), but they decode to *some* text in every 8-bit code
 *    page (ISO-8859-2 for Polish or Czech, Windows-1251 for Cyrillic, Mac Roman) and a wrong guess
 *    registers garbled names with Zoom, which then mails them to the person. The user knows where the
 *    file came from: `--encoding latin1` says Windows-1252.
 */

/** The encodings zoomreg decodes. `windows1252` is what `--encoding latin1` means (see below). */
export type TextEncoding = "utf8" | "utf16le" | "utf16be" | "windows1252";

/** What the user asked for: `auto` detects by the rule above. */
export type EncodingRequest = "auto" | TextEncoding;

/** How the encoding was decided, for a debug line or `--dry-run`. */
export type DetectionBasis = "byte order mark" | "NUL pattern" | "valid UTF-8" | "--encoding";

export type EncodingVerdict =
  | { kind: "text"; encoding: TextEncoding; bomBytes: number; basis: DetectionBasis }
  /** Not UTF-8 at `offset` (the first byte of the bad sequence); the caller builds the message. */
  | { kind: "not-utf8"; offset: number }
  | { kind: "refused"; problem: string; hint: string };

/** The prefix `detectEncoding` is given: enough for a header row and many records. */
export const SNIFF_BYTES = 64 * 1024;

/** The part of the prefix the NUL-pattern rule counts: a few thousand characters decide it. */
const NUL_PATTERN_BYTES = 4096;

export const ENCODING_DISPLAY_NAMES: Readonly<Record<TextEncoding, string>> = {
  utf8: "UTF-8",
  utf16le: "UTF-16LE",
  utf16be: "UTF-16BE",
  windows1252: "Windows-1252",
};

/** The values `--encoding` documents; `parseEncodingName` also takes common spellings of each. */
export const ENCODING_FLAG_VALUES = ["auto", "utf8", "utf16le", "utf16be", "latin1"] as const;

// A Map, not an object literal: `--encoding constructor` must not find Object.prototype.constructor.
const ENCODING_BY_NAME: ReadonlyMap<string, EncodingRequest> = new Map([
  ["auto", "auto"],
  ["utf8", "utf8"],
  ["utf16le", "utf16le"],
  ["utf16be", "utf16be"],
  // WHATWG's Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels), which browsers and
  // Excel's exports follow, makes "latin1" and "iso-8859-1" labels of windows-1252: the two differ only
  // in 0x80-0x9F, where ISO-8859-1 has invisible control characters and Windows-1252 has € ’ “ ” – —.
  ["latin1", "windows1252"],
  ["iso88591", "windows1252"],
  ["windows1252", "windows1252"],
  ["cp1252", "windows1252"],
]);

/** `--encoding` value to a request, case- and punctuation-insensitively ("UTF-8", "utf_16le"); undefined when unknown. */
export function parseEncodingName(name: string): EncodingRequest | undefined {
  return ENCODING_BY_NAME.get(name.toLowerCase().replace(/[-_\s]/g, ""));
}

/** gzip's magic number (RFC 1952 section 2.3.1), the same for a file and for stdin. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The offset of the first byte of the first sequence that is not UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or -1 when all of it is. When `complete` is false the bytes
 * are a prefix, and a character cut off at the end is not an error.
 */
export function firstInvalidUtf8(bytes: Uint8Array, complete: boolean): number {
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const shape = utf8Shape(lead);
    if (shape === undefined) return i;
    for (let k = 1; k <= shape.continuation; k++) {
      if (i + k >= length) return complete ? i : -1;
      const byte = bytes[i + k] ?? 0;
      const [low, high] = k === 1 ? [shape.secondLow, shape.secondHigh] : [0x80, 0xbf];
      if (byte < low || byte > high) return i;
    }
    i += shape.continuation + 1;
  }
  return -1;
}

/**
 * How many bytes at the end of `bytes` start a character that is not finished yet (0 to 3): a stream
 * chunk ends wherever 64 KiB do, often inside "é". Those bytes wait for the next chunk.
 */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= Math.min(3, length); back++) {
    const byte = bytes[length - back] ?? 0;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const shape = utf8Shape(byte);
      return shape !== undefined && shape.continuation >= back ? back : 0;
    }
  }
  return 0;
}

interface Utf8Shape {
  continuation: number;
  secondLow: number;
  secondHigh: number;
}

/** RFC 3629 section 4's table: the lead byte fixes the length and narrows the second byte's range. */
function utf8Shape(lead: number): Utf8Shape | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { continuation: 1, secondLow: 0x80, secondHigh: 0xbf };
  if (lead === 0xe0) return { continuation: 2, secondLow: 0xa0, secondHigh: 0xbf };
  if (lead === 0xed) return { continuation: 2, secondLow: 0x80, secondHigh: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { continuation: 2, secondLow: 0x80, secondHigh: 0xbf };
  if (lead === 0xf0) return { continuation: 3, secondLow: 0x90, secondHigh: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { continuation: 3, secondLow: 0x80, secondHigh: 0xbf };
  if (lead === 0xf4) return { continuation: 3, secondLow: 0x80, secondHigh: 0x8f };
  return undefined;
}

/** True when the bytes hold a non-ASCII character and are valid UTF-8: text that `--encoding latin1` would garble. */
export function looksLikeUtf8(bytes: Uint8Array, complete: boolean): boolean {
  return bytes.some((byte) => byte >= 0x80) && firstInvalidUtf8(bytes, complete) === -1;
}

type Bom = { encoding: TextEncoding; bytes: number } | { encoding: "utf32"; bytes: number };

function startsWith(head: Uint8Array, prefix: readonly number[]): boolean {
  return head.length >= prefix.length && prefix.every((byte, index) => head[index] === byte);
}

function byteOrderMark(head: Uint8Array): Bom | undefined {
  // UTF-32LE's BOM begins like UTF-16LE's, so it is tested first.
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00]) || startsWith(head, [0x00, 0x00, 0xfe, 0xff])) return { encoding: "utf32", bytes: 4 };
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: "utf8", bytes: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: "utf16le", bytes: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: "utf16be", bytes: 2 };
  return undefined;
}

const SPREADSHEET_HINT = "open it in Excel and save a copy as CSV UTF-8 (File > Save As > CSV UTF-8), then pass that file";

/** Spreadsheets people pass by mistake: their bytes would become one mangled column of nonsense. */
function spreadsheetSignature(head: Uint8Array): string | undefined {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "is a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook?), not a text export";
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "is a legacy Excel .xls workbook, not a text export";
  return undefined;
}

/**
 * BOM-less UTF-16 from where the NUL bytes sit in the first few thousand bytes. In UTF-16LE the high
 * byte of every ASCII or Latin-1 character, the odd-offset byte, is NUL; UTF-8 text has no NULs at all.
 * Decided when at least one pair in 16 has a NUL in one lane (a Cyrillic or Greek file still has its
 * commas and line breaks) and the other lane has under a tenth as many (a character such as U+0100 "Ā"
 * or U+4E00 "一" puts a NUL in the other lane now and then).
 */
export function utf16FromNulPattern(head: Uint8Array): "utf16le" | "utf16be" | undefined {
  const sampleLength = Math.min(head.length, NUL_PATTERN_BYTES) & ~1;
  const pairs = sampleLength / 2;
  if (pairs === 0) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sampleLength; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  if (oddNuls * 16 >= pairs && evenNuls * 10 <= oddNuls) return "utf16le";
  if (evenNuls * 16 >= pairs && oddNuls * 10 <= evenNuls) return "utf16be";
  return undefined;
}

const FLAG_NAME: Readonly<Record<TextEncoding, string>> = { utf8: "utf8", utf16le: "utf16le", utf16be: "utf16be", windows1252: "latin1" };

/**
 * The encoding of an input from its first bytes (`head`: up to SNIFF_BYTES; `complete` when that is the
 * whole input). With an explicit request the bytes can still refuse it: a BOM that names another
 * encoding, or UTF-16 asked of bytes without the NULs every UTF-16 CSV or JSON file has. A request for
 * Windows-1252 of text that is valid UTF-8 is refused by the decoder, which sees every chunk.
 */
export function detectEncoding(head: Uint8Array, requested: EncodingRequest, complete: boolean): EncodingVerdict {
  const bom = byteOrderMark(head);
  if (bom?.encoding === "utf32") return { kind: "refused", problem: "is UTF-32, which zoomreg does not read", hint: "save it as UTF-8 (or UTF-16) and run again" };
  if (requested !== "auto") return checkRequest(head, requested, bom);
  if (bom !== undefined) return { kind: "text", encoding: bom.encoding, bomBytes: bom.bytes, basis: "byte order mark" };
  const spreadsheet = spreadsheetSignature(head);
  if (spreadsheet !== undefined) return { kind: "refused", problem: spreadsheet, hint: SPREADSHEET_HINT };
  const utf16 = utf16FromNulPattern(head);
  if (utf16 !== undefined) return { kind: "text", encoding: utf16, bomBytes: 0, basis: "NUL pattern" };
  if (head.includes(0)) {
    return {
      kind: "refused",
      problem: "holds NUL bytes, so it is not a text file zoomreg can read",
      hint: "pass a CSV, TSV, JSON or NDJSON export; for UTF-16 without a byte order mark add --encoding utf16le or utf16be",
    };
  }
  const invalidAt = firstInvalidUtf8(head, complete);
  if (invalidAt !== -1) return { kind: "not-utf8", offset: invalidAt };
  return { kind: "text", encoding: "utf8", bomBytes: 0, basis: "valid UTF-8" };
}

function checkRequest(head: Uint8Array, requested: TextEncoding, bom: Bom | undefined): EncodingVerdict {
  const asked = `--encoding ${FLAG_NAME[requested]}`;
  if (bom !== undefined && bom.encoding !== "utf32") {
    if (bom.encoding === requested) return { kind: "text", encoding: requested, bomBytes: bom.bytes, basis: "--encoding" };
    return {
      kind: "refused",
      problem: `starts with a ${ENCODING_DISPLAY_NAMES[bom.encoding]} byte order mark, but ${asked} was given`,
      hint: `drop ${asked}: the byte order mark says how the file is encoded`,
    };
  }
  if (requested === "utf16le" || requested === "utf16be") {
    const seen = utf16FromNulPattern(head);
    if (head.length >= 2 && !head.subarray(0, NUL_PATTERN_BYTES).includes(0)) {
      return { kind: "refused", problem: `has no NUL bytes, so it is not UTF-16 (${asked})`, hint: `drop ${asked}` };
    }
    if (seen !== undefined && seen !== requested) {
      return { kind: "refused", problem: `looks like ${ENCODING_DISPLAY_NAMES[seen]}, not ${ENCODING_DISPLAY_NAMES[requested]}`, hint: `use --encoding ${FLAG_NAME[seen]}` };
    }
  }
  if (requested === "windows1252" || requested === "utf8") {
    const seen = utf16FromNulPattern(head);
    if (seen !== undefined) {
      return { kind: "refused", problem: `looks like ${ENCODING_DISPLAY_NAMES[seen]}, not ${ENCODING_DISPLAY_NAMES[requested]}`, hint: `drop ${asked}` };
    }
  }
  return { kind: "text", encoding: requested, bomBytes: 0, basis: "--encoding" };
}
