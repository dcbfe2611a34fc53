/**
 * Who tonight's input names, valid rows or not: a prune must never cancel someone whose row merely
 * has a typo (issue 17). A row that is invalid (one cell too many, `mailto:` or a display name in the
 * email cell, JSON that does not parse) still names its person; every address-like word in any of its
 * cells counts, so the rule errs toward sparing.
 */
import type { RawRecord } from "../input/index.js";
import { DuplicateTracker } from "../registrant/index.js";

/** An address-like word: no space, bracket, quote or separator on either side of one `@`. */
const addressLike = /[^\s<>()[\]{}"'`,;:|\\]+@[^\s<>()[\]{}"'`,;:|\\@]+/g;

/** Every address-like word in `text`, as Zoom compares emails (case aside), trailing dots cut. */
export function emailsIn(text: string): string[] {
  return [...text.matchAll(addressLike)].map(([match]) => match.replace(/\.+$/, "").toLowerCase());
}

/** Every string inside a record's value, however nested (JSON records). */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const inner of value) yield* stringsIn(inner);
  else if (typeof value === "object" && value !== null) for (const inner of Object.values(value)) yield* stringsIn(inner);
}

/** The emails the input mentions, by hash (12 bytes each): what a prune spares. */
export class Mentions {
  private readonly seen = new DuplicateTracker();

  /** A valid row's person. */
  add(email: string, position: number): void {
    this.seen.check(email, position);
  }

  /** Everyone an invalid row could be about: each address-like word in its cells and its unparsed text. */
  addAllIn(record: RawRecord): void {
    const texts = [...stringsIn(record.fields), ...(record.unparsed === undefined ? [] : [record.unparsed])];
    for (const text of texts) {
      this.seen.check(text, record.position);
      for (const email of emailsIn(text)) this.seen.check(email, record.position);
    }
  }

  has(email: string): boolean {
    return this.seen.has(email);
  }
}
