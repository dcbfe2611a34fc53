import { describe, expect, it } from "vitest";
import { chunk, chunkBy } from "../../../src/pool/index.js";
import { SlidingWindowRateGate } from "../../../src/pool/rate-gate.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { advance, flush, track } from "./helpers.js";

/** A manual clock whose sleeps last whole milliseconds, at least one, as setTimeout's do, and end `lateByMs` late. */
class TimerLikeClock extends ManualClock {
  constructor(
    startMs: number,
    private readonly lateByMs = 0,
  ) {
    super(startMs);
  }
  override sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return super.sleep(Math.max(1, Math.ceil(delayMs)) + this.lateByMs, signal);
  }
}

/** An async source whose items arrive when the test pushes them. */
function manualSource<T>(): { source: AsyncIterable<T>; push: (item: T) => void; end: () => void } {
  const items: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const source = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const item = items.shift();
        if (item !== undefined) yield item;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  return { source, push: (item) => (items.push(item), poke()), end: () => ((ended = true), poke()) };
}

describe("chunk with a linger", () => {
  it("holds a group that is not full while its linger runs", async () => {
    const clock = new ManualClock(0);
    const { source, push } = manualSource<number>();
    const groups = chunk(source, 30, { lingerMs: 300, clock })[Symbol.asyncIterator]();
    push(1);
    const first = track(groups.next());
    await advance(clock, 299);
    expect(first.state).toBe("pending");
    await advance(clock, 1);
    expect(first.state).toBe("resolved");
  });

  it("yields the lone item within the linger and the rest later", async () => {
    const clock = new ManualClock(0);
    const { source, push, end } = manualSource<number>();
    const iterator = chunk(source, 3, { lingerMs: 300, clock })[Symbol.asyncIterator]();
    push(1);
    const lone = iterator.next();
    await advance(clock, 300);
    expect(await lone).toEqual({ done: false, value: [1] });
    push(2);
    push(3);
    push(4);
    expect(await iterator.next()).toEqual({ done: false, value: [2, 3, 4] });
    end();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("keeps filling a group whose items come sooner than the linger", async () => {
    const clock = new ManualClock(0);
    const { source, push } = manualSource<number>();
    const iterator = chunk(source, 3, { lingerMs: 300, clock })[Symbol.asyncIterator]();
    const group = iterator.next();
    for (const item of [1, 2, 3]) {
      push(item);
      await advance(clock, 200);
    }
    expect(await group).toEqual({ done: false, value: [1, 2, 3] });
  });
});

describe("SlidingWindowRateGate with even spacing", () => {
  it("grants one permit every 1000 / rate ms instead of a second's permits at once", async () => {
    const clock = new ManualClock(1_000_000);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 10, clock, spacing: "even" });
    const permits = Array.from({ length: 3 }, () => track(gate.acquire()));
    await flush();
    expect(permits.map((p) => p.state)).toEqual(["resolved", "pending", "pending"]);
    await advance(clock, 99);
    expect(permits[1]?.state).toBe("pending");
    await advance(clock, 1);
    expect(permits.map((p) => p.state)).toEqual(["resolved", "resolved", "pending"]);
  });

  it("counts the gap from the last grant at Zoom's rates, so a late timer slows it rather than bunching permits", async () => {
    const clock = new TimerLikeClock(1_000_000, 3);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 10, clock, spacing: "even" });
    const permits = Array.from({ length: 3 }, () => track(gate.acquire()));
    await advance(clock, 103);
    expect(permits.map((p) => p.state)).toEqual(["resolved", "resolved", "pending"]);
    // 100 ms after the second grant (at 103), plus the timer's 3: at 206, not at the 200 of a schedule.
    await advance(clock, 102);
    expect(permits[2]?.state).toBe("pending");
    await advance(clock, 1);
    expect(permits[2]?.state).toBe("resolved");
  });

  it.each([
    ["lowered", 2, 500],
    ["raised", 30, 33.4],
  ])("spaces the permit already waiting by a %s rate's interval", async (_name, newRate, dueAfterMs) => {
    const clock = new ManualClock(1_000_000);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 10, clock, spacing: "even" });
    const permits = Array.from({ length: 2 }, () => track(gate.acquire()));
    await advance(clock, 1);
    gate.setRate(newRate);
    await advance(clock, Math.ceil(dueAfterMs) - 2);
    expect(permits[1]?.state).toBe("pending");
    await advance(clock, 1);
    expect(permits[1]?.state).toBe("resolved");
  });

  it("grants several permits a timer tick when the rate's interval is shorter than a tick", async () => {
    const clock = new TimerLikeClock(1_000_000);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 10_000, clock, spacing: "even" });
    const permits = Array.from({ length: 100 }, () => track(gate.acquire()));
    await advance(clock, 5);
    expect(permits.filter((p) => p.state === "resolved").length).toBeGreaterThanOrEqual(40);
  });

  it("restarts its schedule after an idle time instead of granting the permits it saved up at once", async () => {
    const clock = new ManualClock(1_000_000);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 10, clock, spacing: "even" });
    await gate.acquire();
    await advance(clock, 5_000);
    const permits = Array.from({ length: 2 }, () => track(gate.acquire()));
    await flush();
    expect(permits.map((p) => p.state)).toEqual(["resolved", "pending"]);
  });

  it("counts requests made before it in its first window", async () => {
    const clock = new ManualClock(1_000_000);
    const gate = new SlidingWindowRateGate({ ratePerSecond: 3, clock, grantedAtMs: [999_900, 999_950] });
    const permits = Array.from({ length: 2 }, () => track(gate.acquire()));
    await flush();
    expect(permits.map((p) => p.state)).toEqual(["resolved", "pending"]);
    await advance(clock, 900);
    expect(permits[1]?.state).toBe("resolved");
  });
});

describe("chunkBy", () => {
  it("groups items by key, each group at most size, the rest at the end", async () => {
    async function* items(): AsyncGenerator<string> {
      for (const item of ["a1", "b1", "a2", "a3", "b2"]) yield await Promise.resolve(item);
    }
    const groups: string[][] = [];
    for await (const group of chunkBy(items(), (item) => item.slice(0, 1), 2)) groups.push(group);
    expect(groups).toEqual([["a1", "a2"], ["b1", "b2"], ["a3"]]);
  });
});
