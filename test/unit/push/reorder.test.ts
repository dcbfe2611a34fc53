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
