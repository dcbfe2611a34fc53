import { describe, expect, it } from "vitest";
import type { RowStatus } from "../../../src/output/index.js";
import { colourWanted, DecayingRate, Progress, RecentShare, rowsWord } from "../../../src/cli/progress.js";
import { RowTally } from "../../../src/engine/row-tally.js";

/** A display on a fake terminal with a clock the test moves: no sleeps, no timers. */
function display(options: { totalRows?: number; colour?: boolean; columns?: number } = {}) {
  let nowMs = 0;
  const written: string[] = [];
  const stream = { write: (text: string) => written.push(text) > 0, isTTY: true, ...(options.columns === undefined ? {} : { columns: options.columns }) };
  const progress = new Progress({
    stream: stream as unknown as NodeJS.WritableStream,
    colour: options.colour ?? false,
    nowMs: () => nowMs,
    totalRows: options.totalRows,
    redrawMs: 100,
    refreshMs: 0,
  });
  return {
    progress,
    written,
    advance: (ms: number) => (nowMs += ms),
    /** `count` rows, one every `everyMs`. */
    rows: (count: number, status: RowStatus, sentThisRun: boolean, everyMs = 0): void => {
      for (let i = 0; i < count; i++) {
        nowMs += everyMs;
        progress.row(status, sentThisRun);
      }
    },
  };
}

describe("Progress: the share", () => {
  it("is rows done of the rows in the file, not bytes read", () => {
    const { progress, rows } = display({ totalRows: 3000 });
    rows(1, "registered", true, 100);
    expect(progress.render()).toMatch(/^\[-{20}\] 0% {2}1 of 3,000 rows {2}/);
    rows(749, "registered", true, 100);
    expect(progress.render()).toMatch(/^\[#####-{15}\] 25% {2}750 of 3,000 rows {2}/);
  });

  it("has no share and no ETA without a total (stdin): counts and rate only", () => {
    const { progress, rows } = display();
    rows(20, "registered", true, 100);
    expect(progress.render()).toBe("20 rows  20 new sent  10.0/s");
  });

  it("draws the last row, so the line ends at 100%", () => {
    const { written, rows } = display({ totalRows: 5 });
    rows(5, "registered", true, 1);
    expect(written.at(-1)).toMatch(/\] 100% {2}5 of 5 rows/);
  });

  it("never passes 100% when the count fell short", () => {
    const { progress, rows } = display({ totalRows: 2 });
    rows(3, "registered", true, 10);
    expect(progress.render()).toMatch(/100% {2}3 of 3 rows/);
  });
});

describe("Progress: rows already registered apart from new sends", () => {
  it("counts rows answered from the ledger or Zoom's list apart, whatever their status", () => {
    const { progress, rows } = display({ totalRows: 2000 });
    rows(1000, "registered", false);
    rows(200, "existing", false);
    rows(340, "registered", true, 100);
    const { alreadyRegistered, sent, sendsExpected } = progress.snapshot();
    expect({ alreadyRegistered, sent }).toEqual({ alreadyRegistered: 1200, sent: 340 });
    // The recent rows were nearly all sent (1 - 0.99^340 = 97%): so are nearly all of the 460 left.
    expect(sendsExpected).toBe(340 + Math.round(460 * (1 - 0.99 ** 340)));
    expect(progress.render()).toBe("[###############-----] 77%  1,540 of 2,000 rows  1,200 already registered  340 of 785 new sent  10.0/s  ETA 44s");
  });

  it("shows the rows this run did not register by status", () => {
    const { progress, rows } = display();
    rows(2, "invalid", false);
    rows(1, "failed", true, 100);
    rows(1, "not_sent", false);
    expect(progress.render()).toBe("4 rows  1 new sent  10.0/s  failed 1  not sent 1  invalid 2");
  });
});

describe("Progress: the ETA", () => {
  it("is the rows left over the rate of new sends", () => {
    const { progress, rows } = display({ totalRows: 1000 });
    rows(100, "registered", true, 100);
    const { sendsPerSecond, etaSeconds } = progress.snapshot();
    expect(sendsPerSecond).toBeCloseTo(10, 1);
    expect(etaSeconds).toBeCloseTo(90, 0);
  });

  it("is not made optimistic by a fast stretch of rows answered from the ledger", () => {
    const { progress, rows, advance } = display({ totalRows: 2000 });
    advance(1000);
    rows(1000, "registered", false, 1);
    rows(300, "registered", true, 100);
    const { sendsPerSecond, etaSeconds } = progress.snapshot();
    // Rows per second since the start would be 1,300 / 32 s, about 41/s, and the ETA 17 s.
    expect(sendsPerSecond).toBeCloseTo(10, 1);
    // The truth: 700 rows left, each sent at 10/s.
    expect(etaSeconds).toBeGreaterThan(0.9 * 70);
    expect(etaSeconds).toBeLessThanOrEqual(70);
  });

  it("follows the recent rate: a run that slows down shows a later ETA", () => {
    const { progress, rows } = display({ totalRows: 10_000 });
    rows(600, "registered", true, 50);
    expect(progress.snapshot().sendsPerSecond).toBeCloseTo(20, 1);
    rows(60, "registered", true, 1000);
    // One a second for a minute: the last ~30 s count most, the 20/s start is mostly forgotten.
    const { sendsPerSecond, etaSeconds } = progress.snapshot();
    expect(sendsPerSecond).toBeGreaterThan(1);
    expect(sendsPerSecond).toBeLessThan(4);
    expect(etaSeconds).toBeGreaterThan(9340 / 4);
  });

  it("counts down from where sending started, not from when the display was made", () => {
    const { progress, rows, advance } = display({ totalRows: 100 });
    advance(5000);
    progress.start();
    rows(10, "registered", true, 100);
    expect(progress.snapshot().sendsPerSecond).toBeCloseTo(10, 1);
  });

  it("is not shown before anything was sent, nor once nothing is left", () => {
    const { progress, rows } = display({ totalRows: 10 });
    rows(5, "existing", false, 1);
    expect(progress.snapshot().etaSeconds).toBeUndefined();
    rows(5, "registered", true, 100);
    expect(progress.snapshot().etaSeconds).toBeUndefined();
  });
});

describe("Progress: words and drawing", () => {
  it.each([
    [0, "0 rows"],
    [1, "1 row"],
    [2, "2 rows"],
    [1200, "1,200 rows"],
  ])("says %d as %j", (n, text) => {
    expect(rowsWord(n)).toBe(text);
  });

  it("says 1 row on the line", () => {
    const stdin = display();
    stdin.rows(1, "registered", true, 100);
    expect(stdin.progress.render()).toMatch(/^1 row {2}/);
    const file = display({ totalRows: 1 });
    file.rows(1, "registered", true, 100);
    expect(file.progress.render()).toMatch(/ 1 of 1 row {2}/);
  });

  it("colours already registered, new sends and problems only when asked", () => {
    const { progress, rows } = display({ colour: true });
    rows(1, "existing", false);
    rows(1, "registered", true, 100);
    rows(1, "failed", true, 100);
    const line = progress.render();
    expect(line).toContain("  \x1b[36m1 already registered\x1b[0m");
    expect(line).toContain("\x1b[32m2 new sent\x1b[0m");
    expect(line).toContain("\x1b[31mfailed 1\x1b[0m");
  });

  it("fits the terminal's width, so the line never wraps", () => {
    const { progress, rows } = display({ totalRows: 100_000, columns: 40, colour: true });
    rows(10, "registered", true, 100);
    const line = progress.render();
    expect(line.replaceAll("\x1b", "").replace(/\[\d+m/g, "")).toHaveLength(39);
    const sizeless = display({ columns: 0 });
    sizeless.rows(1, "registered", true, 100);
    expect(sizeless.progress.render()).toBe("1 row  1 new sent  10.0/s");
  });

  it("redraws at most once per interval, and clears only what it drew", () => {
    const { progress, written, rows, advance } = display();
    progress.clear();
    expect(written).toHaveLength(0);
    rows(50, "registered", true);
    advance(100);
    rows(1, "registered", true);
    expect(written).toHaveLength(2);
    progress.finish();
    expect(written.at(-1)).toBe("\r\x1b[2K");
    progress.clear();
    expect(written).toHaveLength(3);
  });

  it.each([
    [{}, true, true, true],
    [{ NO_COLOR: "1" }, true, true, false],
    [{}, false, true, false],
    [{}, true, false, false],
  ])("decides colour from env %j, flag %s, terminal %s: %s", (env, flag, isTTY, expected) => {
    expect(colourWanted(env, flag, { isTTY })).toBe(expected);
  });
});

describe("the pieces", () => {
  it("RowTally tells this run's registrations from earlier ones", () => {
    const tally = new RowTally();
    tally.add("registered", true);
    tally.add("pending_approval", true);
    tally.add("registered", false);
    tally.add("pending_approval", false);
    tally.add("existing", false);
    tally.add("failed", true);
    tally.add("invalid", false);
    expect(tally).toMatchObject({ rows: 7, sent: 3, registeredNow: 1, pendingApprovalNow: 1, alreadyRegistered: 3 });
    expect(tally.byStatus).toMatchObject({ registered: 2, pending_approval: 2, existing: 1, failed: 1, invalid: 1 });
  });

  it("DecayingRate reads a steady rate exactly from the first second", () => {
    const rate = new DecayingRate(30_000, 0);
    for (let ms = 100; ms <= 2000; ms += 100) rate.add(3, ms);
    // Within 0.2%: events weigh from when they happen, the time in between as a whole.
    expect(Math.abs((rate.perSecond(2000) ?? 0) / 30 - 1)).toBeLessThan(0.002);
    expect(rate.perSecond(0)).toBeUndefined();
  });

  it("RecentShare weighs recent rows most", () => {
    const share = new RecentShare(100);
    expect(share.value).toBeUndefined();
    for (let i = 0; i < 1000; i++) share.add(false);
    for (let i = 0; i < 300; i++) share.add(true);
    expect(share.value).toBeGreaterThan(0.94);
  });
});

describe("Progress: a run of many events", () => {
  it("shows the total and the events done and pushing, with the event the latest row was sent for", () => {
    const { progress, advance } = display({ totalRows: 100 });
    progress.setEvents({ seen: 3, pushing: 2, done: 1 });
    advance(100);
    progress.row("registered", true, "meeting 85746065");
    advance(100);
    progress.row("existing", false, "webinar 81234567890");
    expect(progress.render()).toMatch(/^\[-{20}\] 2% {2}2 of 100 rows {2}events 1 of 3 done, 2 pushing \(meeting 85746065\) {2}1 already registered/);
  });

  it("shows no events on a single-event run", () => {
    const { progress, rows } = display({ totalRows: 10 });
    rows(2, "registered", true, 100);
    expect(progress.render()).not.toContain("events");
  });
});
