/**
 * A set of strings kept as 64-bit FNV-1a hashes in typed arrays, each key numbered by a dense entry
 * (0, 1, 2, ...) that its owner uses to index typed-array columns of its own. A key costs 16–24
 * bytes here instead of ~100 as a string in a Map, and nothing the garbage collector walks: what keeps
 * a 200,000-person re-run's memory flat (issue 11, "bounded memory"; figures in docs/performance.md).
 *
 * Only hashes are kept, so two keys may share an entry: for 200,000 keys the odds are about 1 in a
 * billion. Owners that could hand one person another's data keep something to check against (the
 * ledger re-reads the email from the state file).
 */
export class HashIndex {
  private slotCount = 1 << 12;
  /** Entry + 1 per slot, so 0 marks an empty slot: 4 bytes a slot, the hashes are kept by entry. */
  private slotEntries = new Uint32Array(this.slotCount);
  private hashHigh = new Uint32Array(this.slotCount / 2);
  private hashLow = new Uint32Array(this.slotCount / 2);
  /** Entries freed by `delete`, handed out again before new ones. */
  private readonly freeEntries: number[] = [];
  private entriesHandedOut = 0;
  private used = 0;

  /** `onNewEntry` sets up the owner's columns for an entry `add` hands out (new, or freed and reused). */
  constructor(private readonly onNewEntry: (entry: number) => void = () => undefined) {}

  /** How many keys are held. */
  get size(): number {
    return this.used;
  }

  /** The entry of `key`, or -1. */
  find(key: string): number {
    const [high, low] = fnv1a64(key);
    return (this.slotEntries[this.slotOf(high, low)] ?? 0) - 1;
  }

  /** The entry of `key`, added when it is not held yet. */
  add(key: string): number {
    const [high, low] = fnv1a64(key);
    const slot = this.slotOf(high, low);
    const stored = this.slotEntries[slot] ?? 0;
    if (stored !== 0) return stored - 1;
    const entry = this.freeEntries.pop() ?? this.entriesHandedOut++;
    this.hashHigh = withLength(this.hashHigh, entry + 1);
    this.hashLow = withLength(this.hashLow, entry + 1);
    this.hashHigh[entry] = high;
    this.hashLow[entry] = low;
    this.slotEntries[slot] = entry + 1;
    this.used += 1;
    this.onNewEntry(entry);
    if (this.used * 2 > this.slotCount) this.grow();
    return entry;
  }

  /** Forgets `key`; its entry is handed out again later. */
  delete(key: string): void {
    const [high, low] = fnv1a64(key);
    let hole = this.slotOf(high, low);
    const stored = this.slotEntries[hole] ?? 0;
    if (stored === 0) return;
    this.freeEntries.push(stored - 1);
    this.used -= 1;
    // Backward-shift deletion (linear probing, no tombstones): a key later in the run moves into the
    // hole unless its home slot lies cyclically after the hole, where a lookup would then miss it.
    const mask = this.slotCount - 1;
    for (let next = (hole + 1) & mask; (this.slotEntries[next] ?? 0) !== 0; next = (next + 1) & mask) {
      const home = this.homeSlotOfEntry((this.slotEntries[next] ?? 0) - 1);
      const staysPut = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (staysPut) continue;
      this.slotEntries[hole] = this.slotEntries[next] ?? 0;
      hole = next;
    }
    this.slotEntries[hole] = 0;
  }

  /** Every entry held, in no particular order. */
  *entries(): Generator<number> {
    for (const stored of this.slotEntries) if (stored !== 0) yield stored - 1;
  }

  private homeSlot(high: number, low: number): number {
    return (low ^ high) & (this.slotCount - 1);
  }

  private homeSlotOfEntry(entry: number): number {
    return this.homeSlot(this.hashHigh[entry] ?? 0, this.hashLow[entry] ?? 0);
  }

  /** Linear probing: the slot holding this hash, or the empty slot where it belongs. */
  private slotOf(high: number, low: number): number {
    const mask = this.slotCount - 1;
    for (let slot = this.homeSlot(high, low); ; slot = (slot + 1) & mask) {
      const stored = this.slotEntries[slot] ?? 0;
      if (stored === 0 || (this.hashHigh[stored - 1] === high && this.hashLow[stored - 1] === low)) return slot;
    }
  }

  private grow(): void {
    const entries = this.slotEntries;
    this.slotCount *= 2;
    this.slotEntries = new Uint32Array(this.slotCount);
    const mask = this.slotCount - 1;
    for (const stored of entries) {
      if (stored === 0) continue;
      let slot = this.homeSlotOfEntry(stored - 1);
      while ((this.slotEntries[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      this.slotEntries[slot] = stored;
    }
  }
}

type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** `column`, or a copy at least `length` long (doubling, so appending one at a time stays cheap). */
export function withLength<C extends Column>(column: C, length: number): C {
  if (length <= column.length) return column;
  const Kind = column.constructor as new (length: number) => C;
  const grown = new Kind(Math.max(length, column.length * 2));
  grown.set(column);
  return grown;
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
