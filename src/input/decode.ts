/**
 * Bytes in, UTF-8 bytes out, as they stream: gunzip when the data starts with gzip's magic number (file
 * or stdin alike, whatever the name says), then decode by the encoding `sniff.ts` detects or the user
 * asked for. Every reader downstream keeps reading UTF-8, and nothing that is not what it claims to be
 * gets through: a byte that is not UTF-8, an unpaired UTF-16 surrogate or a cut-off character stops
 * the run with an InputError naming the source and line, before that row is registered with a garbled
 * name (a U+FFFD in place of "é" would be mailed to the person by Zoom).
 */
import { isUtf8 } from "node:buffer";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { detectEncoding, ENCODING_DISPLAY_NAMES, ENCODING_FLAG_VALUES, firstInvalidUtf8, incompleteUtf8Tail, isGzip, looksLikeUtf8, SNIFF_BYTES } from "./sniff.js";
import type { DetectionBasis, EncodingRequest, TextEncoding } from "./sniff.js";

/** What was found out about an input, once its first bytes are read. */
export interface InputDetection {
  compressed: boolean;
  encoding: TextEncoding;
  basis: DetectionBasis;
}

export interface DecodeOptions {
  /** Names the input in messages: the path as the user gave it, or "stdin". */
  sourceName: string;
  /** Default "auto". */
  encoding?: EncodingRequest;
  /** Told once, before the first byte is yielded. */
  onDetect?: (detection: InputDetection) => void;
}

const LATIN1_HINT = `if it came from Excel or another Windows program, add --encoding latin1 (read as Windows-1252), or save it as UTF-8; --encoding takes ${ENCODING_FLAG_VALUES.filter((name) => name !== "auto").join("|")}`;

/** The input as UTF-8 bytes, without a byte order mark. String chunks (tests, in-memory sources) are taken as text already. */
export async function* decodeInput(source: AsyncIterable<unknown>, options: DecodeOptions): AsyncGenerator<Buffer> {
  const raw = await readHead(asBuffers(source), 2);
  const compressed = isGzip(raw.head);
  const bytes = compressed ? await readHead(gunzip(raw.replay(), options.sourceName), SNIFF_BYTES) : await readHead(raw.replay(), SNIFF_BYTES);
  // The head is judged as a prefix even when it is all there is: a character cut off at the very end
  // then reaches the UTF-8 check below, whose message says "truncated" rather than "not UTF-8".
  const verdict = detectEncoding(bytes.head, options.encoding ?? "auto", false);
  if (verdict.kind === "refused") {
    await bytes.close();
    throw new InputError(`${options.sourceName} ${verdict.problem}`, { hint: verdict.hint });
  }
  if (verdict.kind === "not-utf8") {
    await bytes.close();
    throw notUtf8Error(options.sourceName, bytes.head, verdict.offset, countNewlines(bytes.head.subarray(0, verdict.offset)) + 1);
  }
  options.onDetect?.({ compressed, encoding: verdict.encoding, basis: verdict.basis });
  const body = withoutPrefix(bytes.replay(), verdict.bomBytes);
  switch (verdict.encoding) {
    case "utf8":
      yield* checkedUtf8(body, options.sourceName);
      return;
    case "utf16le":
    case "utf16be":
      yield* fromUtf16(body, verdict.encoding, options.sourceName);
      return;
    case "windows1252":
      yield* fromWindows1252(body, options.sourceName);
      return;
  }
}

async function* asBuffers(source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    if (typeof chunk === "string") yield Buffer.from(chunk, "utf8");
    else if (Buffer.isBuffer(chunk)) yield chunk;
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TypeError(`expected text or bytes from the input stream, got ${typeof chunk}`);
  }
}

export interface Head {
  head: Buffer;
  /** The input ended within the head. */
  done: boolean;
  /** The head, then the rest of the input; call at most once. */
  replay(): AsyncGenerator<Buffer>;
  /** Stops the input without reading it (closes the file). */
  close(): Promise<void>;
}

/**
 * Reads at least `minBytes` (or all there is), or less once `enough` says the bytes so far suffice, and
 * hands the same bytes on again so nothing is lost.
 */
export async function readHead(chunks: AsyncGenerator<Buffer>, minBytes: number, enough?: (head: Buffer) => boolean): Promise<Head> {
  const parts: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < minBytes && !(enough !== undefined && parts.length > 0 && enough(Buffer.concat(parts)))) {
    const next = await chunks.next();
    if (next.done === true) {
      done = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const head = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
  return {
    head,
    done,
    async *replay() {
      try {
        if (head.length > 0) yield head;
        if (!done) yield* chunks;
      } finally {
        // Stopped while handing on the head, `chunks` was never delegated to: close it here.
        await chunks.return(undefined);
      }
    },
    async close() {
      await chunks.return(undefined);
    },
  };
}

async function* withoutPrefix(chunks: AsyncGenerator<Buffer>, skipBytes: number): AsyncGenerator<Buffer> {
  let skip = skipBytes;
  for await (const chunk of chunks) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    yield skip === 0 ? chunk : chunk.subarray(skip);
    skip = 0;
  }
}

/** zlib's own error codes (Z_DATA_ERROR, Z_BUF_ERROR...), as opposed to a read error from the file under it. */
function isZlibError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("Z_");
}

async function* gunzip(chunks: AsyncGenerator<Buffer>, sourceName: string): AsyncGenerator<Buffer> {
  const inflater = createGunzip();
  // pipeline forwards a read error from the source into the inflater, so the loop below throws it, and
  // destroys the source when the loop stops early. Node's gunzip reads concatenated members
  // (`cat a.gz b.gz`) as one stream, as gzip(1) does.
  pipeline(Readable.from(chunks), inflater, () => undefined);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (!isZlibError(error)) throw error;
    const truncated = error.code === "Z_BUF_ERROR";
    throw new InputError(
      truncated ? `${sourceName}: the gzip data ends early (truncated file or download?)` : `${sourceName}: the gzip data is corrupt (${error.message})`,
      { cause: error, hint: `${truncated ? "rows before the cut were read; " : ""}fetch or export the file again (gzip -t tests it)` },
    );
  } finally {
    inflater.destroy();
  }
}

/**
 * Passes UTF-8 through unchanged after checking it: Node's native `isUtf8` checks each chunk up to its
 * last whole character (the cut-off bytes wait for the next chunk); only when it fails does the byte
 * loop run, to find the offending byte for the message.
 */
async function* checkedUtf8(chunks: AsyncGenerator<Buffer>, sourceName: string): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  let lineBase = 1;
  for await (const chunk of chunks) {
    const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    const whole = bytes.length - incompleteUtf8Tail(bytes);
    const ready = bytes.subarray(0, whole);
    if (!isUtf8(ready)) {
      const offset = firstInvalidUtf8(ready, true);
      throw notUtf8Error(sourceName, bytes, offset, lineBase + countNewlines(ready.subarray(0, offset)));
    }
    carry = Buffer.from(bytes.subarray(whole));
    lineBase += countNewlines(ready);
    if (ready.length > 0) yield ready;
  }
  if (carry.length > 0) {
    throw new InputError(`${sourceName}: line ${lineBase} ends in the middle of a UTF-8 character (truncated file?)`, {
      hint: "fetch or export the file again",
    });
  }
}

/** A surrogate without its partner: what a UTF-16 file cut or spliced in the wrong place holds. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * UTF-16 through Node's native decoder, which keeps an unpaired surrogate as is (it would become U+FFFD
 * on the way to UTF-8): the text is checked for one, so the message can name its line. An odd byte or a
 * high surrogate at a chunk's end waits for the next chunk. The BOM was already skipped.
 */
async function* fromUtf16(chunks: AsyncGenerator<Buffer>, encoding: "utf16le" | "utf16be", sourceName: string): AsyncGenerator<Buffer> {
  let carryByte: Buffer = Buffer.alloc(0);
  let carryHigh = "";
  let lineBase = 1;
  const name = ENCODING_DISPLAY_NAMES[encoding];
  for await (const chunk of chunks) {
    const bytes = carryByte.length === 0 ? chunk : Buffer.concat([carryByte, chunk]);
    const even = bytes.length & ~1;
    carryByte = Buffer.from(bytes.subarray(even));
    let text = carryHigh + utf16ToString(bytes.subarray(0, even), encoding);
    carryHigh = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      carryHigh = text.slice(-1);
      text = text.slice(0, -1);
    }
    const unpaired = UNPAIRED_SURROGATE.exec(text);
    if (unpaired !== null) {
      throw new InputError(`${sourceName}: line ${lineBase + countCharacter(text.slice(0, unpaired.index), "\n")} is not valid ${name} (an unpaired surrogate)`, {
        hint: "export the file again, or check its encoding (--encoding utf8|utf16le|utf16be|latin1)",
      });
    }
    lineBase += countCharacter(text, "\n");
    if (text !== "") yield Buffer.from(text, "utf8");
  }
  if (carryByte.length > 0 || carryHigh !== "") {
    throw new InputError(`${sourceName}: line ${lineBase} ends in the middle of a ${name} character (truncated file?)`, { hint: "fetch or export the file again" });
  }
}

export function utf16ToString(bytes: Uint8Array, encoding: "utf16le" | "utf16be"): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // swap16 works in place: swap a copy, never the caller's bytes.
  return encoding === "utf16le" ? buffer.toString("utf16le") : Buffer.from(buffer).swap16().toString("utf16le");
}

async function* fromWindows1252(chunks: AsyncGenerator<Buffer>, sourceName: string): AsyncGenerator<Buffer> {
  // Checked until the first chunk with a non-ASCII byte: the first 64 KiB of an export can be all ASCII,
  // and a nightly job's `--encoding latin1` outlives the day its source switched to UTF-8.
  let checked = false;
  let lineBase = 1;
  for await (const chunk of chunks) {
    if (!checked && chunk.some((byte) => byte >= 0x80)) {
      checked = true;
      if (looksLikeUtf8(chunk, false)) {
        const offset = chunk.findIndex((byte) => byte >= 0x80);
        throw new InputError(`${sourceName}: line ${lineBase + countNewlines(chunk.subarray(0, offset))} is UTF-8 ("${wordAround(chunk, offset, "utf8")}"), not Windows-1252`, {
          hint: "drop --encoding latin1: read as Windows-1252 every accented letter would be garbled",
        });
      }
    }
    if (!checked) lineBase += countNewlines(chunk);
    yield Buffer.from(decodeWindows1252(chunk), "utf8");
  }
}

/**
 * Windows-1252 differs from ISO-8859-1 (Node's "latin1") only in 0x80-0x9F, where it has printable
 * characters (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ). The five bytes it leaves undefined
 * map to the C1 control of the same number, as in https://encoding.spec.whatwg.org/index-windows-1252.txt.
 * A table of its own because Node 20's `new TextDecoder("windows-1252")` decodes as ISO-8859-1.
 */
const WINDOWS_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return latin1.replace(/[\u0080-\u009F]/g, (char) => WINDOWS_1252_C1.charAt(char.charCodeAt(0) - 0x80));
}

export function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

function countCharacter(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** Bytes that end a word in a CSV, TSV or JSON line: the snippet in a message stays inside one cell. */
const WORD_BOUNDARIES = new Set([0x0a, 0x0d, 0x2c, 0x09, 0x22, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d]);
const WORD_MAX_BYTES = 24;

/** The cell text around `offset`, decoded as `as`, so a message shows what the reading would be. */
export function wordAround(bytes: Uint8Array, offset: number, as: "utf8" | "windows1252"): string {
  let start = offset;
  while (start > 0 && offset - start < WORD_MAX_BYTES && !WORD_BOUNDARIES.has(bytes[start - 1] ?? 0)) start--;
  let end = offset + 1;
  while (end < bytes.length && end - offset < WORD_MAX_BYTES && !WORD_BOUNDARIES.has(bytes[end] ?? 0)) end++;
  const word = bytes.subarray(start, end);
  const text = as === "utf8" ? Buffer.from(word).toString("utf8") : decodeWindows1252(word);
  return text.trim();
}

/**
 * One line that says where, and what the bytes would read as Windows-1252: enough for the user to
 * decide whether `--encoding latin1` is right ("Renée") or the file is in another code page ("Ðóññêèé").
 */
export function notUtf8Error(sourceName: string, bytes: Uint8Array, offset: number, line: number): InputError {
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return new InputError(`${sourceName}: line ${line} is not UTF-8 (byte 0x${byte}; as Windows-1252 it would read "${wordAround(bytes, offset, "windows1252")}")`, {
    hint: LATIN1_HINT,
  });
}
