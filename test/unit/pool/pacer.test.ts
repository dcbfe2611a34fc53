import { describe, expect, it } from "vitest";
import { AimdPacer, concurrencyFor } from "../../../src/pool/pacer.js";
import type { LimitHint, PacerOptions } from "../../../src/pool/pacer.js";
import { ManualClock } from "../../../src/shared/clock.js";

const startMs = 1_000_000;

function makePacer(options: Partial<Omit<PacerOptions, "clock">> = {}): { pacer: AimdPacer; clock: ManualClock } {
  const clock = new ManualClock(startMs);
  return { pacer: new AimdPacer({ ceilingPerSecond: 40, ...options, clock }), clock };
}

/** One event for the pacer, or time passing. `startedAgoMs`: how long before now the 429's attempt was sent. */
type Step =
  | { waitMs: number }
  | { success: number }
  | { throttled: { startedAgoMs: number } | "no start time" }
  | { hint: LimitHint };

async function play(pacer: AimdPacer, clock: ManualClock, steps: Step[]): Promise<number> {
  for (const step of steps) {
    if ("waitMs" in step) await clock.advance(step.waitMs);
    else if ("success" in step) pacer.success(step.success);
    else if ("hint" in step) pacer.limitHint(step.hint);
    else if (step.throttled === "no start time") pacer.throttled();
    else pacer.throttled({ startedAtMs: clock.now() - step.throttled.startedAgoMs });
  }
  return pacer.ratePerSecond;
}

/** A 429 whose attempt was sent 100 ms ago. */
const throttled: Step = { throttled: { startedAgoMs: 100 } };
const wait = (waitMs: number): Step => ({ waitMs });
const served: Step = { success: 200 };

describe("AimdPacer", () => {
  it("starts at the ceiling unless told otherwise", () => {
    expect(makePacer().pacer.ratePerSecond).toBe(40);
    expect(makePacer({ initialPerSecond: 12 }).pacer.ratePerSecond).toBe(12);
  });

  it.each([
    { ceilingPerSecond: 40, expected: 28 },
    { ceilingPerSecond: 30, expected: 21 },
    { ceilingPerSecond: 10, expected: 7 },
  ])("multiplies a rate of $ceilingPerSecond/s by 0.7 on a per-second 429", async ({ ceilingPerSecond, expected }) => {
    const { pacer, clock } = makePacer({ ceilingPerSecond });
    expect(await play(pacer, clock, [throttled])).toBeCloseTo(expected, 9);
  });

  it.each([
    { case: "at once", steps: [throttled, throttled, throttled] },
    { case: "seconds later", steps: [throttled, wait(5000), { throttled: { startedAgoMs: 5100 } }] },
    { case: "a second later without a start time", steps: [throttled, wait(900), { throttled: "no start time" }] },
  ] satisfies { case: string; steps: Step[] }[])(
    "counts the 429s of attempts sent before the decrease once, arriving $case",
    async ({ steps }) => {
      const { pacer, clock } = makePacer();
      expect(await play(pacer, clock, steps)).toBeCloseTo(28, 9);
      expect(pacer.stats().decreases).toBe(1);
    },
  );

  it("ignores a 429 within a window of the decrease even from an attempt sent after it", async () => {
    const { pacer, clock } = makePacer();
    const rate = await play(pacer, clock, [throttled, wait(900), { throttled: { startedAgoMs: 800 } }]);
    expect(rate).toBeCloseTo(28, 9);
  });

  it("decreases again for a 429 sent at the new rate more than a window after the decrease", async () => {
    const { pacer, clock } = makePacer();
    const rate = await play(pacer, clock, [throttled, wait(1500), { throttled: { startedAgoMs: 300 } }]);
    expect(rate).toBeCloseTo(28 * 0.7, 9);
  });

  it("widens the window by the observed latency when the 429 has no start time", async () => {
    const { pacer, clock } = makePacer();
    const steps: Step[] = [{ success: 400 }, { throttled: "no start time" }, wait(1399), { throttled: "no start time" }];
    expect(await play(pacer, clock, steps)).toBeCloseTo(28, 9);
    expect(await play(pacer, clock, [wait(1), { throttled: "no start time" }])).toBeCloseTo(19.6, 9);
  });

  it.each([
    { afterMs: 1000, expected: 11 },
    { afterMs: 4500, expected: 14.5 },
    { afterMs: 60_000, expected: 20 },
  ])("climbs 1/s per second of clean operation: $expected/s after $afterMs ms", async ({ afterMs, expected }) => {
    const { pacer, clock } = makePacer({ ceilingPerSecond: 20, initialPerSecond: 10 });
    expect(await play(pacer, clock, [wait(afterMs), served])).toBeCloseTo(expected, 9);
  });

  it.each([
    // The cap is 0.97 × 40 = 38.8; from 28 the distance of 10.8 halves each second.
    { afterMs: 1000, expected: 38.8 - 5.4 },
    { afterMs: 2000, expected: 38.8 - 2.7 },
    { afterMs: 3000, expected: 38.8 - 1.35 },
  ])("recovers halfway to the cap each second after a decrease: $expected/s after $afterMs ms", async ({ afterMs, expected }) => {
    const { pacer, clock } = makePacer();
    expect(await play(pacer, clock, [throttled, wait(afterMs), served])).toBeCloseTo(expected, 9);
  });

  it("recovers at least 1/s per second when the cap is near", async () => {
    const { pacer, clock } = makePacer();
    // 38.8 - 10.8 / 2^5.5 ≈ 38.56; the last 0.24 at 1/s takes 240 ms, not another half-life per halving.
    await play(pacer, clock, [throttled, wait(5500), served]);
    expect(await play(pacer, clock, [wait(240), served])).toBeCloseTo(38.8, 1);
  });

  it("settles at 97% of the rate that met the 429 and stays there while the cap holds", async () => {
    const { pacer, clock } = makePacer({ ceilingPerSecond: 50, initialPerSecond: 40 });
    expect(await play(pacer, clock, [throttled, wait(30_000), served])).toBeCloseTo(38.8, 9);
    expect(await play(pacer, clock, [wait(29_000), served])).toBeCloseTo(38.8, 9);
    expect(pacer.stats().settleCapPerSecond).toBeCloseTo(38.8, 9);
  });

  it("climbs past the cap again at 1/s per second once 60 s have passed without a 429", async () => {
    const { pacer, clock } = makePacer({ ceilingPerSecond: 50, initialPerSecond: 40 });
    await play(pacer, clock, [throttled, wait(59_000), served]);
    expect(await play(pacer, clock, [wait(2000), served])).toBeCloseTo(40.8, 9);
    expect(pacer.stats().settleCapPerSecond).toBeUndefined();
  });

  it("caps at 97% of the rate a later 429's attempt was sent at, not the higher rate when it came back", async () => {
    const { pacer, clock } = makePacer();
    const sentAtRate = await play(pacer, clock, [throttled, wait(1000), served]);
    // Sent 500 ms ago, at 33.4/s; the 429 comes back at 36.1/s, which the decrease starts from.
    const rate = await play(pacer, clock, [wait(1000), served, { throttled: { startedAgoMs: 500 } }]);
    expect(pacer.stats().settleCapPerSecond).toBeCloseTo(sentAtRate * 0.97, 9);
    expect(rate).toBeCloseTo((38.8 - 2.7) * 0.7, 9);
  });

  it.each([
    { limit: 30, expected: 30 },
    { limit: 20, expected: 20 },
    { limit: 100, expected: 40 },
  ])("lowers a rate of 40/s at once to $expected/s on a reported limit of $limit/s", async ({ limit, expected }) => {
    const { pacer, clock } = makePacer();
    expect(await play(pacer, clock, [{ hint: { limit, remaining: 5 } }])).toBeCloseTo(expected, 9);
  });

  it("climbs no higher than a reported limit", async () => {
    const { pacer, clock } = makePacer({ initialPerSecond: 10 });
    expect(await play(pacer, clock, [{ hint: { limit: 30 } }, wait(60_000), served])).toBeCloseTo(30, 9);
  });

  it("counts the 429s of the burst a limit hint already lowered the rate for once", async () => {
    const { pacer, clock } = makePacer();
    expect(await play(pacer, clock, [{ hint: { limit: 30 } }, throttled])).toBeCloseTo(30, 9);
  });

  it("credits no growth for the time before a report of 0 remaining", async () => {
    const { pacer, clock } = makePacer({ ceilingPerSecond: 20, initialPerSecond: 10 });
    expect(await play(pacer, clock, [wait(3000), { hint: { remaining: 0 } }, served])).toBe(10);
    expect(await play(pacer, clock, [wait(1000), served])).toBeCloseTo(11, 9);
  });

  it("never falls below the floor", async () => {
    const { pacer, clock } = makePacer({ ceilingPerSecond: 10, floorPerSecond: 5 });
    const again: Step[] = [wait(2000), throttled];
    expect(await play(pacer, clock, [throttled, ...again, ...again])).toBe(5);
  });

  it("smooths the latency with a weight of 1/8 for each new sample", async () => {
    const { pacer, clock } = makePacer();
    expect(pacer.latencyMs).toBeUndefined();
    await play(pacer, clock, [{ success: 100 }, { success: 900 }]);
    expect(pacer.latencyMs).toBe(200);
  });

  it.each([
    { case: "a ceiling of 0", options: { ceilingPerSecond: 0 } },
    { case: "a floor above the ceiling", options: { ceilingPerSecond: 10, floorPerSecond: 11 } },
    { case: "an initial rate that is not a number", options: { initialPerSecond: Number.NaN } },
  ])("refuses $case", ({ options }) => {
    expect(() => makePacer(options)).toThrow(RangeError);
  });
});

describe("concurrencyFor", () => {
  it.each([
    // ceil(rate × latency × 1.5), clamped
    { ratePerSecond: 30, latencyMs: 200, min: 1, max: 100, expected: 9 },
    { ratePerSecond: 80, latencyMs: 250, min: 1, max: 100, expected: 30 },
    { ratePerSecond: 30, latencyMs: 2000, min: 1, max: 50, expected: 50 },
    { ratePerSecond: 30, latencyMs: 10, min: 2, max: 100, expected: 2 },
    { ratePerSecond: 0.5, latencyMs: 1000, min: 1, max: 10, expected: 1 },
    { ratePerSecond: 30, latencyMs: 0, min: 1, max: 10, expected: 1 },
  ])(
    "keeps $expected in flight for $ratePerSecond/s at $latencyMs ms within [$min, $max]",
    ({ ratePerSecond, latencyMs, min, max, expected }) => {
      expect(concurrencyFor(ratePerSecond, latencyMs, { minConcurrency: min, maxConcurrency: max })).toBe(expected);
    },
  );

  it("applies the headroom it is given", () => {
    expect(concurrencyFor(30, 200, { minConcurrency: 1, maxConcurrency: 100, headroom: 1 })).toBe(6);
  });

  it.each([
    { minConcurrency: 0, maxConcurrency: 10 },
    { minConcurrency: 5, maxConcurrency: 4 },
    { minConcurrency: 1.5, maxConcurrency: 4 },
  ])("refuses bounds of [$minConcurrency, $maxConcurrency]", (bounds) => {
    expect(() => concurrencyFor(30, 200, bounds)).toThrow(RangeError);
  });
});
