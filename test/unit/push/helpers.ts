import { pino } from "pino";
import type { OutputRow, RejectRow } from "../../../src/output/index.js";
import { runPush, type AddRegistrant, type PushOptions, type PushSummary } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";

/** Zoom's answer to a single add, registered at once, with a join_url that names the email. */
export const ok: AddRegistrant = (_event, body) =>
  Promise.resolve({ registrantId: `r-${body.email}`, joinUrl: `https://zoom.us/w/1?tk=${body.email}`, participantPinCode: undefined, topic: undefined, trackingId: `t-${body.email}`, status: 201 });

/** `n` valid people, on lines 2 to n + 1. */
export const people = (n: number) => Array.from({ length: n }, (_, i) => ({ position: i + 2, fields: { email: `p${i}@example.com`, first_name: `P${i}` } }));

/**
 * runPush with quiet, quick defaults (4 workers at 1,000/s, a manual clock), collecting what it writes.
 * A manual clock is moved on whenever the run sleeps on it (settle), so pacing and backoff cost no time.
 */
export async function runCollecting(
  options: Partial<PushOptions> & Pick<PushOptions, "records">,
): Promise<{ summary: PushSummary; out: OutputRow[]; rejects: RejectRow[] }> {
  const out: OutputRow[] = [];
  const rejects: RejectRow[] = [];
  const clock = options.clock ?? new ManualClock(1_000_000);
  const running = runPush({
    event: { kind: "meeting", id: "85746065" },
    addRegistrant: ok,
    occurrenceIds: [],
    autoApprove: false,
    concurrency: 4,
    ratePerSecond: 1000,
    writeRow: (row) => out.push(row),
    writeReject: (row) => rejects.push(row),
    random: () => 0.5,
    logger: pino({ level: "silent" }),
    ...options,
    clock,
  });
  const summary = await (clock instanceof ManualClock ? settle(running, clock) : running);
  return { summary, out, rejects };
}

/**
 * Moves the manual clock to the next sleeper's wake time whenever something sleeps on it, until
 * `promise` settles. Real file I/O (the ledger's fdatasync) needs loop turns, not clock time, so time
 * moves only when a sleeper waits, and exactly to when it wakes.
 */
export async function settle<T>(promise: Promise<T>, clock: ManualClock): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true)).catch(() => undefined);
  const deadlineMs = Date.now() + 20_000;
  while (!done && Date.now() < deadlineMs) {
    await new Promise((resolve) => setImmediate(resolve));
    const wakeAtMs = clock.nextWakeAtMs;
    if (wakeAtMs !== undefined) await clock.advance(Math.max(0, wakeAtMs - clock.now()));
  }
  return promise;
}
