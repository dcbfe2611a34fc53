import { describe, expect, it, vi } from "vitest";
import { ApiError, InputError, NetworkError } from "../../../src/errors.js";
import type { RawRecord } from "../../../src/input/index.js";
import type { AddRegistrant, PushOptions } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { ok, runCollecting } from "./helpers.js";

const event = { kind: "meeting" as const, id: "85746065" };

function records(rows: Record<string, unknown>[]): RawRecord[] {
  return rows.map((fields, index) => ({ position: index + 2, fields }));
}

function run(rows: RawRecord[], overrides: Partial<PushOptions> = {}) {
  return runCollecting({ records: rows, event, ...overrides });
}

const people = [
  { email: "ada@example.com", first_name: "Ada" },
  { email: "bad", first_name: "Bad" },
  { email: "ADA@example.com", first_name: "Ada again" },
  { email: "grace@example.com", first_name: "Grace" },
];

describe("runPush", () => {
  it("writes one output row per input row, whatever its status", async () => {
    const { out, summary } = await run(records(people));
    expect(out.map((row) => [row.line, row.status]).sort()).toEqual([
      [2, "registered"],
      [3, "invalid"],
      [4, "duplicate"],
      [5, "registered"],
    ]);
    expect(summary.counts).toMatchObject({ registered: 2, invalid: 1, duplicate: 1, failed: 0 });
  });

  it("sends the rejected rows to the rejects sink with the original record", async () => {
    const { rejects } = await run(records(people));
    expect(rejects).toEqual([
      { line: 3, status: "invalid", email: "bad", reason: 'email: no "@" (bad): check the address', record: JSON.stringify(people[1]) },
      { line: 4, status: "duplicate", email: "ADA@example.com", reason: "email: duplicate of line 2", record: JSON.stringify(people[2]) },
    ]);
  });

  it("refuses an input without an email column before sending anything", async () => {
    const add = vi.fn(ok);
    await expect(run(records([{ name: "Ada" }]), { addRegistrant: add })).rejects.toThrow(InputError);
    expect(add).not.toHaveBeenCalled();
  });

  it("marks a row whose join_url is withheld for approval as pending_approval", async () => {
    const pending: AddRegistrant = async (...args) => ({ ...(await ok(...args)), joinUrl: undefined });
    const { out } = await run(records([people[0] ?? {}]), { addRegistrant: pending });
    expect(out[0]?.status).toBe("pending_approval");
  });

  it("adds auto_approve and the occurrence ids to what it sends when asked", async () => {
    const add = vi.fn(ok);
    await run(records([people[0] ?? {}]), { addRegistrant: add, autoApprove: true, occurrenceIds: ["1648194360000"] });
    expect(add).toHaveBeenCalledWith(event, { email: "ada@example.com", first_name: "Ada", auto_approve: true }, expect.objectContaining({ occurrenceIds: ["1648194360000"] }));
  });

  it("records Zoom's code, message and tracking id on a row that fails", async () => {
    const refuse: AddRegistrant = () =>
      Promise.reject(new ApiError({ method: "POST", path: "/meetings/85746065/registrants", status: 400, code: 300, zoomMessage: "Validation Failed.", trackingId: "tid-1" }));
    const { out, summary } = await run(records([people[0] ?? {}]), { addRegistrant: refuse });
    expect(out[0]).toMatchObject({ status: "failed", error_code: "300", tracking_id: "tid-1" });
    expect(out[0]?.error_message).toMatch(/^POST \/meetings\/85746065\/registrants failed: 400 code 300 Validation Failed\. \(after 1 attempt\)$/);
    expect(summary.fatalError).toBeUndefined();
  });

  it("stops sending after an error that concerns the whole event, and gives every row read its row", async () => {
    const add = vi.fn<AddRegistrant>(() =>
      Promise.reject(new ApiError({ method: "POST", path: "/meetings/1/registrants", status: 404, code: 3001, zoomMessage: "Meeting does not exist: 1.", trackingId: undefined })),
    );
    const many = records(Array.from({ length: 200 }, (_, i) => ({ email: `p${i}@example.com`, first_name: "P" })));
    const { summary, out } = await run(many, { addRegistrant: add, concurrency: 2 });
    expect(summary.fatalError?.message).toMatch(/code 3001/);
    expect(add.mock.calls.length).toBeLessThan(10);
    expect(out.map((row) => row.status)).toEqual(Array(200).fill("not_sent"));
  });

  it("sends nothing in a dry run and reports each row that would be sent", async () => {
    const wouldSend: number[] = [];
    const { summary } = await run(records(people), { addRegistrant: undefined, onWouldSend: (line) => wouldSend.push(line) });
    expect(wouldSend).toEqual([2, 5]);
    expect(summary.counts).toMatchObject({ registered: 2, invalid: 1, duplicate: 1 });
  });

  it("registers a row whose first attempt hit a dropped connection", async () => {
    const clock = new ManualClock(1_000_000);
    let calls = 0;
    const flaky: AddRegistrant = (...args) => {
      calls += 1;
      return calls === 1 ? Promise.reject(new NetworkError("POST", "/meetings/1/registrants", "socket hang up", true)) : ok(...args);
    };
    const pending = run(records([people[0] ?? {}]), { addRegistrant: flaky, clock });
    for (let i = 0; i < 50 && calls < 2; i += 1) await clock.advance(1000);
    const { out } = await pending;
    expect(calls).toBe(2);
    expect(out[0]?.status).toBe("registered");
  });
});
