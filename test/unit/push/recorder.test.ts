import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/errors.js";
import type { OutputRow } from "../../../src/output/index.js";
import { OutcomeRecorder } from "../../../src/push/recorder.js";
import { itemRow, type SendItem } from "../../../src/push/rows.js";
import { ManualClock } from "../../../src/shared/clock.js";
import type { EventLedger } from "../../../src/state/index.js";

const item = (seq: number): SendItem => ({ seq, line: seq + 2, key: `p${seq}@example.com`, bodyHash: "h", body: { email: `p${seq}@example.com`, first_name: "P" }, occurrenceIds: [] });

/** A ledger whose done lines are written when the test says so. */
function slowLedger(): { ledger: EventLedger<OutputRow>; finishWrites: () => void; failWrites: (error: Error) => void } {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const ledger = {
    path: "/srv/zoom/state.ndjson",
    recordDone: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  } as unknown as EventLedger<OutputRow>;
  return {
    ledger,
    finishWrites: () => pending.splice(0).forEach((write) => write.resolve()),
    failWrites: (error) => pending.splice(0).forEach((write) => write.reject(error)),
  };
}

function recorder(ledger: EventLedger<OutputRow>, failures: ConfigError[] = []) {
  const written: OutputRow[] = [];
  const outcomes = new OutcomeRecorder({ ledger, writeRow: (row) => written.push(row), writeReject: () => undefined, clock: new ManualClock(0), logger: pino({ level: "silent" }), onFailure: (error) => failures.push(error) });
  return { outcomes, written };
}

describe("OutcomeRecorder", () => {
  it("writes a row to the output only once its outcome is in the ledger", async () => {
    const { ledger, finishWrites } = slowLedger();
    const { outcomes, written } = recorder(ledger);
    outcomes.outcome(item(0), itemRow(item(0), "registered"), true);
    await Promise.resolve();
    expect(written).toEqual([]);
    finishWrites();
    await outcomes.close();
    expect(written.map((row) => row.status)).toEqual(["registered"]);
  });

  it("keeps input order when a later row's ledger line is written first", async () => {
    const { ledger, finishWrites } = slowLedger();
    const { outcomes, written } = recorder(ledger);
    outcomes.outcome(item(0), itemRow(item(0), "registered"), true);
    outcomes.unrecorded(1, itemRow(item(1), "deferred"));
    await Promise.resolve();
    expect(written).toEqual([]);
    finishWrites();
    await outcomes.close();
    expect(written.map((row) => row.line)).toEqual([2, 3]);
  });

  it("still writes the row of a person whose ledger line could not be written, and stops the run with 'disk full'", async () => {
    const failures: ConfigError[] = [];
    const { ledger, failWrites } = slowLedger();
    const { outcomes, written } = recorder(ledger, failures);
    outcomes.outcome(item(0), itemRow(item(0), "registered", { join_url: "https://zoom.us/w/1" }), true);
    failWrites(Object.assign(new Error("no space"), { code: "ENOSPC" }));
    await outcomes.close();
    expect(written.map((row) => row.join_url)).toEqual(["https://zoom.us/w/1"]);
    expect(failures.map((error) => error.message)).toEqual(["disk full: cannot write /srv/zoom/state.ndjson (ENOSPC)"]);
  });
});
