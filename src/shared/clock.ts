/**
 * Time is injected everywhere it matters (token expiry, rate gate, backoff), so tests move a fake
 * clock instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `delayMs`, or rejects with the signal's reason when it aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (delayMs, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, delayMs));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** A clock for tests: time moves only when `advance` is called, and sleepers wake in order. */
export class ManualClock implements Clock {
  private sleepers: { wakeAtMs: number; resolve: () => void }[] = [];
  constructor(private nowMs = 0) {}
  now(): number {
    return this.nowMs;
  }
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const sleeper = { wakeAtMs: this.nowMs + Math.max(0, delayMs), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }
  /** Moves time forward, waking every sleeper whose time has come, with microtasks run in between. */
  async advance(deltaMs: number): Promise<void> {
    const target = this.nowMs + deltaMs;
    for (;;) {
      await Promise.resolve();
      const due = this.sleepers.filter((s) => s.wakeAtMs <= target).sort((a, b) => a.wakeAtMs - b.wakeAtMs)[0];
      if (due === undefined) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.nowMs = Math.max(this.nowMs, due.wakeAtMs);
      due.resolve();
      // Let the woken task run (and maybe sleep again) before looking for the next sleeper.
      for (let i = 0; i < 10; i += 1) await Promise.resolve();
    }
    this.nowMs = target;
    await Promise.resolve();
  }
  get pendingSleepers(): number {
    return this.sleepers.length;
  }
  /** When the earliest sleeper wakes (epoch ms), or undefined when nobody sleeps. */
  get nextWakeAtMs(): number | undefined {
    return this.sleepers.reduce<number | undefined>((earliest, sleeper) => (earliest === undefined ? sleeper.wakeAtMs : Math.min(earliest, sleeper.wakeAtMs)), undefined);
  }
}
