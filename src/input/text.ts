/**
 * Byte-to-text and text-to-line plumbing for the JSON and NDJSON readers. Pure except `decodeUtf8`,
 * which only adapts a stream: everything that decides where a record ends is testable with strings.
 */
import { StringDecoder } from "node:string_decoder";
import { MAX_RECORD_CHARS } from "./format.js";

/**
 * Yields the stream's text. A StringDecoder holds back the bytes of a character split across two
 * chunks (a 64 KiB read boundary lands inside "Ångström" sooner or later), which `chunk.toString()`
 * would turn into two replacement characters.
 */
export async function* decodeUtf8(stream: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.write(toBuffer(chunk));
    if (text !== "") yield text;
  }
  const rest = decoder.end();
  if (rest !== "") yield rest;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`expected text or bytes from the input stream, got ${typeof chunk}`);
}

/**
 * Splits text into lines as it arrives. A line ends at "\n"; a "\r" before it is dropped, so CRLF and
 * LF files read the same (a CR split from its LF by a chunk boundary is dropped too, since the line
 * is only emitted once its LF is seen).
 *
 * A line longer than `maxLineChars` is never held whole: once it passes the bound, `overflowed` is set,
 * the lines before it are still returned, and nothing more is taken. The caller says which line it was.
 */
export class LineSplitter {
  private pending: string[] = [];
  private pendingChars = 0;
  /** A line passed the bound: the lines before it were returned, and the splitter takes nothing more. */
  overflowed = false;

  constructor(private readonly maxLineChars: number = MAX_RECORD_CHARS) {}

  push(text: string): string[] {
    const lines: string[] = [];
    if (this.overflowed) return lines;
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      if (!this.take(text.slice(start, newline))) return lines;
      lines.push(withoutTrailingCr(this.pending.join("")));
      this.pending = [];
      this.pendingChars = 0;
      start = newline + 1;
    }
    if (start < text.length) this.take(text.slice(start));
    return lines;
  }

  /** The last line, when the text does not end with a newline. */
  end(): string[] {
    const last = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    return last === "" || this.overflowed ? [] : [withoutTrailingCr(last)];
  }

  /** Adds to the line being read; false (and drops it) once it is longer than the bound. */
  private take(part: string): boolean {
    this.pendingChars += part.length;
    if (this.pendingChars > this.maxLineChars) {
      this.overflowed = true;
      this.pending = [];
      return false;
    }
    this.pending.push(part);
    return true;
  }
}

function withoutTrailingCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** "an array", "a number", "null": how a JSON value that is not an object is named in a row's reason. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
