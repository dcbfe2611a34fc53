/**
 * JSON files as tools write them, beyond a bare array:
 *
 * - one object per line in a `.json` file (`mongoexport`'s default, `jq -c`): NDJSON whatever the name.
 *   `sniffJsonLayout` decides from the first line and the start of the next, so the sniff reads one
 *   record's worth of text, never the file.
 * - an array inside an object (`{"data": [...]}`, an API's answer saved to a file): read through
 *   `--json-path data`. `JsonObjectWalker` walks the object as it streams, skipping what is not on the
 *   path and handing the array to the JsonArraySplitter, so memory stays one record deep however big
 *   the file is. Buffering the document and indexing it would have been shorter, but a 2 GB export
 *   does not fit, and a bound on the size would refuse exactly the files people have.
 * - the same object without `--json-path`: walked to its end (streaming, to count), then refused with
 *   the path to pass and how many records each array holds. Which array holds the people is never
 *   guessed: `{"data": [...], "errors": [...]}` has two candidates.
 *
 * Outside the array read, the walker checks only brackets, strings and separators; records are checked
 * by JSON.parse one by one, as for a bare array.
 */
import { JsonArrayShapeError, JsonArraySplitter } from "./json-array.js";
import type { JsonArrayElement } from "./json-array.js";

export type JsonLayout = "array" | "lines" | "document";

/** An NDJSON line longer than this is not a registrant: past it, the sniff stops and says "document". */
export const JSON_SNIFF_MAX_CHARS = 1024 * 1024;

function isWhitespace(char: string): boolean {
  return char === " " || char === "\n" || char === "\r" || char === "\t" || char === "\uFEFF";
}

function firstNonSpace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (!isWhitespace(text.charAt(i))) return i;
  return -1;
}

/**
 * Where the object starting at `start` closes, or -1 when it does not within `text`. Only braces,
 * brackets and strings count; the object's grammar is JSON.parse's business later.
 */
export function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text.charAt(i);
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * How a JSON input is laid out, from its start: `[` is an array; `{` whose object closes on its first
 * line, followed on a later line by another `{`, is one object per line; any other `{` is one document
 * (pretty-printed, or a single line with nothing after it). Undefined while `text` is too short to tell
 * (`complete`: the input ends there). Anything else is "array", for the splitter to refuse.
 */
export function sniffJsonLayout(text: string, complete: boolean): JsonLayout | undefined {
  const start = firstNonSpace(text, 0);
  if (start === -1) return complete ? "array" : undefined;
  if (text.charAt(start) !== "{") return "array";
  const newline = text.indexOf("\n", start);
  if (newline === -1) return complete || text.length >= JSON_SNIFF_MAX_CHARS ? "document" : undefined;
  const end = objectEnd(text, start);
  if (end === -1 || end > newline || firstNonSpace(text.slice(end + 1, newline), 0) !== -1) return "document";
  const next = firstNonSpace(text, newline + 1);
  if (next === -1) return complete || text.length >= JSON_SNIFF_MAX_CHARS ? "document" : undefined;
  return text.charAt(next) === "{" ? "lines" : "document";
}

/** `data`, `result.rows`; jq's `.data` and JSONPath's `$.data` mean the same. Undefined when it names no key. */
export function parseJsonPath(raw: string): string[] | undefined {
  const keys = raw.trim().replace(/^\$?\./, "").split(".");
  return keys.every((key) => key !== "") ? keys : undefined;
}

/** An array reachable from the top through object keys only: what `--json-path` can name. */
export interface ArrayFound {
  path: string;
  /** Its elements. */
  count: number;
  /** Its elements that are objects: records, when it is all of them. */
  objects: number;
}

/** The document as a whole does not fit what was asked: refused with a hint, no line to point at. */
export class JsonLayoutError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "JsonLayoutError";
  }
}

type State = "value" | "key" | "colon" | "after" | "string" | "literal" | "done";

interface Frame {
  kind: "object" | "array";
  /** Keys from the top; undefined under an array, where --json-path cannot reach. */
  path: readonly string[] | undefined;
  count: number;
  objects: number;
  /** An object's key whose value comes next. */
  key: string | undefined;
}

/** Arrays listed in a hint at most: an object of a million keys must not grow the list. */
const MAX_ARRAYS_KEPT = 100;
/** A key on a --json-path route longer than this stops the walk (keys elsewhere are not kept). */
const MAX_KEY_CHARS = 64 * 1024;

const show = (char: string): string => JSON.stringify(char);

/**
 * Walks a JSON object as it streams. With `target` (the keys of `--json-path`), the array there is cut
 * into elements; without, or past it, the walk only surveys the arrays it can name, for the message.
 */
export class JsonObjectWalker {
  private state: State = "value";
  private line = 1;
  private readonly stack: Frame[] = [];
  /** The current container was just opened: its closer may come now. */
  private justOpened = false;
  private inKey = false;
  private escaped = false;
  private keyParts: string[] | undefined;
  private capture: JsonArraySplitter | undefined;
  private readonly targetKey: string | undefined;
  private readonly arrays: ArrayFound[] = [];
  /** What the target path held: "an array" once read, another kind when it is not one. */
  found: string | undefined;

  constructor(private readonly target?: readonly string[]) {
    this.targetKey = target?.join("\u0000");
  }

  push(chunk: string): JsonArrayElement[] {
    const elements: JsonArrayElement[] = [];
    let text = chunk;
    let i = 0;
    while (i < text.length) {
      if (this.capture !== undefined) {
        elements.push(...this.capture.push(i === 0 ? text : text.slice(i)));
        if (this.capture.rest === undefined) return elements;
        text = this.capture.rest;
        i = 0;
        this.endCapture();
        continue;
      }
      const char = text.charAt(i);
      // A target array's `[` is handed to the splitter with the rest of the chunk, not consumed here.
      if (!this.step(char)) continue;
      if (char === "\n") this.line++;
      i++;
    }
    return elements;
  }

  /** Throws once a record of the array read was longer than the bound (json-array.ts). */
  check(): void {
    this.capture?.check();
  }

  /** Call at the end of the input: throws when the object is not closed. */
  end(): void {
    if (this.capture !== undefined) this.capture.end();
    if (this.state === "done") return;
    if (this.stack.length === 0 && this.state === "value") throw new JsonArrayShapeError("the input is empty: expected a JSON object", this.line);
    throw new JsonArrayShapeError("the JSON object is not closed: the input ends inside it (truncated file?)", this.line);
  }

  /** The arrays --json-path could name: arrays of objects first, then the biggest first. */
  arraysFound(): ArrayFound[] {
    const isRecords = (array: ArrayFound): number => (array.objects === array.count ? 1 : 0);
    return [...this.arrays].sort((a, b) => isRecords(b) - isRecords(a) || b.count - a.count);
  }

  /** Consumes one character; false when it starts the target array, which the splitter reads instead. */
  private step(char: string): boolean {
    switch (this.state) {
      case "string":
        this.stringChar(char);
        return true;
      case "literal":
        if (char === "," || char === "}" || char === "]" || isWhitespace(char)) {
          this.state = "after";
          return this.step(char);
        }
        return true;
      case "value":
        return this.valueStart(char);
      case "key":
        this.keyStart(char);
        return true;
      case "colon":
        if (char === ":") this.state = "value";
        else if (!isWhitespace(char)) throw this.unexpected(char, "':'");
        return true;
      case "after":
        this.afterValue(char);
        return true;
      case "done":
        if (!isWhitespace(char)) {
          throw new JsonArrayShapeError(`unexpected ${show(char)} after the JSON object's closing '}'`, this.line, "one JSON object per line? pass --format ndjson");
        }
        return true;
    }
  }

  private valueStart(char: string): boolean {
    if (isWhitespace(char)) return true;
    const parent = this.stack.at(-1);
    if (char === "]" && this.justOpened && parent?.kind === "array") {
      this.close();
      return true;
    }
    if (char === "," || char === "}" || char === "]" || char === ":") throw this.unexpected(char, "a value");
    if (parent === undefined && char !== "{") throw this.unexpected(char, "'{'");
    const path = this.childPath(parent);
    if (parent !== undefined) {
      parent.count++;
      if (char === "{") parent.objects++;
    }
    this.justOpened = false;
    if (path !== undefined && this.targetKey !== undefined && this.found === undefined && path.join("\u0000") === this.targetKey) {
      this.found = describeStart(char);
      if (char === "[") {
        this.capture = new JsonArraySplitter({ line: this.line, embedded: true });
        return false;
      }
    }
    if (char === "{" || char === "[") {
      this.stack.push({ kind: char === "{" ? "object" : "array", path, count: 0, objects: 0, key: undefined });
      this.justOpened = true;
      this.state = char === "{" ? "key" : "value";
    } else if (char === '"') {
      this.startString(false);
    } else {
      this.state = "literal";
    }
    return true;
  }

  private keyStart(char: string): void {
    if (isWhitespace(char)) return;
    if (char === "}" && this.justOpened) {
      this.close();
      return;
    }
    if (char !== '"') throw this.unexpected(char, "a key");
    this.justOpened = false;
    this.startString(true);
  }

  private startString(isKey: boolean): void {
    this.state = "string";
    this.inKey = isKey;
    this.escaped = false;
    // Keys are kept only where --json-path can reach: elsewhere they are skipped like any text.
    this.keyParts = isKey && this.stack.at(-1)?.path !== undefined ? [] : undefined;
  }

  private stringChar(char: string): void {
    if (this.escaped) this.escaped = false;
    else if (char === "\\") this.escaped = true;
    else if (char === '"') {
      this.endString();
      return;
    }
    if (this.keyParts === undefined) return;
    this.keyParts.push(char);
    if (this.keyParts.length > MAX_KEY_CHARS) throw new JsonArrayShapeError(`a key longer than ${MAX_KEY_CHARS} characters`, this.line);
  }

  private endString(): void {
    if (!this.inKey) {
      this.state = "after";
      return;
    }
    const frame = this.stack.at(-1);
    if (frame !== undefined) frame.key = this.keyParts === undefined ? undefined : decodeKey(this.keyParts.join(""), this.line);
    this.keyParts = undefined;
    this.state = "colon";
  }

  private afterValue(char: string): void {
    if (isWhitespace(char)) return;
    const frame = this.stack.at(-1);
    if (frame === undefined) throw this.unexpected(char, "the end");
    if (char === ",") {
      this.state = frame.kind === "object" ? "key" : "value";
      return;
    }
    if ((char === "}" && frame.kind === "object") || (char === "]" && frame.kind === "array")) {
      this.close();
      return;
    }
    throw this.unexpected(char, frame.kind === "object" ? "',' or '}'" : "',' or ']'");
  }

  private close(): void {
    const frame = this.stack.pop();
    if (frame?.kind === "array" && frame.path !== undefined) this.remember({ path: frame.path.join("."), count: frame.count, objects: frame.objects });
    this.justOpened = false;
    this.state = this.stack.length === 0 ? "done" : "after";
  }

  private endCapture(): void {
    const capture = this.capture;
    if (capture === undefined) return;
    this.line = capture.currentLine;
    this.capture = undefined;
    this.justOpened = false;
    this.state = "after";
  }

  private childPath(parent: Frame | undefined): readonly string[] | undefined {
    if (parent === undefined) return [];
    if (parent.kind === "array" || parent.path === undefined || parent.key === undefined) return undefined;
    return [...parent.path, parent.key];
  }

  private remember(array: ArrayFound): void {
    if (this.arrays.length < MAX_ARRAYS_KEPT) this.arrays.push(array);
  }

  private unexpected(char: string, expected: string): JsonArrayShapeError {
    return new JsonArrayShapeError(`expected ${expected}, found ${show(char)}`, this.line);
  }
}

function decodeKey(raw: string, line: number): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    throw new JsonArrayShapeError(`a key is not a valid JSON string: "${raw.slice(0, 40)}"`, line);
  }
}

function describeStart(char: string): string {
  switch (char) {
    case "[":
      return "an array";
    case "{":
      return "an object";
    case '"':
      return "a string";
    case "t":
    case "f":
      return "a boolean";
    case "n":
      return "null";
    default:
      return "a number";
  }
}

const records = (count: number): string => `${count} ${count === 1 ? "record" : "records"}`;

/** Arrays whose every element is an object (an empty one included): where people can be. */
export function recordArrays(arrays: readonly ArrayFound[]): ArrayFound[] {
  return arrays.filter((array) => array.objects === array.count);
}

const NO_RECORDS_HINT = "zoomreg reads an array of objects ([{...}, {...}]), one object per line (NDJSON), or an array inside an object through --json-path";

/** `pass --json-path data (its "data" holds 120 records; "errors" holds 2)`, or the shapes zoomreg reads. */
export function jsonPathHint(arrays: readonly ArrayFound[]): string {
  const [first, ...others] = recordArrays(arrays);
  if (first === undefined) return NO_RECORDS_HINT;
  const rest = others.slice(0, 2).map((array) => `; "${array.path}" holds ${records(array.count)}`);
  return `pass --json-path ${first.path} (its "${first.path}" holds ${records(first.count)}${rest.join("")})`;
}

/** Why an object without --json-path is refused. */
export function wrappedArrayError(arrays: readonly ArrayFound[]): JsonLayoutError {
  if (recordArrays(arrays).length === 0) return new JsonLayoutError("the JSON is one object, not an array of records", NO_RECORDS_HINT);
  return new JsonLayoutError("the JSON is an object, not an array", jsonPathHint(arrays));
}

/** Why `--json-path` found nothing to read. */
export function jsonPathError(path: string, found: string | undefined, arrays: readonly ArrayFound[]): JsonLayoutError {
  const problem = found === undefined ? `the JSON has nothing at "${path}"` : `"${path}" holds ${found}, not an array`;
  return new JsonLayoutError(`--json-path ${path}: ${problem}`, jsonPathHint(arrays));
}
