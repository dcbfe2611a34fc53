import type { Clock } from "../shared/clock.js";

/**
 * Small async-iterable plumbing for feeding several pools from one input, with backpressure: nothing
 * here reads ahead of what its consumers ask for by more than a bounded buffer.
 */

/**
 * Splits `source` into two iterables by `predicate` (true goes left). A branch that is asked for its
 * next item pulls from the source; items for the other branch wait in its buffer, and while that
 * buffer holds `maxBuffered` items, pulling waits for it to drain, so memory stays bounded. A branch
 * whose consumer stops (return()) drops what is buffered for it and everything routed to it later;
 * `onDropped` hears of each such item (the caller decides what they mean).
 */
export function partition<T>(
  source: AsyncIterator<T>,
  predicate: (item: T) => boolean,
  options: { maxBuffered: number; onDropped?: (item: T) => void },
): [AsyncIterable<T>, AsyncIterable<T>] {
  const buffers: [T[], T[]] = [[], []];
  const closed = [false, false];
  let sourceDone = false;
  let pulling: Promise<void> | undefined;
  const drained: (() => void)[] = [];
  const wakeDrained = (): void => {
    for (const wake of drained.splice(0)) wake();
  };

  const pullOne = async (): Promise<void> => {
    const next = await source.next();
    if (next.done === true) {
      sourceDone = true;
      return;
    }
    const side = predicate(next.value) ? 0 : 1;
    if (closed[side]) options.onDropped?.(next.value);
    else buffers[side].push(next.value);
  };

  const branch = (side: 0 | 1): AsyncIterable<T> => ({
    [Symbol.asyncIterator]: (): AsyncIterator<T> => ({
      next: async (): Promise<IteratorResult<T>> => {
        const mine = buffers[side];
        const other = 1 - side;
        for (;;) {
          const item = mine.shift();
          if (item !== undefined) {
            wakeDrained();
            return { done: false, value: item };
          }
          if (sourceDone || closed[side]) return { done: true, value: undefined };
          if (!closed[other] && buffers[other as 0 | 1].length >= options.maxBuffered) {
            await new Promise<void>((resolve) => drained.push(resolve));
            continue;
          }
          // One pull at a time: two branches asking at once share it.
          pulling ??= pullOne().finally(() => {
            pulling = undefined;
          });
          await pulling;
        }
      },
      return: (): Promise<IteratorResult<T>> => {
        closed[side] = true;
        for (const item of buffers[side].splice(0)) options.onDropped?.(item);
        wakeDrained();
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  });
  return [branch(0), branch(1)];
}

/**
 * Groups consecutive items into arrays of at most `size`; the last may be shorter. With `linger`, a
 * group whose next item has not come within `lingerMs` goes out as it is: a lone item among items
 * that go elsewhere must not wait for the end of the input (issue 11: bounded memory).
 */
export function chunk<T>(source: AsyncIterable<T>, size: number, linger?: { lingerMs: number; clock: Clock }): AsyncGenerator<T[]> {
  return chunkBy(source, () => "", size, linger);
}

/**
 * {@link chunk}, with one group per key: items of one key go out together (at most `size`), in the
 * order their groups fill; when the next item lingers, every group waiting goes out.
 */
export async function* chunkBy<T>(source: AsyncIterable<T>, keyOf: (item: T) => string, size: number, linger?: { lingerMs: number; clock: Clock }): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const groups = new Map<string, T[]>();
  let pending: Promise<IteratorResult<T>> | undefined;
  for (;;) {
    pending ??= iterator.next();
    const next = groups.size === 0 || linger === undefined ? await pending : await withinLinger(pending, linger);
    if (next === undefined) {
      // Lingered long enough: the groups go out; the same pending next() is awaited afterwards.
      yield* groups.values();
      groups.clear();
      continue;
    }
    pending = undefined;
    if (next.done === true) break;
    const key = keyOf(next.value);
    const group = groups.get(key) ?? [];
    group.push(next.value);
    groups.set(key, group);
    if (group.length >= size) {
      groups.delete(key);
      yield group;
    }
  }
  yield* groups.values();
}

/** The item, or undefined when `lingerMs` passed first. */
async function withinLinger<T>(pending: Promise<IteratorResult<T>>, linger: { lingerMs: number; clock: Clock }): Promise<IteratorResult<T> | undefined> {
  const timer = new AbortController();
  const lingered = linger.clock.sleep(linger.lingerMs, timer.signal).then(
    () => undefined,
    () => undefined,
  );
  try {
    return await Promise.race([pending, lingered]);
  } finally {
    // With a reason of ours: abort() without one builds a DOMException and its stack trace, per item.
    timer.abort(lingerEnded);
  }
}

const lingerEnded = new Error("the next item came within the linger");

/**
 * Yields from every source as items arrive, until all are done. Each source is read by its own loop
 * that waits until its last item was taken (backpressure: one item ahead per source). Not written with
 * `Promise.race` over the sources' pending `next()`s: a source that stays quiet (a pool with no work
 * yet) keeps a pending promise that every race attaches a reaction to, and those reactions hold every
 * value yielded meanwhile (nodejs/node#17469): memory grew with the input.
 */
export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const ready: { value: T; taken: () => void }[] = [];
  let running = sources.length;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  let stopped = false;
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const loops = iterators.map(async (iterator) => {
    try {
      while (!stopped) {
        const next = await iterator.next();
        if (next.done === true || stopped) break;
        await new Promise<void>((taken) => {
          ready.push({ value: next.value, taken });
          notify();
        });
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      running -= 1;
      notify();
    }
  });
  try {
    for (;;) {
      const item = ready.shift();
      if (item !== undefined) {
        item.taken();
        yield item.value;
        continue;
      }
      if (failure !== undefined) throw failure.error;
      if (running === 0) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // Stopped early: tell every source so its pool drains instead of waiting forever.
    stopped = true;
    for (const item of ready.splice(0)) item.taken();
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.() ?? Promise.resolve()));
    await Promise.allSettled(loops);
  }
}

/**
 * An async iterable fed by hand: `push` items, `close` when no more will come. Items wait in memory
 * until taken, so its feeder must itself be bounded (a pool's results are).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) yield item;
      else if (this.closed) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const resolve = this.wake;
    this.wake = undefined;
    resolve?.();
  }
}
