/**
 * The two counters every limit of the fake is made of: how many events fell in the last second
 * (Zoom's per-second limits are "over a rolling second", docs/zoom-facts.md), and how many a key spent on one
 * UTC day (the daily limits "reset at 00:00 UTC"). Both are O(1) amortised: the fake must serve
 * thousands of requests a second and never become the bottleneck of a benchmark.
 */

export const msPerDay = 86_400_000;
const windowMs = 1000;

/** The UTC day number of an epoch-ms instant. */
export function utcDay(nowMs: number): number {
  return Math.floor(nowMs / msPerDay);
}

/** The next 00:00 UTC strictly after `nowMs`, as Zoom writes it in a daily limit's Retry-After. */
export function nextUtcMidnightIso(nowMs: number): string {
  return new Date((utcDay(nowMs) + 1) * msPerDay).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Timestamps within a rolling second: an instant `t` counts while `now - t < 1000`. A queue on a
 * plain array with a moving head, compacted now and then, so pushes and expiries never shift the array.
 */
export class RollingSecond {
  private times: number[] = [];
  private head = 0;

  /** Events in (nowMs - 1000, nowMs]. */
  count(nowMs: number): number {
    this.expire(nowMs);
    return this.times.length - this.head;
  }

  add(nowMs: number): void {
    this.times.push(nowMs);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }

  private expire(nowMs: number): void {
    const { times } = this;
    let { head } = this;
    while (head < times.length && (times[head] as number) <= nowMs - windowMs) head += 1;
    if (head > 1024 && head * 2 > times.length) {
      this.times = times.slice(head);
      head = 0;
    }
    this.head = head;
  }
}

/** How often each key acted on the current UTC day (a key's count restarts on a new day). */
export class DailyCounter {
  private readonly byKey = new Map<string, { day: number; count: number }>();

  constructor(readonly limitPerDay: number) {}

  /** Spent so far today by `key`. */
  spent(key: string, nowMs: number): number {
    const entry = this.byKey.get(key);
    return entry === undefined || entry.day !== utcDay(nowMs) ? 0 : entry.count;
  }

  /** True when `key` may act `times` more times today. */
  allows(key: string, nowMs: number, times = 1): boolean {
    return this.spent(key, nowMs) + times <= this.limitPerDay;
  }

  /** Counts `times` more actions of `key` today, whatever the limit (the caller checked `allows`). */
  spend(key: string, nowMs: number, times = 1): void {
    const day = utcDay(nowMs);
    const entry = this.byKey.get(key);
    if (entry === undefined || entry.day !== day) this.byKey.set(key, { day, count: times });
    else entry.count += times;
  }

  /** Counts one action and says whether it was within the limit (over-limit attempts count too). */
  spendOne(key: string, nowMs: number): boolean {
    this.spend(key, nowMs);
    return this.spent(key, nowMs) <= this.limitPerDay;
  }

  clear(): void {
    this.byKey.clear();
  }
}
