import { describe, expect, it } from "vitest";
import type { LimitHint, Pacer, PacerStats } from "../../../src/pool/pacer.js";
import { SlidingWindowRateGate } from "../../../src/pool/rate-gate.js";
import { runPool } from "../../../src/pool/run-pool.js";
import type { PacingOptions, PoolOptions, PoolResult, RetryEvent, WorkerContext } from "../../../src/pool/run-pool.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { advance, classify, flush, retry, ThrottledError, track, TransientError } from "./helpers.js";

class HintedError extends Error {
  constructor(readonly hint: LimitHint) {
    super("400");
  }
}

/** A pacer that records what it is told; a 429 halves its rate, a hint's limit becomes its rate. */
class RecordingPacer implements Pacer {
  readonly events: string[] = [];
  latencyMs: number | undefined;
  constructor(public ratePerSecond: number) {}
  success(latencyMs: number): void {
    this.events.push(`success ${latencyMs} ms`);
    this.latencyMs = latencyMs;
  }
  throttled(attempt?: { startedAtMs: number }): void {
    this.events.push(`throttled, started at ${attempt?.startedAtMs}`);
    this.ratePerSecond /= 2;
  }
  limitHint(hint: LimitHint): void {
    this.events.push(`hint ${JSON.stringify(hint)}`);
    if (hint.limit !== undefined) this.ratePerSecond = hint.limit;
  }
  stats(): PacerStats {
    const { ratePerSecond, latencyMs } = this;
    return { ratePerSecond, ceilingPerSecond: ratePerSecond, settleCapPerSecond: undefined, latencyMs, decreases: 0 };
  }
}

function setup<T>(
  pacing: Partial<PacingOptions> & { pacer: Pacer },
  overrides: Partial<PoolOptions<T>> = {},
): { clock: ManualClock; gate: SlidingWindowRateGate; options: PoolOptions<T> } {
  const clock = new ManualClock(0);
  const gate = new SlidingWindowRateGate({ ratePerSecond: 1000, clock });
  const options: PoolOptions<T> = {
    concurrency: 2,
    gate,
    classify,
    retry,
    clock,
    random: () => 0.5,
    pacing: { minConcurrency: 1, maxConcurrency: 50, ...pacing },
    ...overrides,
  };
  return { clock, gate, options };
}

async function drain<T, R>(pool: AsyncIterable<PoolResult<T, R>>, clock: ManualClock): Promise<PoolResult<T, R>[]> {
  const results: PoolResult<T, R>[] = [];
  const consuming = (async () => {
    for await (const result of pool) results.push(result);
  })();
  const consumed = track(consuming);
  for (let step = 0; consumed.state === "pending" && step < 2000; step += 1) await advance(clock, 10);
  await consuming;
  return results;
}

describe("runPool with pacing", () => {
  it("sets the gate to the pacer's rate before the first attempt", async () => {
    const pacer = new RecordingPacer(7);
    const { clock, gate, options } = setup<number>({ pacer });
    await drain(runPool([1], (n) => Promise.resolve(n), options), clock);
    expect(gate.stats().ratePerSecond).toBe(7);
  });

  it("tells the pacer each served attempt's latency, a final failure's included", async () => {
    const pacer = new RecordingPacer(100);
    const { clock, options } = setup<number>({ pacer });
    const worker = async (n: number): Promise<number> => {
      await clock.sleep(n);
      if (n === 300) throw new Error("400 code 300: invalid email");
      return n;
    };
    await drain(runPool([200, 300], worker, options), clock);
    expect(pacer.events.sort()).toEqual(["success 200 ms", "success 300 ms"]);
  });

  it("tells the pacer nothing of a transient failure", async () => {
    const pacer = new RecordingPacer(100);
    const { clock, options } = setup<number>({ pacer }, { retry: { ...retry, maxRetries: 0 } });
    await drain(runPool([1], () => Promise.reject(new TransientError("502")), options), clock);
    expect(pacer.events).toEqual([]);
  });

  it("tells the pacer of a 429 with the time its attempt started, and follows the lowered rate", async () => {
    const pacer = new RecordingPacer(100);
    const { clock, gate, options } = setup<string>({ pacer });
    const worker = async (_item: string, ctx: WorkerContext): Promise<string> => {
      await clock.sleep(150);
      if (ctx.attempt === 1) throw new ThrottledError();
      return "ok";
    };
    await drain(runPool(["a"], worker, options), clock);
    expect(pacer.events).toEqual(["throttled, started at 0", "success 150 ms"]);
    expect(gate.stats().ratePerSecond).toBe(50);
  });

  it("retries a per-second 429 at the next permit instead of pausing the pool", async () => {
    const events: RetryEvent<string>[] = [];
    const { clock, gate, options } = setup<string>(
      { pacer: new RecordingPacer(100) },
      { onRetry: (event) => events.push(event) },
    );
    const callTimesMs: number[] = [];
    const worker = (_item: string, ctx: WorkerContext): Promise<string> => {
      callTimesMs.push(clock.now());
      return ctx.attempt === 1 ? Promise.reject(new ThrottledError()) : Promise.resolve("ok");
    };
    await drain(runPool(["a"], worker, options), clock);
    expect(callTimesMs).toEqual([0, 0]);
    expect(events.map((e) => [e.delayMs, e.pausePool, e.counts])).toEqual([[0, false, "throttled"]]);
    expect(gate.stats().pausedUntilMs).toBeUndefined();
  });

  it("still pauses the pool until the time a 429 asked for", async () => {
    const { clock, options } = setup<string>({ pacer: new RecordingPacer(100) });
    const callTimesMs: number[] = [];
    const worker = (_item: string, ctx: WorkerContext): Promise<string> => {
      callTimesMs.push(clock.now());
      return ctx.attempt === 1 ? Promise.reject(new ThrottledError(3000)) : Promise.resolve("ok");
    };
    await drain(runPool(["a"], worker, options), clock);
    expect(callTimesMs).toEqual([0, 3000]);
  });

  it("passes the limit hints read off values and errors to the pacer, and follows them", async () => {
    const pacer = new RecordingPacer(100);
    const hintsOf = (resultOrError: unknown): LimitHint | undefined =>
      resultOrError instanceof HintedError ? resultOrError.hint : (resultOrError as { hint?: LimitHint }).hint;
    const { clock, gate, options } = setup<number>({ pacer, hintsOf }, { concurrency: 1 });
    const worker = (n: number): Promise<{ hint: LimitHint }> =>
      n === 1 ? Promise.resolve({ hint: { limit: 30, remaining: 29 } }) : Promise.reject(new HintedError({ limit: 20 }));
    await drain(runPool([1, 2], worker, options), clock);
    expect(pacer.events.filter((e) => e.startsWith("hint"))).toEqual([
      'hint {"limit":30,"remaining":29}',
      'hint {"limit":20}',
    ]);
    expect(gate.stats().ratePerSecond).toBe(20);
  });

  it.each([
    // rate 20/s: ceil(20 × latency × 1.5) in flight, within [min, max]; the first attempt runs alone.
    { latencyMs: 1000, min: 1, max: 12, expected: 12 },
    { latencyMs: 100, min: 1, max: 12, expected: 3 },
    { latencyMs: 100, min: 4, max: 12, expected: 4 },
  ])(
    "runs $expected workers at once for 20/s at $latencyMs ms within [$min, $max]",
    async ({ latencyMs, min, max, expected }) => {
      const { clock, options } = setup<number>(
        { pacer: new RecordingPacer(20), minConcurrency: min, maxConcurrency: max },
        { concurrency: 1 },
      );
      let active = 0;
      let maxActive = 0;
      const worker = async (n: number): Promise<number> => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await clock.sleep(latencyMs);
        active -= 1;
        return n;
      };
      await drain(runPool(Array.from({ length: 60 }, (_, i) => i), worker, options), clock);
      expect(maxActive).toBe(expected);
    },
  );

  it("pulls at most twice the current concurrency ahead of the results consumed", async () => {
    const { options } = setup<number>({ pacer: new RecordingPacer(1000), maxConcurrency: 4 }, { concurrency: 4 });
    let pulled = 0;
    function* million(): Generator<number> {
      for (let n = 0; n < 1_000_000; n += 1) {
        pulled += 1;
        yield n;
      }
    }
    let consumed = 0;
    for await (const _result of runPool(million(), (n) => Promise.resolve(n), options)) {
      consumed += 1;
      if (consumed === 50) {
        await flush();
        break;
      }
    }
    expect(pulled).toBeLessThanOrEqual(50 + 2 * 4);
  });

  it.each([
    { minConcurrency: 0, maxConcurrency: 4 },
    { minConcurrency: 4, maxConcurrency: 2 },
  ])("refuses concurrency bounds of [$minConcurrency, $maxConcurrency]", (bounds) => {
    const { options } = setup<number>({ pacer: new RecordingPacer(10), ...bounds });
    expect(() => runPool([1], (n) => Promise.resolve(n), options)).toThrow(RangeError);
  });
});
