import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { EventPushContext, EventPushResult } from "../../../src/engine/event-push.js";
import { EventRuns, maxEventsPerRun } from "../../../src/engine/event-runs.js";
import type { EventOutputRow } from "../../../src/output/index.js";
import { emptyRow } from "../../../src/push/rows.js";
import { SharedStop } from "../../../src/push/shared-stop.js";

/** EventRuns with a push the test writes: no Zoom, no files but the parts' own. */
function runsWith(push: (context: EventPushContext) => Promise<EventPushResult>, signal = new AbortController().signal) {
  const rows: EventOutputRow[] = [];
  const runs = new EventRuns({
    besidePath: join(mkdtempSync(join(tmpdir(), "zoomreg-runs-")), "out.csv"),
    signal,
    sharedStop: new SharedStop(),
    mapping: { fields: { email: "email" }, questions: [], unmapped: [] },
    nowMs: () => 0,
    push,
    onRow: (row) => rows.push(row),
    contextFor: () => ({}) as unknown as ReturnType<ConstructorParameters<typeof EventRuns>[0]["contextFor"]>,
  });
  return { runs, rows };
}

const record = (position: number) => ({ position, fields: { email: `p${position}@example.com` } });
const meeting = { kind: "meeting", id: "85746065" } as const;

/** A push that registers every row it takes. */
async function registerAll(context: EventPushContext): Promise<EventPushResult> {
  const sinks = context.openSinks();
  for await (const taken of context.records) sinks.writeRow({ ...emptyRow(taken.position, "registered"), email: String(taken.fields.email) }, true);
  return { exitCode: 0 } as unknown as EventPushResult;
}

describe("EventRuns", () => {
  it("writes as not_sent, saying why, the rows of an event whose push refused it", async () => {
    const { runs, rows } = runsWith(() => Promise.reject(new ConfigError("webinar 1 takes no registrations")));
    runs.routeTo(meeting, record(2));
    runs.routeTo(meeting, record(3));
    runs.endInput();
    await runs.allDone();
    expect(rows.map((row) => [row.line, row.status, row.error_message])).toEqual([
      [2, "not_sent", "not sent: webinar 1 takes no registrations; the next run sends it"],
      [3, "not_sent", "not sent: webinar 1 takes no registrations; the next run sends it"],
    ]);
    expect(runs.failure).toBeUndefined();
  });

  it("keeps a push's failure that is not zoomreg's error for the run, and still writes every row", async () => {
    const { runs, rows } = runsWith(() => Promise.reject(new TypeError("a bug")));
    runs.routeTo(meeting, record(2));
    runs.endInput();
    await runs.allDone();
    expect(runs.failure).toBeInstanceOf(TypeError);
    expect(rows.map((row) => row.status)).toEqual(["not_sent"]);
  });

  it("writes the rows no push took as not_sent once the signal aborts, whatever the aborted push threw", async () => {
    const controller = new AbortController();
    const { runs, rows } = runsWith(async () => {
      controller.abort("SIGINT");
      // An aborted request rejects with the signal's reason: a string, not an error of zoomreg's.
      return Promise.reject(new Error("SIGINT"));
    }, controller.signal);
    runs.routeTo(meeting, record(2));
    runs.routeTo({ kind: "webinar", id: "81234567890" }, record(3));
    runs.endInput();
    await runs.allDone();
    expect(rows.map((row) => [row.line, row.status, row.error_message]).sort()).toEqual([
      [2, "not_sent", "not sent: interrupted; the next run sends it"],
      [3, "not_sent", "not sent: interrupted; the next run sends it"],
    ]);
    expect(runs.failure).toBeUndefined();
  });

  it("takes rows for at most maxEventsPerRun events, and always for one it already has", () => {
    const { runs } = runsWith(registerAll);
    for (let n = 0; n < maxEventsPerRun; n += 1) runs.routeTo({ kind: "meeting", id: String(10_000_000 + n) }, record(n + 2));
    expect(runs.takes({ kind: "meeting", id: "99999999" })).toBe(false);
    expect(runs.takes({ kind: "meeting", id: "10000000" })).toBe(true);
    runs.endInput();
    runs.disposeAll();
  });
});
