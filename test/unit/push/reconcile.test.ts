import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ApiError, RateLimitError, ZoomUnavailableError } from "../../../src/errors.js";
import { listExisting, type ListRegistrants } from "../../../src/push/reconcile.js";
import type { EventRef, ListRegistrantsResult } from "../../../src/zoom/index.js";
import { rejected } from "../../helpers/thrown.js";
import { SkippingClock } from "../../helpers/skipping-clock.js";

const MEETING: EventRef = { kind: "meeting", id: "85746065" };
const path = "/meetings/85746065/registrants";
const serverError = (): ApiError => new ApiError({ method: "GET", path, status: 500, code: undefined, zoomMessage: "Internal Server Error", trackingId: undefined });
const limit = (scope: "qps" | "daily"): RateLimitError =>
  new RateLimitError({ method: "GET", path, status: 429, code: 429, zoomMessage: `the ${scope} limit`, trackingId: undefined }, scope, scope === "daily" ? Date.UTC(2030, 0, 2) : undefined);

const page = (emails: readonly string[], nextPageToken?: string): ListRegistrantsResult => ({
  registrants: emails.map((email, index) => ({ id: `r-${email}-${index}`, email, join_url: `https://zoom.us/w/${email}`, status: "approved" })),
  nextPageToken,
  totalRecords: undefined,
  trackingId: undefined,
});

/** Zoom's list, answering each status's calls with the next of its answers (an error is thrown), and recording what was asked. */
function scriptedList(answers: Partial<Record<"approved" | "pending" | "denied", readonly (ListRegistrantsResult | Error)[]>>): { list: ListRegistrants; asked: string[] } {
  const asked: string[] = [];
  const next = { approved: 0, pending: 0, denied: 0 };
  const list: ListRegistrants = (_event, options) => {
    asked.push(`${options.status}${options.nextPageToken === undefined ? "" : `@${options.nextPageToken}`}`);
    const answer = answers[options.status]?.[next[options.status]] ?? page([]);
    next[options.status] += 1;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { list, asked };
}

const context = (clock = new SkippingClock(0)) => ({ clock, random: () => 0.5, logger: pino({ level: "silent" }) });

describe("listExisting", () => {
  it("retries a 500 on a later page with the same page token, and lists everyone", async () => {
    const { list, asked } = scriptedList({ approved: [page(["a@example.com"], "p2"), serverError(), page(["b@example.com"])] });
    const existing = await listExisting(list, MEETING, context());
    expect([existing.has("a@example.com"), existing.has("b@example.com"), existing.size]).toEqual([true, true, 2]);
    expect(asked).toEqual(["approved", "pending", "denied", "approved@p2", "approved@p2"]);
  });

  it("waits out a per-second 429 on the list", async () => {
    const clock = new SkippingClock(0);
    const { list } = scriptedList({ approved: [limit("qps"), page(["a@example.com"])] });
    await expect(listExisting(list, MEETING, context(clock))).resolves.toHaveProperty("size", 1);
    expect(clock.sleptMs).toEqual([1000]);
  });

  it("does not retry a daily-limit 429 on the list: it comes back as it is (exit 4)", async () => {
    const daily = limit("daily");
    const { list, asked } = scriptedList({ approved: [daily] });
    await expect(listExisting(list, MEETING, context())).rejects.toBe(daily);
    expect(asked.filter((call) => call === "approved")).toEqual(["approved"]);
  });

  it("ends five 500s in a row in ZoomUnavailableError", async () => {
    const { list, asked } = scriptedList({ approved: [serverError(), serverError(), serverError(), serverError(), serverError()] });
    const error = await rejected(ZoomUnavailableError, () => listExisting(list, MEETING, context()));
    expect(error.message).toBe(`Zoom is unreachable or failing: GET ${path} failed: 500 Internal Server Error (after 5 attempts)`);
    expect(asked.filter((call) => call === "approved")).toHaveLength(5);
  });
});

describe("listExisting's join_urls", () => {
  it("keeps the registrant id and join_url of a registration the state file does not hold", async () => {
    const { list } = scriptedList({ approved: [page(["new@example.com"])] });
    const existing = await listExisting(list, MEETING, { ...context(), inLedger: () => false });
    expect(existing.get("new@example.com")).toEqual({ registrantId: "r-new@example.com-0", joinUrl: "https://zoom.us/w/new@example.com", status: "approved" });
  });

  it("takes the registrant id and join_url of a registration the state file holds from the ledger's row", async () => {
    const { list } = scriptedList({ approved: [page(["known@example.com"])] });
    const existing = await listExisting(list, MEETING, { ...context(), inLedger: (email) => email === "known@example.com" });
    const ledgerRow = { registrant_id: "r-known@example.com-0", join_url: "https://zoom.us/w/known" };
    expect(existing.get("known@example.com", ledgerRow)).toEqual({ registrantId: "r-known@example.com-0", joinUrl: "https://zoom.us/w/known", status: "approved" });
  });

  it("does not know a person the state file holds when it is asked without the ledger's row", async () => {
    const { list } = scriptedList({ approved: [page(["known@example.com"])] });
    const existing = await listExisting(list, MEETING, { ...context(), inLedger: () => true });
    expect([existing.has("known@example.com"), existing.get("known@example.com")]).toEqual([true, undefined]);
  });
});

describe("listExisting's pacing", () => {
  it("sends each status's first page at once, and paces the pages after them evenly under the limit, counting those three", async () => {
    const clock = new SkippingClock(0);
    const sentAtMs: number[] = [];
    const pages: Record<string, ListRegistrantsResult[]> = { approved: [page(["a@x.org"], "p2"), page(["b@x.org"], "p3"), page(["c@x.org"])] };
    const list: ListRegistrants = (_event, options) => {
      sentAtMs.push(clock.now());
      return Promise.resolve(pages[options.status]?.shift() ?? page([]));
    };
    const existing = await listExisting(list, MEETING, { ...context(clock), ratePerSecond: 20 });
    expect(existing.size).toBe(3);
    // 90% of 20 a second: one page every 55.6 ms.
    expect(sentAtMs.map(Math.round)).toEqual([0, 0, 0, 56, 111]);
  });
});
