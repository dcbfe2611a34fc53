import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ApiError, NetworkError, RateLimitError, ZoomUnavailableError } from "../../../src/errors.js";
import type { OutputRow } from "../../../src/output/index.js";
import type { AddBatch, AddRegistrant, PushOptions } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { EventLedger } from "../../../src/state/index.js";
import { ok, people, runCollecting } from "./helpers.js";

const event = { kind: "webinar" as const, id: "81234567890" };
const nowMs = Date.UTC(2026, 11, 4, 2, 30);
const path = "/webinars/81234567890/registrants";
const zoomSays = (status: number, code: number | undefined, zoomMessage: string) => new ApiError({ method: "POST", path, status, code, zoomMessage, trackingId: "tid" });
const perSecond = () => new RateLimitError({ method: "POST", path, status: 429, code: 429, zoomMessage: "You have reached the maximum per-second rate limit for this API.", trackingId: undefined }, "qps", undefined);
const refused = () => new NetworkError("POST", path, "connection refused", false);

async function openLedger(file = join(mkdtempSync(join(tmpdir(), "zoomreg-refusals-")), "state.ndjson")): Promise<{ file: string; ledger: EventLedger<OutputRow> }> {
  return { file, ledger: await EventLedger.open<OutputRow>(file, `webinar:${event.id}`, new Date(nowMs)) };
}

/** Adds the ledger counts today for an email, read back from the file as the next run would. */
async function addsCounted(file: string, email: string): Promise<number> {
  const reopened = await EventLedger.open<OutputRow>(file, `webinar:${event.id}`, new Date(nowMs));
  const adds = reopened.addsOnDay(email, nowMs);
  reopened.close();
  return adds;
}

function run(overrides: Partial<PushOptions> & Pick<PushOptions, "records">, clock = new ManualClock(nowMs)) {
  return runCollecting({ event, clock, ...overrides });
}

describe("what counts toward a person's 3 adds a day", () => {
  it("registers a person after four per-second 429s and counts one add for them", async () => {
    const { file, ledger } = await openLedger();
    let calls = 0;
    const throttled: AddRegistrant = (...args) => (++calls <= 4 ? Promise.reject(perSecond()) : ok(...args));
    const { out } = await run({ records: people(1), addRegistrant: throttled, ledger });
    ledger.close();
    expect(out[0]?.status).toBe("registered");
    expect(calls).toBe(5);
    expect(await addsCounted(file, "p0@example.com")).toBe(1);
  });

  it("counts no add for a person whose every attempt met a refused connection", async () => {
    const { file, ledger } = await openLedger();
    const add = vi.fn<AddRegistrant>(() => Promise.reject(refused()));
    const { out, summary } = await run({ records: people(1), addRegistrant: add, ledger });
    ledger.close();
    expect(add).toHaveBeenCalledTimes(3);
    expect(out[0]).toMatchObject({ status: "failed", error_code: "network" });
    expect(summary.zoomFailures).toBe(1);
    expect(await addsCounted(file, "p0@example.com")).toBe(0);
  });

  it("counts every attempt that timed out after the request was sent", async () => {
    const { file, ledger } = await openLedger();
    const add = vi.fn<AddRegistrant>(() => Promise.reject(new NetworkError("POST", path, "timeout", true)));
    await run({ records: people(1), addRegistrant: add, ledger });
    ledger.close();
    expect(await addsCounted(file, "p0@example.com")).toBe(3);
  });

  it("counts no add for a row Zoom refused as invalid", async () => {
    const { file, ledger } = await openLedger();
    const add = vi.fn<AddRegistrant>(() => Promise.reject(zoomSays(400, 300, "Validation Failed.")));
    const { out } = await run({ records: people(1), addRegistrant: add, ledger });
    ledger.close();
    expect(out[0]?.status).toBe("failed");
    expect(await addsCounted(file, "p0@example.com")).toBe(0);
  });

  it("gives back, at the start of a run, the adds counted today for a person Zoom's list does not show", async () => {
    const { file, ledger } = await openLedger();
    for (let i = 0; i < 3; i += 1) await ledger.recordSend("p0@example.com", "h", nowMs - 1000);
    const add = vi.fn(ok);
    const { out } = await run({ records: people(1), addRegistrant: add, ledger, existing: new Map() });
    ledger.close();
    expect(add).toHaveBeenCalledTimes(1);
    expect(out[0]?.status).toBe("registered");
    expect(await addsCounted(file, "p0@example.com")).toBe(1);
  });
});

describe("a refusal of the whole event", () => {
  const registrationOff = () => zoomSays(400, 3000, "This webinar does not have registration as required: 81234567890.");

  it("stops the run, records no row as failed, and a run after the host fixes it registers everyone", async () => {
    const { file, ledger } = await openLedger();
    const off = vi.fn<AddRegistrant>(() => Promise.reject(registrationOff()));
    const first = await run({ records: people(20), addRegistrant: off, ledger, concurrency: 2 });
    ledger.close();
    expect(first.summary.fatalError?.message).toMatch(/^webinar 81234567890 does not take registrations: registration is off/);
    expect(first.out.filter((row) => row.status === "failed")).toEqual([]);
    expect(first.out.every((row) => row.status === "not_sent")).toBe(true);
    expect(readFileSync(file, "utf8")).not.toMatch(/"t":"done"/);
    expect(await addsCounted(file, "p0@example.com")).toBe(0);

    const again = (await openLedger(file)).ledger;
    const second = await run({ records: people(20), addRegistrant: ok, ledger: again });
    again.close();
    expect(second.out.map((row) => row.status)).toEqual(Array(20).fill("registered"));
  });

  it("stops for a full webinar without deferring anyone", async () => {
    const full = vi.fn<AddRegistrant>(() =>
      Promise.reject(new RateLimitError({ method: "POST", path, status: 400, code: 3000, zoomMessage: "You have reached the limit for the number of attendees you can add.", trackingId: undefined }, "registrant-daily", Date.UTC(2026, 11, 5))),
    );
    const { ledger } = await openLedger();
    const { out, summary } = await run({ records: people(10), addRegistrant: full, ledger, concurrency: 2 });
    expect(summary.fatalError?.message).toMatch(/is full/);
    expect(out.filter((row) => row.status === "deferred")).toEqual([]);
    expect(summary.deferredUntilMs).toBeUndefined();
  });

  it("stops on a batch refused as over, without sending its rows one by one", async () => {
    const add = vi.fn(ok);
    const over: AddBatch = () => Promise.reject(zoomSays(400, 3038, "The webinar is over. You cannot register now."));
    const { out, summary } = await run({ records: people(40), addRegistrant: add, batch: { addBatch: over, ratePerSecond: 100, confirmationEmail: undefined, meeting: false } });
    expect(summary.fatalError?.message).toMatch(/is over/);
    expect(add).not.toHaveBeenCalled();
    expect(out.every((row) => row.status === "not_sent")).toBe(true);
  });

  it("still sends one by one the rows of a batch refused for one of its rows", async () => {
    const add = vi.fn(ok);
    const invalid: AddBatch = () => Promise.reject(zoomSays(400, 300, "Validation Failed."));
    const { out, summary } = await run({ records: people(5), addRegistrant: add, batch: { addBatch: invalid, ratePerSecond: 100, confirmationEmail: undefined, meeting: false } });
    expect(summary.fatalError).toBeUndefined();
    expect(add).toHaveBeenCalledTimes(5);
    expect(out.map((row) => row.status)).toEqual(Array(5).fill("registered"));
  });
});

describe("failures that are not the row's", () => {
  it("stops with ZoomUnavailableError after ten rows in a row that Zoom failed", async () => {
    const add = vi.fn<AddRegistrant>(() => Promise.reject(zoomSays(503, undefined, "Service Unavailable")));
    const { summary, out } = await run({ records: people(100), addRegistrant: add, concurrency: 1 });
    expect(summary.fatalError).toBeInstanceOf(ZoomUnavailableError);
    expect(add.mock.calls.length).toBeLessThan(3 * 20);
    expect(out.filter((row) => row.status === "not_sent").length).toBeGreaterThan(80);
  });

  it("records nothing for a row whose send threw a bug, and rethrows it", async () => {
    const { file, ledger } = await openLedger();
    const bug: AddRegistrant = () => Promise.reject(new TypeError("cannot read properties of undefined"));
    await expect(run({ records: people(3), addRegistrant: bug, ledger, concurrency: 1 })).rejects.toThrow(TypeError);
    ledger.close();
    expect(readFileSync(file, "utf8")).not.toMatch(/"t":"done"/);
  });

  it("answers a person Zoom lists with the list's join_url even when the ledger saved a failure", async () => {
    const { file, ledger } = await openLedger();
    const fails: AddRegistrant = () => Promise.reject(zoomSays(400, 300, "Validation Failed."));
    await run({ records: people(1), addRegistrant: fails, ledger });
    ledger.close();
    const add = vi.fn(ok);
    const existing = new Map([["p0@example.com", { registrantId: "z1", joinUrl: "https://zoom.us/w/1?tk=z1", status: "approved" }]]);
    const { out } = await run({ records: people(1), addRegistrant: add, ledger: (await openLedger(file)).ledger, existing });
    expect(add).not.toHaveBeenCalled();
    expect(out[0]).toMatchObject({ status: "existing", registrant_id: "z1", join_url: "https://zoom.us/w/1?tk=z1" });
  });
});
