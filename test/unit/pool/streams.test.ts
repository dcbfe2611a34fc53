import { describe, expect, it } from "vitest";
import { chunk, merge, partition } from "../../../src/pool/index.js";

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* from<T>(items: T[], pulled?: { count: number }): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    if (pulled !== undefined) pulled.count += 1;
    yield item;
  }
}

describe("partition", () => {
  it("sends each item to the branch its predicate names, in order", async () => {
    const [even, odd] = partition(from([1, 2, 3, 4, 5, 6])[Symbol.asyncIterator](), (n) => n % 2 === 0, { maxBuffered: 10 });
    const [evens, odds] = await Promise.all([collect(even), collect(odd)]);
    expect(evens).toEqual([2, 4, 6]);
    expect(odds).toEqual([1, 3, 5]);
  });

  it("stops pulling while the other branch's buffer is full", async () => {
    const pulled = { count: 0 };
    const [left] = partition(from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], pulled)[Symbol.asyncIterator](), (n) => n === 10, { maxBuffered: 3 });
    const waiting = left[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled.count).toBe(3);
    void waiting;
  });

  it("hands items routed to a stopped branch to onDropped", async () => {
    const dropped: number[] = [];
    const [left, right] = partition(from([1, 2, 3, 4])[Symbol.asyncIterator](), (n) => n <= 2, { maxBuffered: 10, onDropped: (n) => dropped.push(n) });
    await left[Symbol.asyncIterator]().return?.();
    expect(await collect(right)).toEqual([3, 4]);
    expect(dropped).toEqual([1, 2]);
  });
});

describe("chunk", () => {
  it.each([
    [[1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    [[1, 2], 30, [[1, 2]]],
    [[], 30, []],
  ])("groups %j by %i", async (items, size, expected) => {
    expect(await collect(chunk(from(items), size))).toEqual(expected);
  });
});

describe("merge", () => {
  it("yields every item of every source", async () => {
    expect((await collect(merge(from([1, 2]), from([3]), from([])))).sort()).toEqual([1, 2, 3]);
  });

  it("tells unfinished sources to stop when the consumer stops early", async () => {
    let stopped = false;
    async function* endless(): AsyncGenerator<number> {
      try {
        for (;;) yield await Promise.resolve(1);
      } finally {
        stopped = true;
      }
    }
    for await (const _ of merge(endless())) break;
    expect(stopped).toBe(true);
  });
});
