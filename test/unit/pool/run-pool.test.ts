import { describe, expect, it } from "vitest";
import { SlidingWindowRateGate } from "../../../src/pool/rate-gate.js";
import { runPool } from "../../../src/pool/run-pool.js";
import type { PoolOptions, PoolResult, RetryEvent, WorkerContext } from "../../../src/pool/run-pool.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { advance, classify, deferred, FinalError, flush, retry, ThrottledError, track, TransientError } from "./helpers.js";
import type { Deferred } from "./helpers.js";


function setup<T>(overrides: Partial<PoolOptions<T>> = {}): { clock: ManualClock; options: PoolOptions<T> } {
  const clock = new ManualClock(0);
  const gate = new SlidingWindowRateGate({ ratePerSecond: 1000, clock });
  return { clock, options: { concurrency: 2, gate, classify, retry, clock, random: () => 0.5, ...overrides } };
}

/** Consumes the whole pool while moving the fake clock in 100 ms steps. */
async function drain<T, R>(pool: AsyncIterable<PoolResult<T, R>>, clock: ManualClock): Promise<PoolResult<T, R>[]> {
  const results: PoolResult<T, R>[] = [];
  const consuming = (async () => {
    for await (const result of pool) results.push(result);
  })();
  const consumed = track(consuming);
  for (let step = 0; consumed.state === "pending" && step < 2000; step += 1) await advance(clock, 100);
  await consuming;
  return results;
}

/** An input that counts what was pulled from it and whether it was closed. */
function countingSource(count: number): { items: Iterable<number>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  function* generate(): Generator<number> {
    try {
      for (let n = 1; n <= count; n += 1) {
        pulled += 1;
        yield n;
      }
    } finally {
      closed = true;
    }
  }
  return { items: generate(), pulled: () => pulled, closed: () => closed };
}

const byItem = <T extends { item: number }>(results: T[]): T[] => [...results].sort((a, b) => a.item - b.item);

describe("runPool", () => {
  it("yields one result per item with the worker's value", async () => {
    const { clock, options } = setup<number>();
    const results = await drain(
      runPool([1, 2, 3], (n) => Promise.resolve(n * 10), options),
      clock,
    );
    expect(byItem(results)).toEqual([
      { item: 1, ok: true, value: 10, attempts: 1 },
      { item: 2, ok: true, value: 20, attempts: 1 },
      { item: 3, ok: true, value: 30, attempts: 1 },
    ]);
  });

  it("never runs more workers at once than the concurrency", async () => {
    const { clock, options } = setup<number>({ concurrency: 3 });
    let active = 0;
    let maxActive = 0;
    const worker = async (n: number): Promise<number> => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await clock.sleep((n % 4) * 100 + 100);
      active -= 1;
      return n;
    };
    const results = await drain(runPool(Array.from({ length: 20 }, (_, i) => i), worker, options), clock);
    expect(results).toHaveLength(20);
    expect(maxActive).toBe(3);
  });

  it("waits for a gate permit before every attempt, retries included", async () => {
    const { clock, options } = setup<number>();
    const worker = (n: number, ctx: WorkerContext): Promise<number> =>
      n === 2 && ctx.attempt === 1 ? Promise.reject(new TransientError("reset")) : Promise.resolve(n);
    await drain(runPool([1, 2, 3], worker, options), clock);
    expect(options.gate.stats().grantedTotal).toBe(4);
  });

  it("retries a transient failure twice with backoff, then gives up with the last error", async () => {
    const events: RetryEvent<string>[] = [];
    const { clock, options } = setup<string>({ onRetry: (event) => events.push(event) });
    const callTimesMs: number[] = [];
    const worker = (_item: string, ctx: WorkerContext): Promise<never> => {
      callTimesMs.push(clock.now());
      return Promise.reject(new TransientError(`try ${ctx.attempt}`));
    };
    const [result] = await drain(runPool(["a"], worker, options), clock);

    expect(result).toMatchObject({ item: "a", ok: false, attempts: 3, gaveUp: "retries-exhausted" });
    expect(result?.ok === false && (result.error as Error).message).toBe("try 3");
    // random 0.5: 0.5 × 1000 ms, then 0.5 × 2000 ms.
    expect(callTimesMs).toEqual([0, 500, 1500]);
    expect(events.map((e) => [e.attempt, e.delayMs, e.pausePool])).toEqual([
      [1, 500, false],
      [2, 1000, false],
    ]);
  });

  it("gives a retry its next permit before items that have not started", async () => {
    const clock = new ManualClock(0);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 1, clock });
    const { options } = setup<string>({ gate, concurrency: 2 });
    const calls: string[] = [];
    const worker = (item: string, ctx: WorkerContext): Promise<string> => {
      calls.push(`${item}${ctx.attempt} at ${clock.now()}`);
      return item === "a" && ctx.attempt === 1 ? Promise.reject(new TransientError("502")) : Promise.resolve(item);
    };
    // "b" waits for a permit from 0 ms; "a" fails, backs off 500 ms, then asks again: it still goes first.
    await drain(runPool(["a", "b"], worker, { ...options, clock }), clock);
    expect(calls).toEqual(["a1 at 0", "a2 at 1000", "b1 at 2000"]);
  });

  it("does not retry a final failure", async () => {
    const { clock, options } = setup<string>();
    let calls = 0;
    const worker = (): Promise<never> => {
      calls += 1;
      return Promise.reject(new FinalError("400 code 300"));
    };
    const [result] = await drain(runPool(["a"], worker, options), clock);
    expect(result).toMatchObject({ ok: false, attempts: 1, gaveUp: "final" });
    expect(calls).toBe(1);
  });

  it("treats an error thrown synchronously by the worker like a rejection", async () => {
    const { clock, options } = setup<string>();
    const worker = (): Promise<never> => {
      throw new FinalError("bug");
    };
    const [result] = await drain(runPool(["a"], worker, options), clock);
    expect(result).toMatchObject({ ok: false, attempts: 1, gaveUp: "final" });
  });

  it("keeps retry counts per item, so one item's retries do not spend another's", async () => {
    const { clock, options } = setup<number>();
    const worker = (n: number, ctx: WorkerContext): Promise<number> =>
      ctx.attempt < 3 ? Promise.reject(new TransientError("502")) : Promise.resolve(n);
    const results = await drain(runPool([1, 2], worker, options), clock);
    expect(byItem(results)).toEqual([
      { item: 1, ok: true, value: 1, attempts: 3 },
      { item: 2, ok: true, value: 2, attempts: 3 },
    ]);
  });

  it("pauses every worker until the time a throttled failure asked for", async () => {
    const events: RetryEvent<string>[] = [];
    const { clock, options } = setup<string>({ onRetry: (event) => events.push(event) });
    const callTimesMs: Record<string, number[]> = { a: [], b: [], c: [] };
    const worker = async (item: string, ctx: WorkerContext): Promise<string> => {
      callTimesMs[item]?.push(clock.now());
      if (item === "a" && ctx.attempt === 1) throw new ThrottledError(5000);
      if (item === "b") await clock.sleep(100);
      return item;
    };
    const results = await drain(runPool(["a", "b", "c"], worker, options), clock);

    expect(results.every((r) => r.ok)).toBe(true);
    expect(callTimesMs).toEqual({ a: [0, 5000], b: [0], c: [5000] });
    expect(events.map((e) => [e.item, e.delayMs, e.pausePool])).toEqual([["a", 5000, true]]);
  });

  it("gives up a throttled item whose wait is too long, without pausing the pool", async () => {
    const { clock, options } = setup<string>();
    const tenHoursMs = 10 * 3_600_000;
    const worker = (item: string): Promise<string> =>
      item === "a" ? Promise.reject(new ThrottledError(tenHoursMs)) : Promise.resolve(item);
    const results = await drain(runPool(["a", "b"], worker, options), clock);
    expect(byItemName(results)).toMatchObject([
      { item: "a", ok: false, attempts: 1, gaveUp: "throttle-wait-too-long" },
      { item: "b", ok: true },
    ]);
    expect(options.gate.stats().pausedUntilMs).toBeUndefined();
  });

  it("stops starting items on abort, finishes the running ones, and ends", async () => {
    const controller = new AbortController();
    const { clock, options } = setup<number>({ signal: controller.signal });
    const source = countingSource(100);
    const running = new Map<number, Deferred<number>>();
    const worker = (n: number): Promise<number> => {
      const attempt = deferred<number>();
      running.set(n, attempt);
      return attempt.promise;
    };
    const collecting = drain(runPool(source.items, worker, options), clock);
    await flush();
    expect([...running.keys()]).toEqual([1, 2]);

    controller.abort();
    running.get(1)?.resolve(1);
    running.get(2)?.resolve(2);
    const results = await collecting;

    expect(byItem(results)).toEqual([
      { item: 1, ok: true, value: 1, attempts: 1 },
      { item: 2, ok: true, value: 2, attempts: 1 },
    ]);
    expect([...running.keys()]).toEqual([1, 2]);
    // 2 × concurrency at most were pulled before the abort, and the input was closed, not read to the end.
    expect(source.pulled()).toBeLessThanOrEqual(4);
    expect(source.closed()).toBe(true);
  });

  it("does not abort running attempts on a graceful stop", async () => {
    const controller = new AbortController();
    const { clock, options } = setup<number>({ signal: controller.signal });
    const attempt = deferred<number>();
    let workerSignal: AbortSignal | undefined;
    const worker = (_n: number, ctx: WorkerContext): Promise<number> => {
      workerSignal = ctx.signal;
      return attempt.promise;
    };
    const collecting = drain(runPool([1], worker, options), clock);
    await flush();
    controller.abort();
    await flush();
    expect(workerSignal?.aborted).toBe(false);
    attempt.resolve(1);
    await collecting;
  });

  it("yields an item waiting for a retry as aborted, with its last error", async () => {
    const controller = new AbortController();
    const { clock, options } = setup<string>({ signal: controller.signal });
    const failure = new TransientError("503");
    let calls = 0;
    const worker = (): Promise<never> => {
      calls += 1;
      return Promise.reject(failure);
    };
    const collecting = drain(runPool(["a"], worker, options), clock);
    await advance(clock, 100); // inside the 500 ms backoff
    controller.abort();
    const results = await collecting;
    expect(results).toEqual([{ item: "a", ok: false, error: failure, attempts: 1, gaveUp: "aborted" }]);
    expect(calls).toBe(1);
  });

  it("does not retry an attempt that fails after abort", async () => {
    const controller = new AbortController();
    const events: RetryEvent<string>[] = [];
    const { clock, options } = setup<string>({ signal: controller.signal, onRetry: (event) => events.push(event) });
    const attempt = deferred<never>();
    const collecting = drain(runPool(["a"], () => attempt.promise, options), clock);
    await flush();
    controller.abort();
    attempt.reject(new TransientError("reset"));
    const results = await collecting;
    expect(results).toMatchObject([{ item: "a", ok: false, attempts: 1, gaveUp: "aborted" }]);
    expect(events).toEqual([]);
  });

  it("starts nothing when the signal is already aborted", async () => {
    const { clock, options } = setup<number>({ signal: AbortSignal.abort() });
    let calls = 0;
    const worker = (n: number): Promise<number> => {
      calls += 1;
      return Promise.resolve(n);
    };
    const results = await drain(runPool([1, 2, 3], worker, options), clock);
    expect(results).toEqual([]);
    expect(calls).toBe(0);
  });

  it("pulls nothing from the input before the first result is asked for", async () => {
    const { options } = setup<number>();
    const source = countingSource(10);
    runPool(source.items, (n) => Promise.resolve(n), options);
    await flush();
    expect(source.pulled()).toBe(0);
  });

  it("pulls from a million-item input only as fast as results are consumed", async () => {
    const { options } = setup<number>({ concurrency: 4 });
    const source = countingSource(1_000_000);
    const consumed: number[] = [];
    for await (const result of runPool(source.items, (n) => Promise.resolve(n), options)) {
      consumed.push(result.item);
      if (consumed.length === 10) {
        await flush();
        await flush();
        break;
      }
    }
    // 2 × concurrency ahead of the 10 consumed, whatever the consumer's pace.
    expect(source.pulled()).toBeGreaterThanOrEqual(10);
    expect(source.pulled()).toBeLessThanOrEqual(10 + 8);
    await flush();
    expect(source.closed()).toBe(true);
  });

  it("aborts running workers when the consumer stops reading early", async () => {
    const { options } = setup<number>();
    const signals: AbortSignal[] = [];
    const worker = (n: number, ctx: WorkerContext): Promise<number> => {
      signals.push(ctx.signal);
      return n === 1 ? Promise.resolve(n) : new Promise<number>(() => undefined);
    };
    for await (const result of runPool([1, 2], worker, options)) {
      expect(result.item).toBe(1);
      break;
    }
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });

  it.each([
    {
      kind: "a sync iterable",
      items: (function* () {
        yield 1;
        yield 2;
        throw new Error("row 3: unterminated quote");
      })(),
    },
    {
      kind: "an async iterable",
      items: (async function* () {
        await Promise.resolve();
        yield 1;
        yield 2;
        throw new Error("row 3: unterminated quote");
      })(),
    },
  ])("throws an error from $kind after yielding the items pulled before it", async ({ items }) => {
    const { options } = setup<number>();
    const yielded: number[] = [];
    const consuming = (async () => {
      for await (const result of runPool<number, number>(items, (n) => Promise.resolve(n), options)) {
        yielded.push(result.item);
      }
    })();
    await expect(consuming).rejects.toThrow("row 3: unterminated quote");
    expect(yielded.sort()).toEqual([1, 2]);
  });

  it("throws an error from classify to the consumer, as a bug", async () => {
    const bug = new TypeError("cannot read properties of undefined");
    const { options } = setup<number>({
      classify: () => {
        throw bug;
      },
    });
    const consuming = (async () => {
      for await (const _result of runPool([1], () => Promise.reject(new Error("500")), options)) {
        // nothing is yielded
      }
    })();
    await expect(consuming).rejects.toBe(bug);
  });

  it.each([0, -1, 1.5])("refuses a concurrency of %s", (concurrency) => {
    const { options } = setup<number>({ concurrency });
    expect(() => runPool([1], (n) => Promise.resolve(n), options)).toThrow(RangeError);
  });
});

function byItemName<T extends { item: string }>(results: T[]): T[] {
  return [...results].sort((a, b) => a.item.localeCompare(b.item));
}
