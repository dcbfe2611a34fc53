import type { Clock } from "../shared/clock.js";

/**
 * Pacing that learns: the rate a pool may send at, moved by what the server says. Zoom's limits are per
 * account and per label (Light 30/s on Pro, 80/s on Business), shared by every app on the account, so
 * the rate that works is not known in advance (docs/zoom-facts.md, "Rate limits").
 *
 * **Algorithm: AIMD that remembers where it failed** (TCP congestion control's shape, CUBIC's memory,
 * applied to a request rate).
 * - Start at the configured rate (`--rate` or a plan preset): the {@link PacerOptions.ceilingPerSecond},
 *   which the rate never exceeds. Never go below the floor (default 1/s): at 0 nothing is learned again.
 * - **Multiplicative decrease ×0.7** on a per-second 429 ({@link PacerTuning.decreaseFactor}, CUBIC's β,
 *   RFC 9438): one step removes a plan preset's overshoot (40 → 28 for a 30/s account), and a 429 storm
 *   caused by another app on the account reaches the floor in a few windows, not dozens.
 * - **Once per burst**: every request already sent at the old rate can come back 429; counting each
 *   would crash the rate to the floor. A 429 counts only when its attempt started after the last
 *   decrease (it was sent at the new rate, so the new rate is still too fast) and at least one window
 *   ({@link PacerTuning.sameBurstMs}, 1000 ms: Zoom's limits are per second) after it. Without a start
 *   time, that window is widened by the observed latency, the time the old burst's answers take.
 * - **Settle just below the rate that failed**: a counted 429 caps the rate at 97% of the rate its
 *   attempt was sent at ({@link PacerTuning.settleFactor}) for 60 s ({@link PacerTuning.settleHoldMs}):
 *   the rate when the answer arrives is higher when the climb went on for a latency's worth. Plain
 *   AIMD climbs back over the limit and is cut again every few seconds (a saw-tooth averaging ~85% of the
 *   limit, with 429s in every tooth); the cap makes the climb end in a plateau under the limit. 3% is
 *   about one request a second at 30/s; if 429s still come at the cap (arrival jitter, another app),
 *   each one lowers the cap 3% more, so it converges on a rate that gets none.
 * - **Recovery**: below the cap, the rate climbs back exponentially, halving its distance to the cap
 *   each second ({@link PacerTuning.recoveryHalfLifeMs}), at least +1/s per second: the cap is known to
 *   be just under the limit, so the dip after a decrease costs ~1.5 s of the lost rate, not the ~8 s a
 *   +1/s climb from 0.7 × 30 would.
 * - **Additive increase** above the cap: +1 request/s per second of clean operation
 *   ({@link PacerTuning.increasePerSecondPerSecond}) up to the ceiling, once the cap has lapsed (60 s
 *   after the last counted 429). Slow on purpose: past the cap the limit is unknown and growing fast
 *   would overshoot it with a burst of 429s. The lapse lets a rate freed by another app be found again;
 *   one probe a minute costs a handful of 429s out of ~1,800 requests at 30/s.
 * - **Limit hints**: when the server reports its per-second limit (`X-RateLimit-Limit`), the ceiling
 *   becomes that limit ({@link PacerTuning.limitHintShare}) and a rate above it drops to it at once,
 *   with no 429 needed: a `--plan business` run on a Pro account loses no second to finding out. The
 *   margin below the limit is left to the settle cap, learned from 429s: a fixed 97% of the reported
 *   limit cost 2.6 points of Light share in `npm run bench` (95.6% against 98.2-98.7% steady, 0 steady
 *   429s either way). A reported `remaining` of 0 means the server's current second is full: no
 *   growth is credited for the time before it.
 *
 * The pacer is a pure state machine over events and an injected clock: it sleeps and sends nothing.
 */
export interface Pacer {
  /** The rate to pace at now, in requests per second. */
  readonly ratePerSecond: number;
  /** Smoothed latency of served attempts, or undefined before the first one. */
  readonly latencyMs: number | undefined;
  /** An attempt the server served (a 2xx, or a 4xx that is the row's fault), after `latencyMs`. */
  success(latencyMs: number): void;
  /**
   * A per-second 429. `startedAtMs` (epoch ms) is when the attempt was sent: it tells a 429 from the
   * burst already answered by a decrease from a new one.
   */
  throttled(attempt?: { startedAtMs: number }): void;
  /** What the server said of its per-second limit (`X-RateLimit-Limit` / `X-RateLimit-Remaining`). */
  limitHint(hint: LimitHint): void;
  stats(): PacerStats;
}

export interface LimitHint {
  /** The server's per-second limit for the requests being paced. Not a daily limit. */
  limit?: number;
  /** Requests left in the server's current window. */
  remaining?: number;
}

export interface PacerStats {
  ratePerSecond: number;
  /** The lowest of the configured ceiling, the learned cap and the limit hint, now. */
  ceilingPerSecond: number;
  /** {@link PacerTuning.settleFactor} × the rate the last counted 429 was sent at, while it holds. */
  settleCapPerSecond: number | undefined;
  latencyMs: number | undefined;
  /** Counted 429s (one per burst) and limit hints that lowered the rate. */
  decreases: number;
}

export interface PacerTuning {
  decreaseFactor: number;
  increasePerSecondPerSecond: number;
  settleFactor: number;
  settleHoldMs: number;
  recoveryHalfLifeMs: number;
  limitHintShare: number;
  /** One decrease at most per this long, and old-burst 429s arrive within it (plus latency). */
  sameBurstMs: number;
  /** Weight of a new latency sample in the average (RFC 6298's α for SRTT). */
  latencySmoothing: number;
}

/** The constants of the algorithm above, and why each. */
export const defaultPacerTuning: Readonly<PacerTuning> = Object.freeze({
  decreaseFactor: 0.7,
  increasePerSecondPerSecond: 1,
  settleFactor: 0.97,
  settleHoldMs: 60_000,
  recoveryHalfLifeMs: 1000,
  limitHintShare: 1,
  sameBurstMs: 1000,
  latencySmoothing: 1 / 8,
});

export interface PacerOptions {
  /** The configured rate (`--rate` or the plan preset for the label): the start and the upper bound. */
  ceilingPerSecond: number;
  /** The lowest rate it falls to; default 1. */
  floorPerSecond?: number;
  /** Default: the ceiling. */
  initialPerSecond?: number;
  clock: Pick<Clock, "now">;
  tuning?: Partial<PacerTuning>;
}

export class AimdPacer implements Pacer {
  private rate: number;
  private readonly ceiling: number;
  private readonly floor: number;
  private readonly clock: Pick<Clock, "now">;
  private readonly tuning: PacerTuning;
  /** From the last limit hint: limitHintShare × limit. */
  private hintCeiling = Number.POSITIVE_INFINITY;
  private settleCap: { ratePerSecond: number; untilMs: number } | undefined;
  private lastDecreaseAtMs = Number.NEGATIVE_INFINITY;
  /** Growth is credited for the time since this instant. */
  private growthFromMs: number;
  private smoothedLatencyMs: number | undefined;
  private decreases = 0;
  /**
   * Every rate since {@link historyMs} ago (and the one in effect then), oldest first: the rate a 429's
   * attempt was sent at. Between decreases the rate only climbs, so this holds one climb at most.
   */
  private history: { atMs: number; ratePerSecond: number }[];

  constructor(options: PacerOptions) {
    const floor = options.floorPerSecond ?? 1;
    assertPositive("ceilingPerSecond", options.ceilingPerSecond);
    assertPositive("floorPerSecond", floor);
    if (floor > options.ceilingPerSecond) {
      throw new RangeError(`floorPerSecond ${floor} is above ceilingPerSecond ${options.ceilingPerSecond}`);
    }
    this.ceiling = options.ceilingPerSecond;
    this.floor = floor;
    this.clock = options.clock;
    this.tuning = { ...defaultPacerTuning, ...options.tuning };
    const initial = options.initialPerSecond ?? options.ceilingPerSecond;
    assertPositive("initialPerSecond", initial);
    this.rate = clamp(initial, floor, options.ceilingPerSecond);
    this.growthFromMs = options.clock.now();
    this.history = [{ atMs: this.growthFromMs, ratePerSecond: this.rate }];
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  get latencyMs(): number | undefined {
    return this.smoothedLatencyMs;
  }

  success(latencyMs: number): void {
    if (Number.isFinite(latencyMs) && latencyMs >= 0) {
      const alpha = this.tuning.latencySmoothing;
      this.smoothedLatencyMs =
        this.smoothedLatencyMs === undefined ? latencyMs : (1 - alpha) * this.smoothedLatencyMs + alpha * latencyMs;
    }
    this.grow(this.clock.now());
  }

  throttled(attempt?: { startedAtMs: number }): void {
    const nowMs = this.clock.now();
    if (this.isSameBurst(nowMs, attempt?.startedAtMs)) return;
    const sentAtRate = attempt === undefined ? this.rate : this.rateAt(attempt.startedAtMs);
    this.settleCap = {
      ratePerSecond: Math.max(this.floor, sentAtRate * this.tuning.settleFactor),
      untilMs: nowMs + this.tuning.settleHoldMs,
    };
    this.decreaseTo(this.rate * this.tuning.decreaseFactor, nowMs);
  }

  limitHint(hint: LimitHint): void {
    const nowMs = this.clock.now();
    if (hint.limit !== undefined && Number.isFinite(hint.limit) && hint.limit > 0) {
      this.hintCeiling = hint.limit * this.tuning.limitHintShare;
      if (this.rate > this.ceilingAt(nowMs)) this.decreaseTo(this.ceilingAt(nowMs), nowMs);
    }
    // The server's window is full: any growth now would be the next 429.
    if (hint.remaining !== undefined && hint.remaining <= 0) this.growthFromMs = nowMs;
  }

  stats(): PacerStats {
    const nowMs = this.clock.now();
    return {
      ratePerSecond: this.rate,
      ceilingPerSecond: this.ceilingAt(nowMs),
      settleCapPerSecond: this.activeSettleCap(nowMs),
      latencyMs: this.smoothedLatencyMs,
      decreases: this.decreases,
    };
  }

  private isSameBurst(nowMs: number, startedAtMs: number | undefined): boolean {
    if (startedAtMs !== undefined && startedAtMs <= this.lastDecreaseAtMs) return true;
    const answersLagMs = startedAtMs === undefined ? (this.smoothedLatencyMs ?? 0) : 0;
    return nowMs < this.lastDecreaseAtMs + this.tuning.sameBurstMs + answersLagMs;
  }

  private decreaseTo(ratePerSecond: number, nowMs: number): void {
    this.setRate(Math.max(this.floor, ratePerSecond), nowMs);
    this.lastDecreaseAtMs = nowMs;
    this.growthFromMs = nowMs;
    this.decreases += 1;
  }

  private setRate(ratePerSecond: number, nowMs: number): void {
    if (ratePerSecond === this.rate) return;
    this.rate = ratePerSecond;
    this.history.push({ atMs: nowMs, ratePerSecond });
    while ((this.history[1]?.atMs ?? nowMs) <= nowMs - historyMs) this.history.shift();
  }

  private rateAt(atMs: number): number {
    for (let index = this.history.length - 1; index > 0; index -= 1) {
      const entry = this.history[index];
      if (entry !== undefined && entry.atMs <= atMs) return entry.ratePerSecond;
    }
    return this.history[0]?.ratePerSecond ?? this.rate;
  }

  private grow(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.growthFromMs);
    this.growthFromMs = nowMs;
    const ceiling = this.ceilingAt(nowMs);
    if (this.rate >= ceiling) return;
    const additive = this.rate + (this.tuning.increasePerSecondPerSecond * elapsedMs) / 1000;
    const cap = this.activeSettleCap(nowMs);
    // Exact for any spacing of events: the distance to the cap halves every recoveryHalfLifeMs.
    const recovered =
      cap === undefined || this.rate >= cap
        ? this.rate
        : cap - (cap - this.rate) * 2 ** (-elapsedMs / this.tuning.recoveryHalfLifeMs);
    this.setRate(Math.min(ceiling, Math.max(additive, recovered)), nowMs);
  }

  private ceilingAt(nowMs: number): number {
    const capped = Math.min(this.ceiling, this.hintCeiling, this.activeSettleCap(nowMs) ?? Number.POSITIVE_INFINITY);
    return Math.max(this.floor, capped);
  }

  private activeSettleCap(nowMs: number): number | undefined {
    const cap = this.settleCap;
    return cap !== undefined && nowMs < cap.untilMs ? cap.ratePerSecond : undefined;
  }
}

/** Longer than any attempt should take: a 429 that slow is answered with the oldest rate kept. */
const historyMs = 30_000;

/** How many requests to keep in flight; see {@link concurrencyFor}. */
export interface ConcurrencyBounds {
  minConcurrency: number;
  maxConcurrency: number;
  /** Multiplier over Little's law; default {@link concurrencyHeadroom}. */
  headroom?: number;
}

/**
 * 1.5: Little's law gives the mean number in flight, but latency varies around its average, and a
 * pipeline sized exactly to the mean stalls whenever a few slow answers hold their slots. 50% more
 * covers a latency spread like Zoom's (100-300 ms) while keeping the pool the gate's to pace, not
 * flooding the server with a burst whenever a window opens.
 */
export const concurrencyHeadroom = 1.5;

/**
 * Requests in flight needed to sustain `ratePerSecond` when each takes `latencyMs`: Little's law
 * (L = λW), times a headroom, rounded up and clamped to `[minConcurrency, maxConcurrency]`. A slow
 * server gets more requests in flight so the rate is reached; a fast one gets few, so it is not flooded.
 */
export function concurrencyFor(ratePerSecond: number, latencyMs: number, bounds: ConcurrencyBounds): number {
  const { minConcurrency, maxConcurrency } = bounds;
  if (!Number.isInteger(minConcurrency) || minConcurrency < 1 || !Number.isInteger(maxConcurrency)) {
    throw new RangeError(`concurrency bounds must be whole numbers of at least 1, got ${minConcurrency}..${maxConcurrency}`);
  }
  if (maxConcurrency < minConcurrency) {
    throw new RangeError(`maxConcurrency ${maxConcurrency} is below minConcurrency ${minConcurrency}`);
  }
  const headroom = bounds.headroom ?? concurrencyHeadroom;
  const needed = Math.ceil((ratePerSecond * Math.max(0, latencyMs) * headroom) / 1000);
  return clamp(Number.isFinite(needed) ? needed : maxConcurrency, minConcurrency, maxConcurrency);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a number above 0, got ${value}`);
}
