import { describe, expect, it } from "vitest";
import { ReorderBuffer } from "../../../src/push/reorder.js";

describe("ReorderBuffer", () => {
  it.each([
    [[0, 1, 2], [0, 1, 2]],
    [[2, 0, 1], [0, 1, 2]],
    [[1, 2, 3, 0], [0, 1, 2, 3]],
  ])("emits %j in input order", (arrivals, expected) => {
    const out: number[] = [];
    const buffer = new ReorderBuffer<number>((n) => out.push(n));
    for (const seq of arrivals) buffer.put(seq, seq);
    expect(out).toEqual(expected);
    expect(buffer.held).toBe(0);
  });

  it("holds rows behind an unfinished one until it finishes", () => {
    const out: number[] = [];
    const buffer = new ReorderBuffer<number>((n) => out.push(n));
    buffer.put(1, 1);
    buffer.put(2, 2);
    expect(out).toEqual([]);
    expect(buffer.held).toBe(2);
  });

  it("flushes what is held in order, skipping rows that never finished", () => {
    const out: number[] = [];
    const buffer = new ReorderBuffer<number>((n) => out.push(n));
    buffer.put(3, 3);
    buffer.put(1, 1);
    buffer.flushAll();
    expect(out).toEqual([1, 3]);
  });
});

describe("ReorderBuffer room", () => {
  it("makes a reader wait while maxHeld rows wait for an earlier one, and lets it go when that row comes", async () => {
    const buffer = new ReorderBuffer<number>(() => undefined);
    for (let seq = 1; seq <= 3; seq += 1) buffer.put(seq, seq);
    let free = false;
    const waiting = buffer.room(3).then(() => (free = true));
    await Promise.resolve();
    expect(free).toBe(false);
    buffer.put(0, 0);
    await waiting;
    expect(buffer.held).toBe(0);
  });

  it("lets a reader go at once when fewer than maxHeld rows are held", async () => {
    const buffer = new ReorderBuffer<number>(() => undefined);
    buffer.put(1, 1);
    await expect(buffer.room(2)).resolves.toBeUndefined();
  });

  it("lets a waiting reader go when the run stops", async () => {
    const buffer = new ReorderBuffer<number>(() => undefined);
    buffer.put(1, 1);
    const stop = new AbortController();
    const waiting = buffer.room(1, stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
