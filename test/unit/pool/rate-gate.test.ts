import { describe, expect, it } from "vitest";
import { SlidingWindowRateGate } from "../../../src/pool/rate-gate.js";
import { ManualClock } from "../../../src/shared/clock.js";
import type { Clock } from "../../../src/shared/clock.js";
import { advance, flush, track } from "./helpers.js";

function makeGate(ratePerSecond: number): { gate: SlidingWindowRateGate; clock: ManualClock } {
  const clock = new ManualClock(1_000_000);
  return { gate: new SlidingWindowRateGate({ ratePerSecond, clock }), clock };
}

function acquireMany(gate: SlidingWindowRateGate, count: number, signal?: AbortSignal): ReturnType<typeof track>[] {
  return Array.from({ length: count }, () => track(gate.acquire(signal)));
}

const states = (tracked: ReturnType<typeof track>[]): string[] => tracked.map((t) => t.state);

describe("SlidingWindowRateGate", () => {
  it("grants ratePerSecond permits at once and the next only 1000 ms after the first", async () => {
    const { gate, clock } = makeGate(10);
    const acquired = acquireMany(gate, 11);
    await flush();
    expect(states(acquired.slice(0, 10))).toEqual(Array<string>(10).fill("resolved"));
    expect(acquired[10]?.state).toBe("pending");

    await advance(clock, 999);
    expect(acquired[10]?.state).toBe("pending");
    await advance(clock, 1);
    expect(acquired[10]?.state).toBe("resolved");
  });

  it("counts any rolling 1000 ms, so it does not burst twice the rate across a window edge", async () => {
    const { gate, clock } = makeGate(10);
    acquireMany(gate, 5);
    await advance(clock, 500);
    acquireMany(gate, 5);
    await flush();

    // At +1000 ms the first five leave the window; a fixed window would allow ten here.
    await advance(clock, 500);
    const atEdge = acquireMany(gate, 10);
    await flush();
    expect(states(atEdge)).toEqual([...Array<string>(5).fill("resolved"), ...Array<string>(5).fill("pending")]);

    await advance(clock, 499);
    expect(atEdge[5]?.state).toBe("pending");
    await advance(clock, 1);
    expect(states(atEdge)).toEqual(Array<string>(10).fill("resolved"));
  });

  it("grants waiting acquisitions in the order they were made", async () => {
    const { gate, clock } = makeGate(1);
    const order: number[] = [];
    const acquisitions = [1, 2, 3].map((n) => gate.acquire().then(() => order.push(n)));
    await advance(clock, 2000);
    await Promise.all(acquisitions);
    expect(order).toEqual([1, 2, 3]);
  });

  it("does not let a newcomer overtake a waiting acquisition when the timer fires late", async () => {
    // Real timers fire late: time has moved past the moment a permit frees, the gate's wait has not ended.
    let nowMs = 0;
    const lateClock: Clock = { now: () => nowMs, sleep: () => new Promise<void>(() => undefined) };
    const gate = new SlidingWindowRateGate({ ratePerSecond: 1, clock: lateClock });
    await gate.acquire();
    const waiting = track(gate.acquire());
    nowMs = 1000;
    const newcomer = track(gate.acquire());
    await flush();
    expect([waiting.state, newcomer.state]).toEqual(["pending", "pending"]);
  });

  it("holds every acquisition until a pause ends", async () => {
    const { gate, clock } = makeGate(10);
    gate.pauseUntil(clock.now() + 5000);
    const acquired = acquireMany(gate, 3);
    await advance(clock, 4999);
    expect(states(acquired)).toEqual(["pending", "pending", "pending"]);
    await advance(clock, 1);
    expect(states(acquired)).toEqual(["resolved", "resolved", "resolved"]);
  });

  it("extends a pause when a later one arrives while waiting", async () => {
    const { gate, clock } = makeGate(10);
    gate.pauseUntil(clock.now() + 1000);
    const acquired = track(gate.acquire());
    await advance(clock, 500);
    gate.pauseUntil(clock.now() + 2000);
    await advance(clock, 1999);
    expect(acquired.state).toBe("pending");
    await advance(clock, 1);
    expect(acquired.state).toBe("resolved");
  });

  it("does not shorten a pause when an earlier one arrives", async () => {
    const { gate, clock } = makeGate(10);
    gate.pauseUntil(clock.now() + 3000);
    gate.pauseUntil(clock.now() + 1000);
    const acquired = track(gate.acquire());
    await advance(clock, 2999);
    expect(acquired.state).toBe("pending");
    await advance(clock, 1);
    expect(acquired.state).toBe("resolved");
  });

  it("ignores a pause that has already ended", async () => {
    const { gate, clock } = makeGate(10);
    gate.pauseUntil(clock.now() - 1);
    const acquired = track(gate.acquire());
    await flush();
    expect(acquired.state).toBe("resolved");
  });

  it("rejects a waiting acquisition with the signal's reason when it aborts", async () => {
    const { gate } = makeGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const acquired = track(gate.acquire(controller.signal));
    const reason = new Error("stop");
    controller.abort(reason);
    await flush();
    expect(acquired).toEqual({ state: "rejected", reason });
  });

  it("rejects at once when the signal is already aborted, taking no permit", async () => {
    const { gate } = makeGate(1);
    const acquired = track(gate.acquire(AbortSignal.abort(new Error("already"))));
    const next = track(gate.acquire());
    await flush();
    expect([acquired.state, next.state]).toEqual(["rejected", "resolved"]);
    expect(gate.stats().grantedTotal).toBe(1);
  });

  it("gives an aborted waiter's place to the next one", async () => {
    const { gate, clock } = makeGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const first = track(gate.acquire(controller.signal));
    const second = track(gate.acquire());
    controller.abort(new Error("stop"));
    await advance(clock, 1000);
    expect([first.state, second.state]).toEqual(["rejected", "resolved"]);
  });

  it("leaves no timer behind when every waiter aborts", async () => {
    const { gate, clock } = makeGate(1);
    gate.pauseUntil(clock.now() + 60_000);
    const controller = new AbortController();
    const acquired = track(gate.acquire(controller.signal));
    await flush();
    expect(clock.pendingSleepers).toBe(1);
    controller.abort(new Error("stop"));
    await flush();
    expect(acquired.state).toBe("rejected");
    expect(clock.pendingSleepers).toBe(0);
  });

  it("grants waiting acquisitions at once when the rate is raised", async () => {
    const { gate } = makeGate(1);
    const acquired = acquireMany(gate, 3);
    await flush();
    expect(states(acquired)).toEqual(["resolved", "pending", "pending"]);
    gate.setRate(3);
    await flush();
    expect(states(acquired)).toEqual(["resolved", "resolved", "resolved"]);
  });

  it("counts the permits already in the window against a lowered rate", async () => {
    const { gate, clock } = makeGate(10);
    acquireMany(gate, 4);
    await advance(clock, 400);
    acquireMany(gate, 4);
    await flush();
    gate.setRate(2);

    // The two newest grants (at +400 ms) fill the window until +1400 ms.
    const acquired = track(gate.acquire());
    await advance(clock, 999);
    expect(acquired.state).toBe("pending");
    await advance(clock, 1);
    expect(acquired.state).toBe("resolved");
  });

  it("grants a retry's acquisition before earlier normal ones, each priority in call order", async () => {
    const { gate, clock } = makeGate(1);
    await gate.acquire();
    const order: string[] = [];
    const acquisitions = [
      gate.acquire().then(() => order.push("normal 1")),
      gate.acquire().then(() => order.push("normal 2")),
      gate.acquire(undefined, { priority: "retry" }).then(() => order.push("retry 1")),
      gate.acquire(undefined, { priority: "retry" }).then(() => order.push("retry 2")),
    ];
    await advance(clock, 4000);
    await Promise.all(acquisitions);
    expect(order).toEqual(["retry 1", "retry 2", "normal 1", "normal 2"]);
  });

  it("gives an aborted retry's place to the next waiter", async () => {
    const { gate, clock } = makeGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const retry = track(gate.acquire(controller.signal, { priority: "retry" }));
    const normal = track(gate.acquire());
    controller.abort(new Error("stop"));
    await advance(clock, 1000);
    expect([retry.state, normal.state]).toEqual(["rejected", "resolved"]);
  });

  it("grants a fractional rate's ceil(rate) permits per 1000 × ceil(rate) / rate ms", async () => {
    const { gate, clock } = makeGate(2.5);
    const acquired = acquireMany(gate, 4);
    await flush();
    expect(states(acquired)).toEqual(["resolved", "resolved", "resolved", "pending"]);
    await advance(clock, 1199);
    expect(acquired[3]?.state).toBe("pending");
    await advance(clock, 1);
    expect(acquired[3]?.state).toBe("resolved");
  });

  it("holds a fractional rate on average and never grants more than ceil(rate) in a rolling second", async () => {
    const { gate, clock } = makeGate(29.4);
    const grantTimesMs: number[] = [];
    const startMs = clock.now();
    for (let n = 0; n < 600; n += 1) void gate.acquire().then(() => grantTimesMs.push(clock.now()));
    for (let elapsedMs = 0; elapsedMs < 20_000; elapsedMs += 10) await advance(clock, 10);

    const busiestSecond = Math.max(...grantTimesMs.map((t) => grantTimesMs.filter((u) => u >= t && u < t + 1000).length));
    expect(busiestSecond).toBe(30);
    const lastMs = grantTimesMs.at(-1) ?? startMs;
    // 600 permits in bursts of 30: the 600th opens the 20th window, 19 windows of 1020.4 ms after the first.
    expect(lastMs - startMs).toBeCloseTo((19 * 30 * 1000) / 29.4, 6);
  });

  it.each([
    [10, 0, 100],
    [10, 10, 101],
    [30, 10, 1010 / 30],
  ] as const)("spaces even permits at %i/s with a %i ms window margin %d ms apart", async (ratePerSecond, windowMarginMs, gapMs) => {
    const clock = new ManualClock(1_000_000);
    const gate = new SlidingWindowRateGate({ ratePerSecond, clock, spacing: "even", windowMarginMs });
    const grantedAtMs: number[] = [];
    const acquired = Array.from({ length: ratePerSecond + 1 }, () => gate.acquire().then(() => grantedAtMs.push(clock.now())));
    for (let step = 0; step < 1200 && grantedAtMs.length <= ratePerSecond; step += 1) await advance(clock, 1);
    await Promise.all(acquired);
    // The limit's count plus one spans the margin more than a second: late arrivals of that much stay in the limit.
    expect((grantedAtMs.at(-1) ?? 0) - (grantedAtMs[0] ?? 0)).toBeGreaterThanOrEqual(1000 + windowMarginMs);
    expect((grantedAtMs[1] ?? 0) - (grantedAtMs[0] ?? 0)).toBeGreaterThanOrEqual(Math.floor(gapMs));
    expect((grantedAtMs[1] ?? 0) - (grantedAtMs[0] ?? 0)).toBeLessThanOrEqual(Math.ceil(gapMs));
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("refuses a rate of %s per second", (ratePerSecond) => {
    const { gate } = makeGate(1);
    expect(() => gate.setRate(ratePerSecond)).toThrow(RangeError);
    expect(() => new SlidingWindowRateGate({ ratePerSecond, clock: new ManualClock() })).toThrow(RangeError);
  });

  it("reports permits granted, acquisitions waiting, the rate and the pause", async () => {
    const { gate, clock } = makeGate(2);
    acquireMany(gate, 3);
    gate.pauseUntil(clock.now() + 100);
    await flush();
    expect(gate.stats()).toEqual({ grantedTotal: 2, waiting: 1, ratePerSecond: 2, pausedUntilMs: clock.now() + 100 });
    await advance(clock, 1000);
    expect(gate.stats()).toEqual({ grantedTotal: 3, waiting: 0, ratePerSecond: 2, pausedUntilMs: undefined });
  });
});
