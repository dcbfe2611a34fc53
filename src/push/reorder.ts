/**
 * Rows finish out of order (workers run in parallel); the output is written in input order so that a
 * re-run produces the same file byte for byte. Only rows behind the oldest unfinished one are held,
 * and the pool never has more than a few times its concurrency in flight, so memory stays small.
 */
export class ReorderBuffer<T> {
  private readonly waiting = new Map<number, T>();
  private nextSeq = 0;

  constructor(private readonly emit: (value: T) => void) {}

  /** Hands over the value of sequence number `seq` (0-based, each exactly once). */
  put(seq: number, value: T): void {
    if (seq !== this.nextSeq) {
      this.waiting.set(seq, value);
      return;
    }
    this.emit(value);
    this.nextSeq += 1;
    for (let held = this.waiting.get(this.nextSeq); held !== undefined; held = this.waiting.get(this.nextSeq)) {
      this.waiting.delete(this.nextSeq);
      this.emit(held);
      this.nextSeq += 1;
    }
  }

  /** Writes whatever is still held, in order, skipping the sequence numbers that never finished. */
  flushAll(): void {
    for (const seq of [...this.waiting.keys()].sort((a, b) => a - b)) {
      const value = this.waiting.get(seq);
      if (value !== undefined) this.emit(value);
    }
    this.waiting.clear();
  }

  get held(): number {
    return this.waiting.size;
  }
}
