/**
 * The run's output from its parts (issue 20): each event's rows come in input order within the event,
 * and so do the rows the run itself wrote (a row whose event could not be read); merged by line, they
 * are the input's order again. Rows without a line (registrants --prune cancelled) follow every input
 * row, event by event. Streams: one row of each part is held at a time.
 */
export async function* mergeByLine<T extends { line: number | "" }>(parts: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = parts.map((part) => part[Symbol.asyncIterator]());
  const heads: (T | undefined)[] = await Promise.all(iterators.map(async (iterator) => (await iterator.next()).value as T | undefined));
  const advance = async (index: number): Promise<void> => {
    heads[index] = (await (iterators[index] as AsyncIterator<T>).next()).value as T | undefined;
  };
  for (;;) {
    let next: number | undefined;
    for (const [index, head] of heads.entries()) {
      if (head === undefined || head.line === "") continue;
      const best = next === undefined ? undefined : heads[next];
      if (best === undefined || (head.line) < (best.line as number)) next = index;
    }
    if (next === undefined) break;
    yield heads[next] as T;
    await advance(next);
  }
  // What is left in each part has no line: its prune's cancellations, part by part.
  for (const [index] of heads.entries()) {
    while (heads[index] !== undefined) {
      yield heads[index];
      await advance(index);
    }
  }
}
