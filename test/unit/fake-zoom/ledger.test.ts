import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import type { FakeZoomInterceptor } from "../../../src/fake-zoom/types.js";
import { zoomError } from "../../../src/fake-zoom/responses.js";
import { api, bodyOf, fakeWithClock, issueToken, jwtFor, person, request, startMs } from "./helpers.js";

const meetingAdd = `/v2/meetings/${defaultEventIds.meeting}/registrants`;
const manualAdd = `/v2/meetings/${defaultEventIds.manualApprovalMeeting}/registrants`;

describe("the ledger", () => {
  it("records each email's add attempts, registrant id and join_url per event", () => {
    const { fake } = fakeWithClock();
    const token = issueToken(fake);
    const added = bodyOf(fake.handle(api(token, "POST", meetingAdd, person(1, { email: "Ada@example.com" }))));
    fake.handle(api(token, "POST", meetingAdd, person(1, { email: "ada@example.com" })));
    expect(fake.ledger().events[`meeting:${defaultEventIds.meeting}`]).toEqual({
      "ada@example.com": { addAttempts: 2, registered: true, registrantId: added.registrant_id, joinUrl: added.join_url, status: "approved" },
    });
  });

  it("counts attempts refused by the daily limit, unregistered emails included", () => {
    const { fake } = fakeWithClock({ registrantDailyAddLimit: 1, events: [{ kind: "meeting", id: "5", type: 2, topic: "t", approvalType: 0, hostEmail: "h@example.com", startTime: "2030-01-01T00:00:00Z", capacity: 0 }] });
    const token = issueToken(fake);
    for (let i = 0; i < 3; i += 1) fake.handle(api(token, "POST", "/v2/meetings/5/registrants", person(1)));
    expect(fake.ledger().events["meeting:5"]).toEqual({ "person1@example.com": { addAttempts: 3, registered: false } });
  });

  it("shows a pending registrant without a join_url", () => {
    const { fake } = fakeWithClock();
    fake.handle(api(issueToken(fake), "POST", manualAdd, person(1)));
    expect(fake.ledger().events[`meeting:${defaultEventIds.manualApprovalMeeting}`]?.["person1@example.com"]).toEqual({
      addAttempts: 1,
      registered: true,
      registrantId: expect.any(String) as string,
      status: "pending",
    });
  });

  it("totals requests by route, tokens issued and 429s by kind", () => {
    const { fake } = fakeWithClock();
    const token = issueToken(fake);
    for (let i = 0; i < 4; i += 1) fake.handle(api(token, "POST", meetingAdd, person(1)));
    fake.handle(api(token, "GET", `/v2/webinars/${defaultEventIds.webinar}`));
    expect(fake.ledger().totals).toEqual({
      requestsByRoute: { "POST /oauth/token": 1, "POST /v2/meetings/{meetingId}/registrants": 4, "GET /v2/webinars/{webinarId}": 1 },
      tokensIssued: 1,
      rateLimitedByKind: { "registrant-daily": 1 },
      faultsInjectedByKind: {},
      peakRequestsPerSecondByLabel: { Light: 5 },
    });
  });

  it("is served as JSON at GET /__fake/ledger without counting itself", () => {
    const { fake } = fakeWithClock();
    issueToken(fake);
    fake.handle(request("GET", "/__fake/ledger"));
    expect(bodyOf(fake.handle(request("GET", "/__fake/ledger")))).toEqual(fake.ledger());
    expect(fake.ledger().totals.requestsByRoute).toEqual({ "POST /oauth/token": 1 });
  });
});

describe("reset", () => {
  it("forgets registrants, counters and tokens on POST /__fake/reset", () => {
    const { fake } = fakeWithClock();
    const token = issueToken(fake);
    fake.handle(api(token, "POST", meetingAdd, person(1)));
    expect(fake.handle(request("POST", "/__fake/reset")).status).toBe(200);
    expect(fake.ledger()).toEqual({
      events: expect.any(Object) as object,
      totals: { requestsByRoute: {}, tokensIssued: 0, rateLimitedByKind: {}, faultsInjectedByKind: {}, peakRequestsPerSecondByLabel: {} },
    });
    expect(fake.handle(api(token, "GET", meetingAdd)).status).toBe(401);
  });

  it("restarts the seeded ids, so a rerun after a reset gets the same answers", () => {
    const { fake } = fakeWithClock();
    const firstRun = bodyOf(fake.handle(api(issueToken(fake), "POST", meetingAdd, person(1))));
    fake.reset();
    const secondRun = bodyOf(fake.handle(api(issueToken(fake), "POST", meetingAdd, person(1))));
    expect(secondRun).toEqual(firstRun);
  });
});

describe("interceptors", () => {
  it("answer instead of the route when beforeRoute returns a response, counted by kind", () => {
    const qpsLimiter: FakeZoomInterceptor = {
      beforeRoute: (exchange) => {
        if (exchange.route.label !== "Light") return undefined;
        exchange.recordRateLimited("qps");
        return zoomError(429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.");
      },
    };
    const { fake } = fakeWithClock({ interceptors: [qpsLimiter] });
    const response = fake.handle(api(issueToken(fake), "POST", meetingAdd, person(1)));
    expect([response.status, typeof response.headers["x-zm-trackingid"], fake.ledger().totals.rateLimitedByKind]).toEqual([429, "string", { qps: 1 }]);
  });

  it("run after authentication, so a refused token never reaches them", () => {
    const seen: string[] = [];
    const { fake } = fakeWithClock({ interceptors: [{ beforeRoute: (exchange) => void seen.push(exchange.route.name) }] });
    fake.handle(api("bad-token", "GET", `/v2/meetings/${defaultEventIds.meeting}`));
    fake.handle(api(issueToken(fake), "GET", `/v2/meetings/${defaultEventIds.meeting}`));
    expect(seen).toEqual(["token", "getEvent"]);
  });

  it("may replace the route's answer in afterRoute", () => {
    const { fake } = fakeWithClock({ interceptors: [{ afterRoute: (_exchange, response) => ({ ...response, status: 503 }) }] });
    expect(fake.handle(api(jwtFor(startMs), "GET", `/v2/meetings/${defaultEventIds.meeting}`)).status).toBe(503);
  });

  it("turn a throw into a 500 that still carries a tracking id", () => {
    const { fake } = fakeWithClock({ interceptors: [{ beforeRoute: () => { throw new Error("boom"); } }] });
    const response = fake.handle(api(jwtFor(startMs), "GET", `/v2/meetings/${defaultEventIds.meeting}`));
    expect([response.status, bodyOf(response).message, typeof response.headers["x-zm-trackingid"]]).toEqual([500, "fake Zoom failed: boom", "string"]);
  });

  it("are reset with the fake", () => {
    let resets = 0;
    const { fake } = fakeWithClock({ interceptors: [{ reset: () => void (resets += 1) }] });
    fake.reset();
    expect(resets).toBe(1);
  });
});
