import type { Clock } from "../../src/shared/clock.js";

/**
 * A clock whose every sleep ends at once and moves time on by its length: for code that waits between
 * retries, when a test cares about what was waited, not about what runs meanwhile.
 */
export class SkippingClock implements Clock {
  /** Each sleep's length, in order. */
  readonly sleptMs: number[] = [];
  constructor(private nowMs = 0) {}
  now(): number {
    return this.nowMs;
  }
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    this.sleptMs.push(delayMs);
    this.nowMs += Math.max(0, delayMs);
    return Promise.resolve();
  }
}
