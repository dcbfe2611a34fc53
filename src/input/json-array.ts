/**
 * Cuts a top-level JSON array into the text of its elements as the bytes arrive, so a 2 GB export
 * (`psql ... json_agg`, `mongoexport --jsonArray`) is never held in memory: only the element being
 * read is. Each element is then handed to JSON.parse on its own, which keeps the grammar checking in
 * V8 and leaves this splitter only the bracket, string and escape bookkeeping it needs to find where
 * an element ends.
 *
 * A bare array is read on its own; an array inside an object (`{"data": [...]}`, `--json-path data`)
 * is found by json-document.ts, which hands this splitter the text from that array's `[` on and takes
 * back what follows its `]` (`embedded`).
 */
import { MAX_RECORD_CHARS, RecordTooLargeError } from "./format.js";

export interface JsonArrayElement {
  /** The element's JSON text, to be parsed on its own. */
  text: string;
  /** 1-based index in the array. */
  index: number;
  /** 1-based line where the element starts, for messages. */
  line: number;
}

/** The text is not a JSON array, or not a whole one: the run cannot go on. */
export class JsonArrayShapeError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "JsonArrayShapeError";
  }
}

type State = "start" | "first" | "next" | "element" | "after" | "done";

const CLOSER_OF: Readonly<Record<string, string>> = { "{": "}", "[": "]" };

function isWhitespace(char: string): boolean {
  return char === " " || char === "\n" || char === "\r" || char === "\t";
}

function show(char: string): string {
  return JSON.stringify(char);
}

export interface SplitterOptions {
  /** The line the text handed over starts on. */
  line?: number;
  /** The most characters one element may hold (default MAX_RECORD_CHARS): a longer one is refused, never held whole. */
  maxElementChars?: number;
  /** The array sits inside a larger document: stop at its `]` and keep what follows in `rest`. */
  embedded?: boolean;
}

export class JsonArraySplitter {
  private state: State = "start";
  private line: number;
  private readonly embedded: boolean;
  /** Embedded only: the text after the array's `]`, once it is seen. */
  rest: string | undefined;
  private elementCount = 0;
  /** The current element's text from earlier chunks. */
  private parts: string[] = [];
  private partsChars = 0;
  private readonly maxElementChars: number;
  /** An element passed the bound: the elements before it were returned; every later call throws this. */
  private failure: RecordTooLargeError | undefined;
  private elementLine = 1;
  /** Open brackets of the current element, innermost last. */
  private open: string[] = [];
  private inString = false;
  private escaped = false;
  /** The current element is a bare literal (number, true, null): it ends at the first delimiter. */
  private literal = false;

  constructor(options: SplitterOptions = {}) {
    this.line = options.line ?? 1;
    this.embedded = options.embedded === true;
    this.maxElementChars = options.maxElementChars ?? MAX_RECORD_CHARS;
  }

  /** Throws once an element was too long, after the elements before it were handed out. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Elements read so far. */
  get count(): number {
    return this.elementCount;
  }

  /** The line the splitter has reached. */
  get currentLine(): number {
    return this.line;
  }

  push(text: string): JsonArrayElement[] {
    this.check();
    const elements: JsonArrayElement[] = [];
    let elementStart = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text.charAt(i);
      switch (this.state) {
        case "start":
          // A BOM sits before the array, outside every element, so JSON.parse never sees it.
          if (char === "\uFEFF" || isWhitespace(char)) break;
          if (char === "[") {
            this.state = "first";
            break;
          }
          throw new JsonArrayShapeError(
            `expected a JSON array of objects, found ${show(char)}`,
            this.line,
            char === "{"
              ? "the file holds one object; zoomreg reads a top-level array ([{...}, {...}]) or NDJSON (.ndjson, one object per line)"
              : "zoomreg reads a top-level JSON array of objects ([{...}, {...}])",
          );
        case "first":
        case "next":
          if (isWhitespace(char)) break;
          if (char === "]") {
            if (this.state === "next") throw new JsonArrayShapeError("a comma before ']' (trailing comma)", this.line);
            this.state = "done";
            break;
          }
          if (char === ",") throw new JsonArrayShapeError("expected a value, found ','", this.line);
          elementStart = i;
          this.startElement(char);
          break;
        case "element":
          if (this.literal) {
            if (char === "," || char === "]" || isWhitespace(char)) {
              const element = this.finishElement(text.slice(elementStart, i));
              if (element === undefined) return elements;
              elements.push(element);
              this.state = "after";
              // The delimiter belongs to the array, not the literal: read it again in state "after"
              // (skipping the line count below, which that second reading does).
              i--;
              continue;
            }
            break;
          }
          if (this.scan(char)) {
            const element = this.finishElement(text.slice(elementStart, i + 1));
            if (element === undefined) return elements;
            elements.push(element);
            this.state = "after";
          }
          break;
        case "after":
          if (isWhitespace(char)) break;
          if (char === ",") this.state = "next";
          else if (char === "]") this.state = "done";
          else throw new JsonArrayShapeError(`expected ',' or ']' after record ${this.elementCount}, found ${show(char)}`, this.line);
          break;
        case "done":
          if (!isWhitespace(char)) throw new JsonArrayShapeError(`unexpected ${show(char)} after the array's closing ']'`, this.line);
          break;
      }
      if (char === "\n") this.line++;
      if (this.state === "done" && this.embedded) {
        this.rest = text.slice(i + 1);
        return elements;
      }
    }
    if (this.state === "element") this.keepPart(text.slice(elementStart));
    return elements;
  }

  /** Holds a piece of the current element, unless that makes it longer than the bound. */
  private keepPart(part: string): void {
    this.partsChars += part.length;
    if (this.partsChars > this.maxElementChars) {
      this.failure = new RecordTooLargeError(this.elementLine, this.maxElementChars);
      this.parts = [];
      return;
    }
    this.parts.push(part);
  }

  /** Call once the input is exhausted: throws when the array was never opened or never closed. */
  end(): void {
    this.check();
    if (this.state === "done") return;
    if (this.state === "start") throw new JsonArrayShapeError("the input is empty: expected a JSON array of objects", this.line);
    const where = this.state === "element" ? `inside record ${this.elementCount + 1}` : `after record ${this.elementCount}`;
    throw new JsonArrayShapeError(`the JSON array is not closed: the input ends ${where} (truncated file?)`, this.line);
  }

  private startElement(char: string): void {
    this.state = "element";
    this.elementLine = this.line;
    this.parts = [];
    this.partsChars = 0;
    this.open = [];
    this.inString = false;
    this.escaped = false;
    this.literal = false;
    if (char === "{" || char === "[") this.open.push(char);
    else if (char === '"') this.inString = true;
    else this.literal = true;
  }

  /** Consumes one character of a string, object or array element; true when it closes the element. */
  private scan(char: string): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (char === "\\") this.escaped = true;
      else if (char === '"') {
        this.inString = false;
        return this.open.length === 0;
      }
      return false;
    }
    if (char === '"') this.inString = true;
    else if (char === "{" || char === "[") this.open.push(char);
    else if (char === "}" || char === "]") {
      const opener = this.open.pop();
      if (opener === undefined || CLOSER_OF[opener] !== char) {
        // Recovery would be a guess about where the next record starts: stop instead.
        throw new JsonArrayShapeError(`record ${this.elementCount + 1}: ${show(char)} does not close ${opener === undefined ? "anything" : show(opener)}`, this.line);
      }
      return this.open.length === 0;
    }
    return false;
  }

  /** The element just closed; undefined when it is longer than the bound (the splitter then fails). */
  private finishElement(lastPart: string): JsonArrayElement | undefined {
    this.keepPart(lastPart);
    if (this.failure !== undefined) return undefined;
    const element = { text: this.parts.join(""), index: ++this.elementCount, line: this.elementLine };
    this.parts = [];
    this.partsChars = 0;
    return element;
  }
}
