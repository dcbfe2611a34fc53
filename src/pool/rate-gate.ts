import type { Clock } from "../shared/clock.js";

/**
 * Paces attempts: every attempt first waits for a permit. Zoom's limits are per second and per account
 * (docs/zoom-facts.md, "Rate limits"), and a 429 on one request means every request is over
 * the limit, so a pause applies to everyone waiting.
 */
export interface RateGate {
  /**
   * Resolves when a permit is granted: `retry` acquisitions before `normal` ones, each in the order the
   * calls were made. Rejects with the signal's reason when `signal` aborts first; an aborted waiter takes
   * no permit.
   */
  acquire(signal?: AbortSignal, options?: { priority?: AcquirePriority }): Promise<void>;
  /** No permit is granted before `epochMs`. A later pause extends the current one; an earlier one is ignored. */
  pauseUntil(epochMs: number): void;
  /** Changes the rate from now on (any number above 0); waiting acquisitions are re-evaluated at once. */
  setRate(ratePerSecond: number): void;
  stats(): RateGateStats;
}

/**
 * `retry`: an item that already had an attempt. It goes ahead of items not yet started, so a row that
 * met a 429 or a 5xx is not stuck behind the rest of the input while it holds a pool slot.
 */
export type AcquirePriority = "retry" | "normal";

/**
 * `burst`: a window's permits may go at once. `even`: one permit every window / rate, so that requests
 * that reach the server later than others (a cold connection, a busy loop) cannot fall into one of
 * its seconds with the next window's (the start-up 429s of issue 10 came from such bursts).
 */
export type RateGateSpacing = "burst" | "even";

export interface RateGateStats {
  /** Permits granted since the gate was made. */
  grantedTotal: number;
  /** Acquisitions waiting now. */
  waiting: number;
  ratePerSecond: number;
  /** End of the current pause (epoch ms), or undefined when not paused. */
  pausedUntilMs: number | undefined;
}

/** The rolling window a whole-number rate is counted over. */
const baseWindowMs = 1000;
/** setTimeout's resolution: no wait is shorter. */
const timerTickMs = 1;
/** How late a timer may wake a sub-tick `even` gate without its schedule restarting (a few ticks). */
const evenCatchUpMs = 5;

interface Waiter {
  resolve: () => void;
  reject: (reason: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A sliding-window log limiter (p-queue's `strict` mode): at most `ratePerSecond` permits in ANY rolling
 * 1000 ms window. A fixed window allows 2× the rate across a window edge, which a hard per-second limit
 * like Zoom's answers with 429s.
 *
 * A fractional rate r (an adaptive pacer's 28.5/s) grants ceil(r) permits per rolling window of
 * 1000 × ceil(r) / r ms: the long-run rate is exactly r, and since that window is never shorter than
 * 1000 ms, no rolling second ever holds more than ceil(r) permits. (A window shorter than a second
 * would let two of its bursts fall into one of the server's seconds.)
 */
export class SlidingWindowRateGate implements RateGate {
  private ratePerSecond: number;
  private readonly clock: Clock;
  /** Grant times (epoch ms) still inside the window, oldest first; seeded with requests made before the gate. */
  private grantTimesMs: number[];
  /** Retries first, each lane in call order. */
  private readonly lanes: Record<AcquirePriority, Waiter[]> = { retry: [], normal: [] };
  private pausedUntilMs = Number.NEGATIVE_INFINITY;
  private grantedTotal = 0;
  private running = false;
  /** Aborting it cuts the current wait short, so the loop looks again (new rate, nobody left waiting). */
  private wake: AbortController | undefined;

  private readonly spacing: RateGateSpacing;
  /** Added to the rolling second the rate is counted over (see the constructor's option). */
  private readonly windowMarginMs: number;
  /** `even`, for an interval shorter than a timer tick: when the next permit is due on its schedule. */
  private evenDueAtMs: number;

  /**
   * `windowMarginMs`: the rate is counted over a second this much longer. The server counts its second
   * where requests arrive, not where their permits were granted; evenly spaced permits at the full rate
   * put the limit's requests exactly a second apart, so a request that arrives a few ms late puts one
   * too many in the server's second. The margin is that lateness allowed for, at margin/1000 of the rate.
   */
  constructor(options: { ratePerSecond: number; clock: Clock; spacing?: RateGateSpacing; grantedAtMs?: readonly number[]; windowMarginMs?: number }) {
    assertRate(options.ratePerSecond);
    this.ratePerSecond = options.ratePerSecond;
    this.clock = options.clock;
    this.spacing = options.spacing ?? "burst";
    this.windowMarginMs = options.windowMarginMs ?? 0;
    this.grantTimesMs = [...(options.grantedAtMs ?? [])].sort((a, b) => a - b);
    this.evenDueAtMs = this.lastGrantMs() + this.evenIntervalMs();
  }

  acquire(signal?: AbortSignal, options?: { priority?: AcquirePriority }): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    // Fast path only when nobody waits: otherwise a newcomer would overtake the queue (FIFO).
    if (this.waitingCount() === 0 && this.delayUntilNextPermitMs() <= 0) {
      this.grant();
      return Promise.resolve();
    }
    const lane = this.lanes[options?.priority ?? "normal"];
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = lane.indexOf(waiter);
          if (index !== -1) lane.splice(index, 1);
          // Nobody left: end the wait now rather than hold a timer (and the process) until it fires.
          if (this.waitingCount() === 0) this.wake?.abort();
          reject(signal?.reason as Error);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      lane.push(waiter);
      this.ensureRunning();
    });
  }

  pauseUntil(epochMs: number): void {
    // No need to wake the loop: a wait that ends before the pause simply waits again.
    this.pausedUntilMs = Math.max(this.pausedUntilMs, epochMs);
  }

  setRate(ratePerSecond: number): void {
    assertRate(ratePerSecond);
    this.ratePerSecond = ratePerSecond;
    // The new spacing applies from the last grant, to the permit already waiting too.
    this.evenDueAtMs = this.lastGrantMs() + this.evenIntervalMs();
    this.wake?.abort();
  }

  stats(): RateGateStats {
    return {
      grantedTotal: this.grantedTotal,
      waiting: this.waitingCount(),
      ratePerSecond: this.ratePerSecond,
      pausedUntilMs: this.pausedUntilMs > this.clock.now() ? this.pausedUntilMs : undefined,
    };
  }

  /** 0 when a permit is free now, else how long until one is. */
  private delayUntilNextPermitMs(): number {
    const nowMs = this.clock.now();
    if (this.pausedUntilMs > nowMs) return this.pausedUntilMs - nowMs;
    const permitsPerWindow = Math.ceil(this.ratePerSecond);
    const windowMs = ((baseWindowMs + this.windowMarginMs) * permitsPerWindow) / this.ratePerSecond;
    while (this.grantTimesMs.length > 0 && (this.grantTimesMs[0] ?? nowMs) <= nowMs - windowMs) {
      this.grantTimesMs.shift();
    }
    const spacingDelayMs = this.spacing === "even" ? this.evenDelayMs(nowMs) : 0;
    if (this.grantTimesMs.length < permitsPerWindow) return Math.max(0, spacingDelayMs);
    // The window holds `permitsPerWindow` grants at least: the next permit frees when the grant that is
    // `permitsPerWindow` back from the newest leaves the window (after a lowered rate, not the oldest).
    const blockingMs = this.grantTimesMs[this.grantTimesMs.length - permitsPerWindow] ?? nowMs;
    return Math.max(blockingMs + windowMs - nowMs, spacingDelayMs);
  }

  private waitingCount(): number {
    return this.lanes.retry.length + this.lanes.normal.length;
  }

  private grant(): void {
    const nowMs = this.clock.now();
    this.grantTimesMs.push(nowMs);
    this.grantedTotal += 1;
    // A sub-tick schedule keeps its times up to `evenCatchUpMs` late; after a longer idle time it
    // restarts from now, so permits saved up while nobody asked never go out as a burst.
    const onSchedule = nowMs - this.evenDueAtMs <= evenCatchUpMs;
    this.evenDueAtMs = (onSchedule ? this.evenDueAtMs : nowMs) + this.evenIntervalMs();
  }

  /**
   * How long until the next `even` permit. The gap counts from the last grant, so a timer that fires
   * late slows the gate down a little: at Zoom's rates (33 ms and more) that lateness is slack against
   * jitter in arrival times (issue 10). An interval shorter than a timer tick keeps a schedule instead
   * (see `grant`): a gap from each grant made every permit wait a whole tick (--rate 10000 gave ~900
   * a second).
   */
  private evenDelayMs(nowMs: number): number {
    const intervalMs = this.evenIntervalMs();
    return (intervalMs < timerTickMs ? this.evenDueAtMs : this.lastGrantMs() + intervalMs) - nowMs;
  }

  private lastGrantMs(): number {
    return this.grantTimesMs.at(-1) ?? Number.NEGATIVE_INFINITY;
  }

  /** The gap between permits under `even` spacing: the window over its permits, 1000 / rate ms. */
  private evenIntervalMs(): number {
    const permitsPerWindow = Math.ceil(this.ratePerSecond);
    return ((baseWindowMs + this.windowMarginMs) * permitsPerWindow) / this.ratePerSecond / permitsPerWindow;
  }

  private ensureRunning(): void {
    if (this.running) return;
    this.run().catch((error: unknown) => {
      // Only a broken clock gets here: fail the waiters instead of leaving them hanging.
      for (const waiter of [...this.lanes.retry.splice(0), ...this.lanes.normal.splice(0)]) {
        waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** One loop serves the queue in order; it ends when nobody waits. */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waitingCount() > 0) {
        const delayMs = this.delayUntilNextPermitMs();
        if (delayMs <= 0) {
          const waiter = this.lanes.retry.shift() ?? this.lanes.normal.shift();
          if (waiter === undefined) break;
          waiter.signal?.removeEventListener("abort", waiter.onAbort);
          this.grant();
          waiter.resolve();
          continue;
        }
        const wake = new AbortController();
        this.wake = wake;
        await this.clock.sleep(delayMs, wake.signal).catch(() => undefined);
        this.wake = undefined;
      }
    } finally {
      this.running = false;
    }
  }
}

function assertRate(ratePerSecond: number): void {
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`ratePerSecond must be a number above 0, got ${ratePerSecond}`);
  }
}
