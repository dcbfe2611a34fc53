/**
 * Rows finish out of order (workers run in parallel); the output is written in input order so that a
 * re-run produces the same file byte for byte. Only rows behind the oldest unfinished one are held,
 * and the reader waits for `room` before reading more, so one slow row never makes the buffer grow
 * with the file (issue 11: a re-run behind one slow row held the rest of a 400,000-row file).
 */
export class ReorderBuffer<T> {
  private readonly waiting = new Map<number, T>();
  private nextSeq = 0;
  private roomWaiters: { maxHeld: number; resolve: () => void }[] = [];

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
    this.wakeRoomWaiters();
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0) return;
    const stillWaiting = this.roomWaiters.filter((waiter) => this.waiting.size >= waiter.maxHeld);
    for (const waiter of this.roomWaiters) if (!stillWaiting.includes(waiter)) waiter.resolve();
    this.roomWaiters = stillWaiting;
  }

  /** Writes whatever is still held, in order, skipping the sequence numbers that never finished. */
  flushAll(): void {
    for (const seq of [...this.waiting.keys()].sort((a, b) => a - b)) {
      const value = this.waiting.get(seq);
      if (value !== undefined) this.emit(value);
    }
    this.waiting.clear();
    this.wakeRoomWaiters();
  }

  get held(): number {
    return this.waiting.size;
  }

  /** Resolves once fewer than `maxHeld` values wait for an earlier one (at once when that is so now), or `signal` aborts. */
  room(maxHeld: number, signal?: AbortSignal): Promise<void> {
    if (this.waiting.size < maxHeld || signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onAbort = (): void => {
        this.roomWaiters = this.roomWaiters.filter((other) => other !== waiter);
        resolve();
      };
      const waiter = {
        maxHeld,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.roomWaiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
