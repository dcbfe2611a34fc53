import { describe, expect, it } from "vitest";
import { SlidingWindowRateGate } from "../../../src/pool/rate-gate.js";
import { AttemptNotStarted, runPool } from "../../../src/pool/run-pool.js";
import type { PoolOptions, PoolResult } from "../../../src/pool/run-pool.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { advance, classify, FinalError, retry, track, TransientError } from "./helpers.js";

function setup(ratePerSecond: number): { clock: ManualClock; gate: SlidingWindowRateGate; options: PoolOptions<number> } {
  const clock = new ManualClock(0);
  const gate = new SlidingWindowRateGate({ ratePerSecond, clock });
  return { clock, gate, options: { concurrency: 8, gate, classify, retry, clock, random: () => 0.5 } };
}

async function drain<R>(pool: AsyncIterable<PoolResult<number, R>>, clock: ManualClock, stepMs = 10): Promise<PoolResult<number, R>[]> {
  const results: PoolResult<number, R>[] = [];
  const consuming = (async () => {
    for await (const result of pool) results.push(result);
  })();
  const consumed = track(consuming);
  for (let step = 0; consumed.state === "pending" && step < 5000; step += 1) await advance(clock, stepMs);
  await consuming;
  return results;
}

describe("runPool's beforeAttempt", () => {
  it("runs before each attempt asks for its permit, retries included", async () => {
    const { clock, options } = setup(1000);
    const events: string[] = [];
    let calls = 0;
    await drain(
      runPool([1], () => (++calls === 1 ? Promise.reject(new TransientError()) : Promise.resolve("ok")), {
        ...options,
        beforeAttempt: (item, attempt) => {
          events.push(`before ${item}#${attempt}`);
          return Promise.resolve();
        },
      }),
      clock,
    );
    expect(events).toEqual(["before 1#1", "before 1#2"]);
  });

  it("takes the permit after beforeAttempt, so uneven preparation never lets a second send more than the rate", async () => {
    const { clock, options } = setup(5);
    const sentAtMs: number[] = [];
    await drain(
      runPool(Array.from({ length: 15 }, (_, i) => i), () => {
        sentAtMs.push(clock.now());
        return Promise.resolve("ok");
      }, { ...options, beforeAttempt: (item) => clock.sleep(item < 5 ? 900 : 0) }),
      clock,
    );
    const mostInOneSecond = Math.max(...sentAtMs.map((startMs) => sentAtMs.filter((atMs) => atMs >= startMs && atMs < startMs + 1000).length));
    expect(sentAtMs).toHaveLength(15);
    expect(mostInOneSecond).toBeLessThanOrEqual(5);
  });

  it("fails the attempt with beforeAttempt's error, without calling the worker", async () => {
    const { clock, options } = setup(1000);
    let workerCalls = 0;
    const results = await drain(
      runPool([1], () => Promise.resolve(++workerCalls), { ...options, beforeAttempt: () => Promise.reject(new FinalError()) }),
      clock,
    );
    expect(workerCalls).toBe(0);
    expect(results).toMatchObject([{ item: 1, ok: false, gaveUp: "final", attempts: 1 }]);
    expect((results[0] as { error: unknown }).error).toBeInstanceOf(FinalError);
  });

  it("yields an AttemptNotStarted result for an item stopped while it waited for its permit", async () => {
    const { clock, options } = setup(1);
    const stop = new AbortController();
    const pool = runPool([1, 2], () => Promise.resolve("ok"), {
      ...options,
      signal: stop.signal,
      beforeAttempt: (item) => {
        if (item === 2) setTimeout(() => stop.abort(), 0);
        return Promise.resolve();
      },
    });
    const results = await drain(pool, clock, 1);
    const second = results.find((result) => result.item === 2);
    expect(second).toMatchObject({ ok: false, gaveUp: "aborted" });
    expect((second as { error: unknown }).error).toBeInstanceOf(AttemptNotStarted);
  });
});
