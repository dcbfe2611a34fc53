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
 * Remembers every email of a run in 12 bytes a slot (a 64-bit FNV-1a hash of its key and the row's
 * position, 32 bits: no export has 4 billion rows) in typed arrays, not as strings in a Map (~100 bytes each): a million-row export must
 * not need a gigabyte. Two different addresses share a 64-bit hash with odds of about 3 in 100
 * million for a million rows; the worst case is one row reported as a duplicate, in the rejects file.
 */
export class DuplicateTracker {
  private capacity = 1 << 12;
  private used = 0;
  private hashHigh = new Uint32Array(this.capacity);
  private hashLow = new Uint32Array(this.capacity);
  /** Position + 1, so 0 marks an empty slot. */
  private positions = new Uint32Array(this.capacity);

  /** Whether a row with this email was seen (a prune cancels only people the input no longer has). */
  has(email: string): boolean {
    const key = emailKey(email);
    if (key === "") return false;
    const [high, low] = fnv1a64(key);
    return (this.positions[this.find(high, low)] ?? 0) !== 0;
  }

  /** The position of the first row with this email, or undefined (and it is remembered) when this is the first. */
  check(email: string, position: number): number | undefined {
    const key = emailKey(email);
    if (key === "") return undefined;
    const [high, low] = fnv1a64(key);
    const found = this.find(high, low);
    const stored = this.positions[found] ?? 0;
    if (stored !== 0) return stored - 1;
    this.hashHigh[found] = high;
    this.hashLow[found] = low;
    this.positions[found] = position + 1;
    this.used += 1;
    if (this.used * 2 > this.capacity) this.grow();
    return undefined;
  }

  /** Linear probing: the slot holding this hash, or the empty slot where it belongs. */
  private find(high: number, low: number): number {
    const mask = this.capacity - 1;
    for (let slot = (low ^ high) & mask; ; slot = (slot + 1) & mask) {
      if ((this.positions[slot] ?? 0) === 0 || (this.hashHigh[slot] === high && this.hashLow[slot] === low)) return slot;
    }
  }

  private grow(): void {
    const [high, low, positions] = [this.hashHigh, this.hashLow, this.positions];
    this.capacity *= 2;
    this.hashHigh = new Uint32Array(this.capacity);
    this.hashLow = new Uint32Array(this.capacity);
    this.positions = new Uint32Array(this.capacity);
    for (let slot = 0; slot < positions.length; slot += 1) {
      const stored = positions[slot] ?? 0;
      if (stored === 0) continue;
      const target = this.find(high[slot] ?? 0, low[slot] ?? 0);
      this.hashHigh[target] = high[slot] ?? 0;
      this.hashLow[target] = low[slot] ?? 0;
      this.positions[target] = stored;
    }
  }
}

/** FNV-1a, 64-bit, over UTF-16 code units, as two 32-bit halves (no BigInt on the hot path). */
export function fnv1a64(text: string): [number, number] {
  // offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i += 1) {
    low = (low ^ text.charCodeAt(i)) >>> 0;
    // (high:low) * (2^40 + 0x1b3) mod 2^64
    const lowTimes = low * 0x1b3;
    const carry = Math.floor(lowTimes / 0x100000000);
    const newLow = lowTimes >>> 0;
    high = (Math.imul(high, 0x1b3) + carry + ((low << 8) >>> 0)) >>> 0;
    low = newLow;
  }
  return [high >>> 0, low >>> 0];
}
