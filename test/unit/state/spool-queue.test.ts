import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpoolQueue } from "../../../src/state/spool-queue.js";

const folder = (): string => mkdtempSync(join(tmpdir(), "zoomreg-spool-"));

async function drain<T>(queue: SpoolQueue<T>): Promise<T[]> {
  const taken: T[] = [];
  for await (const value of queue) taken.push(value);
  return taken;
}

describe("SpoolQueue", () => {
  it.each([
    ["all in memory", 1_000, 10],
    ["most on disk", 3, 5_000],
    ["nothing in memory but the next one", 0, 500],
  ])("gives back every value in the order pushed: %s", async (_what, maxInMemory, count) => {
    const queue = new SpoolQueue<{ n: number; text: string }>({ besidePath: join(folder(), "rows"), maxInMemory });
    const values = Array.from({ length: count }, (_, n) => ({ n, text: `row ${n} é ✓ 𝄞`.repeat(1 + (n % 7)) }));
    for (const value of values) queue.push(value);
    queue.close();
    expect(await drain(queue)).toEqual(values);
  });

  it("keeps the order when pushes and takes interleave across the memory limit", async () => {
    const queue = new SpoolQueue<number>({ besidePath: join(folder(), "rows"), maxInMemory: 4 });
    const taken: number[] = [];
    const reading = (async () => {
      for await (const value of queue) taken.push(value);
    })();
    for (let n = 0; n < 300; n += 1) {
      queue.push(n);
      if (n % 17 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    queue.close();
    await reading;
    expect(taken).toEqual(Array.from({ length: 300 }, (_, n) => n));
  });

  it("holds no more than its limit in memory: the rest waits on disk", () => {
    const queue = new SpoolQueue<number>({ besidePath: join(folder(), "rows"), maxInMemory: 10 });
    for (let n = 0; n < 1_000; n += 1) queue.push(n);
    expect(queue.size).toBe(1_000);
    expect((queue as unknown as { memory: number[] }).memory.length).toBe(10);
  });

  it("leaves no file behind in its folder, before or after it is drained", async () => {
    const dir = folder();
    const queue = new SpoolQueue<number>({ besidePath: join(dir, "rows"), maxInMemory: 1 });
    for (let n = 0; n < 100; n += 1) queue.push(n);
    expect(readdirSync(dir)).toEqual([]);
    queue.close();
    await drain(queue);
    queue.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("waits for a value pushed later, and ends once closed and taken", async () => {
    const queue = new SpoolQueue<string>({ besidePath: join(folder(), "rows"), maxInMemory: 2 });
    const taken = drain(queue);
    queue.push("a");
    setImmediate(() => {
      queue.push("b");
      queue.close();
    });
    expect(await taken).toEqual(["a", "b"]);
  });

  it("throws the error it was closed with once every value is taken: a broken input reaches whoever reads", async () => {
    const queue = new SpoolQueue<number>({ besidePath: join(folder(), "rows"), maxInMemory: 2 });
    for (let n = 0; n < 5; n += 1) queue.push(n);
    queue.close(new Error("line 7: a quote never closed"));
    const taken: number[] = [];
    await expect(
      (async () => {
        for await (const value of queue) taken.push(value);
      })(),
    ).rejects.toThrow("line 7: a quote never closed");
    expect(taken).toEqual([0, 1, 2, 3, 4]);
  });

  it("writes a BigInt that went to disk as its digits, where JSON alone would throw", async () => {
    const queue = new SpoolQueue<{ id: bigint | string }>({ besidePath: join(folder(), "rows"), maxInMemory: 0 });
    queue.push({ id: 85746065000000000001n });
    queue.close();
    expect(await drain(queue)).toEqual([{ id: "85746065000000000001" }]);
  });

  it("keeps spilling and reading in order after its file was read through and closed", async () => {
    const queue = new SpoolQueue<number>({ besidePath: join(folder(), "rows"), maxInMemory: 1 });
    const taken: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (let n = 0; n < 10; n += 1) queue.push(round * 10 + n);
      for (let n = 0; n < 10; n += 1) {
        const next = await queue[Symbol.asyncIterator]().next();
        if (next.done !== true) taken.push(next.value);
      }
    }
    expect(taken).toEqual(Array.from({ length: 30 }, (_, n) => n));
  });
});
