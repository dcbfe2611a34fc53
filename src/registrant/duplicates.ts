import { HashIndex, withLength } from "../shared/hash-index.js";

/**
 * The same person twice in one list. Zoom keys a registration by email, so a second row would at best
 * return the first row's join_url and at worst spend one of the person's 3 adds a day (docs/zoom-facts.md,
 * "Rate limits"). Addresses compare trimmed and lowercased: the local part is case-sensitive in
 * theory, but no mail system in use treats "Ann@" and "ann@" as two people, and Zoom does not either.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Remembers every email of a run by its hash (a HashIndex) and the position of its first row: a
 * million-row export must not need a gigabyte. Two different addresses share a 64-bit hash with odds
 * of about 3 in 100 million for a million rows; the worst case is one row reported as a duplicate, in
 * the rejects file.
 */
export class DuplicateTracker {
  /** Position of each email's first row, by entry. */
  private positions = new Uint32Array(1 << 12);
  private readonly index = new HashIndex((entry) => {
    this.positions = withLength(this.positions, entry + 1);
  });

  /** Whether a row with this email was seen (a prune cancels only people the input no longer has). */
  has(email: string): boolean {
    const key = emailKey(email);
    return key !== "" && this.index.find(key) !== -1;
  }

  /** The position of the first row with this email, or undefined (and it is remembered) when this is the first. */
  check(email: string, position: number): number | undefined {
    const key = emailKey(email);
    if (key === "") return undefined;
    const seenBefore = this.index.size;
    const entry = this.index.add(key);
    if (this.index.size === seenBefore) return this.positions[entry];
    this.positions[entry] = position;
    return undefined;
  }
}
