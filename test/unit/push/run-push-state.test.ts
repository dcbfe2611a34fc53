import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { NetworkError, RateLimitError } from "../../../src/errors.js";
import type { OutputRow } from "../../../src/output/index.js";
import type { AddRegistrant, PushOptions } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { EventLedger } from "../../../src/state/index.js";
import { ok, people, runCollecting } from "./helpers.js";

const event = { kind: "webinar" as const, id: "81234567890" };
const nowMs = Date.UTC(2026, 10, 27, 20);
const nextMidnight = "2026-11-28T00:00:00.000Z";

async function openLedger(file = join(mkdtempSync(join(tmpdir(), "zoomreg-push-")), "state.ndjson")): Promise<{ file: string; ledger: EventLedger<OutputRow> }> {
  return { file, ledger: await EventLedger.open<OutputRow>(file, "webinar:81234567890", new Date(nowMs)) };
}

function run(overrides: Partial<PushOptions> & Pick<PushOptions, "records">, clock = new ManualClock(nowMs)) {
  return runCollecting({ event, clock, ...overrides });
}

describe("runPush with a state ledger", () => {
  it("writes rows in input order even when they finish out of order", async () => {
    const slowFirst: AddRegistrant = async (...args) => {
      if (args[1].email === "p0@example.com") for (let i = 0; i < 20; i += 1) await Promise.resolve();
      return ok(...args);
    };
    const { out } = await run({ records: people(6), addRegistrant: slowFirst });
    expect(out.map((row) => row.line)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it("sends nothing on a second run of the same rows and writes the same output", async () => {
    const { file, ledger } = await openLedger();
    const first = await run({ records: people(5), ledger });
    ledger.close();
    const again = (await openLedger(file)).ledger;
    const add = vi.fn(ok);
    const second = await run({ records: people(5), ledger: again, addRegistrant: add });
    expect(add).not.toHaveBeenCalled();
    expect(second.out).toEqual(first.out);
  });

  it("answers a row already on Zoom as existing without sending it", async () => {
    const add = vi.fn(ok);
    const existing = new Map([["p0@example.com", { registrantId: "old", joinUrl: "https://zoom.us/w/1?tk=old", status: "approved" }]]);
    const { out } = await run({ records: people(1), addRegistrant: add, existing });
    expect(add).not.toHaveBeenCalled();
    expect(out[0]).toMatchObject({ status: "existing", registrant_id: "old", join_url: "https://zoom.us/w/1?tk=old" });
  });

  it("never sends a fourth add in one UTC day to a registrant whose adds timed out three times", async () => {
    const { file, ledger } = await openLedger();
    const timeout = vi.fn<AddRegistrant>(() => Promise.reject(new NetworkError("POST", "/webinars/81234567890/registrants", "timeout", true)));
    const clock = new ManualClock(nowMs);
    const first = await run({ records: people(1), ledger, addRegistrant: timeout }, clock);
    expect(first.out[0]?.status).toBe("failed");
    expect(timeout).toHaveBeenCalledTimes(3);
    ledger.close();
    const second = await run({ records: people(1), ledger: (await openLedger(file)).ledger, addRegistrant: timeout }, clock);
    expect(timeout).toHaveBeenCalledTimes(3);
    expect(second.out[0]).toMatchObject({ status: "deferred", deferred_until: nextMidnight });
  });

  it("defers only the row Zoom refuses for its own daily adds, and goes on", async () => {
    const perRegistrant: AddRegistrant = (...args) =>
      args[1].email === "p1@example.com"
        ? Promise.reject(new RateLimitError({ method: "POST", path: "/x", status: 429, code: 429, zoomMessage: "exceeded the daily rate limit of (3) for the registrant", trackingId: undefined }, "registrant-daily", Date.parse(nextMidnight)))
        : ok(...args);
    const { out, summary } = await run({ records: people(3), addRegistrant: perRegistrant });
    expect(out.map((row) => row.status)).toEqual(["registered", "deferred", "registered"]);
    expect(summary.dailyLimitUntilMs).toBeUndefined();
  });

  it("stops sending at the account's daily limit and defers every row not sent", async () => {
    const retryAt = Date.parse(nextMidnight);
    let sent = 0;
    const daily: AddRegistrant = (...args) => {
      sent += 1;
      return sent <= 3 ? ok(...args) : Promise.reject(new RateLimitError({ method: "POST", path: "/x", status: 429, code: 429, zoomMessage: "daily limit", trackingId: undefined }, "daily", retryAt));
    };
    const { out, summary } = await run({ records: people(40), addRegistrant: daily, concurrency: 2 });
    expect(summary.dailyLimitUntilMs).toBe(retryAt);
    expect(out).toHaveLength(40);
    expect(out.filter((row) => row.status === "registered")).toHaveLength(3);
    expect(out.filter((row) => row.status === "deferred").every((row) => row.deferred_until === nextMidnight)).toBe(true);
    expect(sent).toBeLessThan(10);
  });
});
