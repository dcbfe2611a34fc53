import { beforeAll, describe, expect, it } from "vitest";
import { AimdPacer } from "../../../src/pool/pacer.js";
import { SlidingWindowRateGate } from "../../../src/pool/rate-gate.js";
import { defaultRetryPolicyOptions } from "../../../src/pool/retry-policy.js";
import { runPool } from "../../../src/pool/run-pool.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { advance, track } from "./helpers.js";

/**
 * Issue 5's target, on a fake clock: a server with a hard limit of 30 requests in any 1000 ms (Zoom Pro's
 * Light label), 100-300 ms latency, a pacer started too high at 40/s (the wrong plan preset). After the
 * first seconds the pool must sustain ≥ 95% of the limit with < 1% of attempts throttled.
 */
const limitPerSecond = 30;
const runMs = 90_000; // long enough to include the probe when the settle cap lapses (~60 s after the last 429)
const warmUpMs = 10_000;
const stepMs = 10;

class QpsError extends Error {}

interface Attempt {
  startedAtMs: number;
  throttled: boolean;
}

/** Deterministic uniform [0, 1) (a 32-bit LCG, Numerical Recipes' constants): the run is the same every time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function simulate(): Promise<{ attempts: Attempt[]; succeeded: number; finalRatePerSecond: number }> {
  const clock = new ManualClock(0);
  const pacer = new AimdPacer({ ceilingPerSecond: 40, clock });
  const gate = new SlidingWindowRateGate({ ratePerSecond: 40, clock });
  const latency = seededRandom(5);
  const attempts: Attempt[] = [];
  /** Start times in the server's last 1000 ms; a refused request still arrived, so it counts. */
  const recentStartsMs: number[] = [];

  const server = async (n: number): Promise<number> => {
    const nowMs = clock.now();
    while (recentStartsMs.length > 0 && (recentStartsMs[0] ?? nowMs) <= nowMs - 1000) recentStartsMs.shift();
    recentStartsMs.push(nowMs);
    const throttled = recentStartsMs.length > limitPerSecond;
    attempts.push({ startedAtMs: nowMs, throttled });
    await clock.sleep(100 + Math.floor(latency() * 200));
    if (throttled) throw new QpsError("429: per-second rate limit");
    return n;
  };

  function* endless(): Generator<number> {
    for (let n = 0; ; n += 1) yield n;
  }
  const stop = new AbortController();
  const pool = runPool(endless(), server, {
    concurrency: 10,
    gate,
    classify: (error) => (error instanceof QpsError ? { kind: "throttled" } : { kind: "final" }),
    retry: defaultRetryPolicyOptions,
    clock,
    random: () => 0.5,
    signal: stop.signal,
    pacing: { pacer, minConcurrency: 1, maxConcurrency: 100 },
  });
  let succeeded = 0;
  const consuming = (async () => {
    for await (const result of pool) if (result.ok) succeeded += 1;
  })();
  for (let elapsedMs = 0; elapsedMs < runMs; elapsedMs += stepMs) await advance(clock, stepMs);
  // Graceful stop: attempts in flight finish (on the fake clock) and the iteration ends.
  stop.abort();
  const consumed = track(consuming);
  while (consumed.state === "pending") await advance(clock, stepMs);
  await consuming;
  return { attempts, succeeded, finalRatePerSecond: pacer.ratePerSecond };
}

describe("a paced pool against a server with a hard limit of 30/s, started at 40/s", () => {
  let run: Awaited<ReturnType<typeof simulate>>;
  let steady: Attempt[];
  beforeAll(async () => {
    run = await simulate();
    steady = run.attempts.filter((a) => a.startedAtMs >= warmUpMs && a.startedAtMs < runMs);
  }, 60_000);

  it("meets 429s in its first seconds, when it still sends too fast", () => {
    expect(run.attempts.some((a) => a.throttled && a.startedAtMs < warmUpMs)).toBe(true);
  });

  it("sustains at least 95% of the limit after the first 10 s", () => {
    const servedPerSecond = steady.filter((a) => !a.throttled).length / ((runMs - warmUpMs) / 1000);
    expect(servedPerSecond / limitPerSecond).toBeGreaterThanOrEqual(0.95);
  });

  it("keeps 429s under 1% of attempts after the first 10 s", () => {
    const throttled = steady.filter((a) => a.throttled).length;
    expect(throttled / steady.length).toBeLessThan(0.01);
  });

  it("ends paced under the limit", () => {
    expect(run.finalRatePerSecond).toBeLessThanOrEqual(limitPerSecond);
    expect(run.succeeded).toBe(run.attempts.filter((a) => !a.throttled).length);
  });
});
