/**
 * The fake's time: the injected clock (the system's, or a test's ManualClock) plus an offset that
 * `POST /__fake/clock` moves, so a test over HTTP can reach "tomorrow" (the registrant's daily adds
 * back, tokens expired) without waiting. Only forward: rolling windows, daily counters and token
 * expiry all assume time never goes back, as it does not at Zoom.
 */
import { ConfigError } from "../errors.js";
import type { Clock } from "../shared/clock.js";

export class MovableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return this.base.sleep(delayMs, signal);
  }

  /** How far this clock runs ahead of the injected one. */
  get aheadMs(): number {
    return this.offsetMs;
  }

  advance(deltaMs: number): void {
    if (!Number.isFinite(deltaMs) || deltaMs < 0) throw new ConfigError(`advanceMs ${deltaMs}: expected a non-negative number of milliseconds`);
    this.offsetMs += deltaMs;
  }

  /** Jumps to `epochMs`, which must not be in the past. */
  setTo(epochMs: number): void {
    const nowMs = this.now();
    if (!Number.isFinite(epochMs)) throw new ConfigError("setIso: expected an ISO-8601 time such as 2030-01-16T00:00:00Z");
    if (epochMs < nowMs) throw new ConfigError(`setIso ${new Date(epochMs).toISOString()}: the fake's clock only moves forward (now ${new Date(nowMs).toISOString()})`);
    this.offsetMs += epochMs - nowMs;
  }
}
