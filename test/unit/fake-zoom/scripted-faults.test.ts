import { getResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { startFakeZoom } from "../../../src/fake-zoom/index.js";
import { fakeZoomHandlers } from "../../../src/fake-zoom/msw.js";
import { ratePlans } from "../../../src/fake-zoom/rate-limits.js";
import { registrationNotRequired } from "../../../src/fake-zoom/responses.js";
import type { FakeEventChange, FakeResponse, FakeZoomOptions, FaultScript, RunningFakeZoom } from "../../../src/fake-zoom/types.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { thrown } from "../../helpers/thrown.js";
import { api, basicAuth, bodyOf, fakeWithClock, issueToken, person, request, startMs, tokenRequest } from "./helpers.js";

const meetingPath = `/v2/meetings/${defaultEventIds.meeting}`;
const meetingAdd = `${meetingPath}/registrants`;
const webinarAdd = `/v2/webinars/${defaultEventIds.webinar}/registrants`;
const meetingKey = `meeting:${defaultEventIds.meeting}`;

function scripted(options: FakeZoomOptions = {}) {
  const { fake } = fakeWithClock(options);
  const token = issueToken(fake);
  const add = (n: number, path = meetingAdd) => fake.handle(api(token, "POST", path, person(n)));
  const get = (path = meetingPath) => fake.handle(api(token, "GET", path));
  return { fake, token, add, get };
}

/** Status, body and headers, without the tracking id (a fresh one on every answer). */
function seen(response: FakeResponse) {
  const { "x-zm-trackingid": _trackingId, ...headers } = response.headers;
  return { status: response.status, body: response.body, headers, fault: response.fault };
}

describe("scripted faults", () => {
  it("the next two adds answer 500 and the third registers", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 2, answer: "500" });
    expect([add(1).status, add(1).status, add(1).status]).toEqual([500, 500, 201]);
  });

  it("a scripted 500 is Zoom's error body and registers no one", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "500" });
    const response = add(1);
    expect([bodyOf(response), fake.ledger().events[meetingKey]]).toEqual([{ code: 500, message: expect.any(String) as string }, {}]);
  });

  it("a scripted per-second 429 on getEvent looks like the rate limiter's", () => {
    const rateLimits = { ...ratePlans.pro, perSecond: { Light: 1 } };
    const limiter = scripted({ rateLimits });
    limiter.get();
    const script = scripted({ rateLimits });
    script.fake.scriptFaults({ route: "getEvent", count: 1, answer: "qps-429" });
    expect(seen(script.get())).toEqual(seen(limiter.get()));
  });

  it("a scripted per-second 429 without rate limits carries the Pro plan's figure", () => {
    const { fake, get } = scripted();
    fake.scriptFaults({ route: "getEvent", count: 1, answer: "qps-429" });
    expect(get().headers).toMatchObject({ "x-ratelimit-category": "Light", "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "0" });
  });

  it("a scripted per-second 429 counts as a qps limit and as a scripted fault", () => {
    const { fake, get } = scripted();
    fake.scriptFaults({ route: "getEvent", count: 1, answer: "qps-429" });
    get();
    const { rateLimitedByKind, faultsInjectedByKind } = fake.ledger().totals;
    expect([rateLimitedByKind, faultsInjectedByKind]).toEqual([{ qps: 1 }, { "scripted-qps-429": 1 }]);
  });

  it("drop-before sends no answer and registers no one", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "drop-before" });
    const response = add(1);
    expect([response.status, response.fault, fake.ledger().events[meetingKey]]).toEqual([0, { kind: "drop", delayMs: 0 }, {}]);
  });

  it("drop-after registers the person but sends no answer", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "drop-after" });
    const response = add(1);
    expect([response.status, response.fault, fake.ledger().events[meetingKey]?.["person1@example.com"]]).toEqual([
      201,
      { kind: "drop", delayMs: 0 },
      expect.objectContaining({ registered: true, addAttempts: 1 }),
    ]);
  });

  it("a scripted token fault applies without includeTokenEndpoint", () => {
    const { fake } = fakeWithClock();
    fake.scriptFaults({ route: "token", count: 1, answer: "500" });
    expect([fake.handle(tokenRequest()).status, fake.handle(tokenRequest()).status]).toEqual([500, 200]);
  });

  it("a second script for a route waits for the first", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "500" });
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "drop-before" });
    expect([add(1).status, add(1).fault?.kind, add(1).status]).toEqual([500, "drop", 201]);
  });

  it("a script for one route leaves the other routes alone", () => {
    const { fake, add, get } = scripted();
    fake.scriptFaults({ route: "getEvent", count: 1, answer: "500" });
    expect([add(1).status, get().status]).toEqual([201, 500]);
  });

  it("tells the scripts still to come and what is left of each", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 2, answer: "500" });
    fake.scriptFaults({ route: "getEvent", count: 1, answer: "qps-429" });
    add(1);
    expect(fake.scriptedFaultsLeft()).toEqual([
      { route: "addRegistrant", count: 1, answer: "500" },
      { route: "getEvent", count: 1, answer: "qps-429" },
    ]);
  });

  it("comes before the seeded fault injector", () => {
    const { fake, add } = scripted({ faults: { serverErrorRates: { "503": 1 } } });
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "500" });
    expect([add(1).status, add(2).status]).toEqual([500, 503]);
  });

  it("comes before the rate limiter: a scripted 500 spends none of the second's budget", () => {
    const { fake, get } = scripted({ rateLimits: { ...ratePlans.pro, perSecond: { Light: 1 } } });
    fake.scriptFaults({ route: "getEvent", count: 1, answer: "500" });
    expect([get().status, get().status, get().status]).toEqual([500, 200, 429]);
  });

  it("a request with a bad token spends no script", () => {
    const { fake } = scripted();
    fake.scriptFaults({ route: "getEvent", count: 1, answer: "500" });
    expect([fake.handle(api("made-up", "GET", meetingPath)).status, fake.scriptedFaultsLeft()]).toEqual([401, [{ route: "getEvent", count: 1, answer: "500" }]]);
  });

  it("counts each scripted fault in the ledger as scripted-<answer>", () => {
    const { fake, add } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "500" });
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "drop-before" });
    fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "drop-after" });
    [1, 2, 3].forEach((n) => add(n));
    expect(fake.ledger().totals.faultsInjectedByKind).toEqual({ "scripted-500": 1, "scripted-drop-before": 1, "scripted-drop-after": 1 });
  });

  it("reset clears scripts", () => {
    const { fake } = scripted();
    fake.scriptFaults({ route: "addRegistrant", count: 3, answer: "500" });
    fake.reset();
    expect([fake.scriptedFaultsLeft(), fake.handle(api(issueToken(fake), "POST", meetingAdd, person(1))).status]).toEqual([[], 201]);
  });

  it.each([
    ["an unknown route", { route: "ledger", count: 1, answer: "500" }, /route "ledger": expected one of token, getEvent/],
    ["a count of 0", { route: "token", count: 0, answer: "500" }, /count 0: expected a positive integer/],
    ["a fractional count", { route: "token", count: 1.5, answer: "500" }, /count 1.5/],
    ["an unknown answer", { route: "token", count: 1, answer: "503" }, /answer "503": expected one of 500, qps-429, drop-before, drop-after/],
    ["an unknown key", { route: "token", count: 1, answer: "500", delayMs: 5 }, /unknown key delayMs/],
  ])("refuses a script with %s", (_name, script, message) => {
    const { fake } = fakeWithClock();
    expect(thrown(ConfigError, () => fake.scriptFaults(script as unknown as FaultScript)).message).toMatch(message);
  });
});

describe("events changed at run time", () => {
  it("turning registration off mid-run refuses the next add with the registration-off answer", () => {
    const { fake, add } = scripted();
    const before = add(1).status;
    fake.updateEvent("meeting", defaultEventIds.meeting, { approvalType: 2 });
    const after = add(2);
    expect([before, after.status, after.body]).toEqual([201, 400, registrationNotRequired("meeting", defaultEventIds.meeting).body]);
  });

  it("GET of the event reports the approval type set at run time", () => {
    const { fake, get } = scripted();
    fake.updateEvent("meeting", defaultEventIds.meeting, { approvalType: 1 });
    expect(bodyOf(get()).settings).toMatchObject({ approval_type: 1 });
  });

  it("a webinar filled at run time answers code 3000 limit for the number of attendees", () => {
    const { fake, add } = scripted();
    add(1, webinarAdd);
    fake.updateEvent("webinar", defaultEventIds.webinar, { capacity: 1 });
    const refused = add(2, webinarAdd);
    expect([refused.status, bodyOf(refused).code, bodyOf(refused).message]).toEqual([400, 3000, expect.stringContaining("limit for the number of attendees") as string]);
  });

  it("over at run time answers 3038", () => {
    const { fake, add } = scripted();
    fake.updateEvent("meeting", defaultEventIds.meeting, { over: true });
    const refused = add(1);
    expect([refused.status, bodyOf(refused).code]).toEqual([400, 3038]);
  });

  it("turning registration back on takes adds again", () => {
    const { fake, add } = scripted();
    fake.updateEvent("meeting", defaultEventIds.meeting, { approvalType: 2 });
    add(1);
    fake.updateEvent("meeting", defaultEventIds.meeting, { approvalType: 0 });
    expect(add(1).status).toBe(201);
  });

  it("reset brings the event back as configured", () => {
    const { fake } = scripted();
    fake.updateEvent("meeting", defaultEventIds.meeting, { approvalType: 2, over: true, capacity: 0 });
    fake.reset();
    expect(fake.handle(api(issueToken(fake), "POST", meetingAdd, person(1))).status).toBe(201);
  });

  it("refuses an event the fake does not have", () => {
    const { fake } = fakeWithClock();
    expect(thrown(ConfigError, () => fake.updateEvent("webinar", defaultEventIds.meeting, { over: true })).message).toMatch(/no such event/);
  });

  it.each([
    ["nothing to change", {}, /nothing to change/],
    ["an approval type of 3", { approvalType: 3 }, /approvalType 3: expected 0, 1 or 2/],
    ["a negative capacity", { capacity: -1 }, /capacity -1: expected a non-negative integer/],
    ["over as a string", { over: "yes" }, /over "yes": expected true or false/],
    ["an unknown key", { topic: "renamed" }, /unknown key topic/],
  ])("refuses a change with %s", (_name, change, message) => {
    const { fake } = fakeWithClock();
    expect(thrown(ConfigError, () => fake.updateEvent("meeting", defaultEventIds.meeting, change as FakeEventChange)).message).toMatch(message);
  });
});

describe("the /__fake routes for scripts and events", () => {
  it("GET /__fake/faults lists the scripts still to come", () => {
    const { fake } = fakeWithClock();
    fake.scriptFaults({ route: "token", count: 2, answer: "drop-after" });
    expect(bodyOf(fake.handle(request("GET", "/__fake/faults")))).toEqual({ scripts: [{ route: "token", count: 2, answer: "drop-after" }] });
  });

  it("POST /__fake/faults answers 400 to a body that is not a JSON object", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(request("POST", "/__fake/faults", { body: "[1]" }));
    expect([response.status, bodyOf(response).code]).toEqual([400, 300]);
  });

  it("POST /__fake/events/{kind}/{id} answers 404 code 3001 for an event the fake does not have", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(request("POST", "/__fake/events/webinar/42", { body: { over: true } }));
    expect([response.status, bodyOf(response)]).toEqual([404, { code: 3001, message: "Webinar does not exist: 42." }]);
  });

  it("the msw handlers serve the event change route too", async () => {
    const { fake } = fakeWithClock();
    const answer = await getResponse(
      fakeZoomHandlers(fake),
      new Request(`https://zoom.us/__fake/events/meeting/${defaultEventIds.meeting}`, { method: "POST", body: JSON.stringify({ over: true }) }),
    );
    expect(answer?.status).toBe(200);
  });

  it("neither route is counted in the ledger", () => {
    const { fake } = fakeWithClock();
    fake.handle(request("POST", "/__fake/faults", { body: { route: "token", count: 1, answer: "500" } }));
    fake.handle(request("POST", `/__fake/events/meeting/${defaultEventIds.meeting}`, { body: { over: true } }));
    expect(fake.ledger().totals.requestsByRoute).toEqual({});
  });
});

describe("scripts and event changes over HTTP (node adapter)", () => {
  const running: RunningFakeZoom[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  async function served() {
    const server = await startFakeZoom({ port: 0, clock: new ManualClock(startMs), seed: 11 });
    running.push(server);
    const { accountId, clientId, clientSecret } = server.fake.credentials;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const tokenAnswer = await fetch(`${server.oauthUrl}?grant_type=account_credentials&account_id=${accountId}`, {
      method: "POST",
      headers: { authorization: basicAuth(clientId, clientSecret) },
    });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    const add = (n: number) => post(meetingAdd, person(n), { authorization: `Bearer ${token}` });
    return { server, post, add };
  }

  it("POST /__fake/faults scripts a 500 that the next add meets", async () => {
    const { post, add } = await served();
    await post("/__fake/faults", { route: "addRegistrant", count: 1, answer: "500" });
    expect([(await add(1)).status, (await add(1)).status]).toEqual([500, 201]);
  });

  it("POST /__fake/faults answers the scripts still to come", async () => {
    const { post } = await served();
    await post("/__fake/faults", { route: "token", count: 1, answer: "500" });
    const answer = await post("/__fake/faults", { route: "getEvent", count: 2, answer: "qps-429" });
    expect([answer.status, await answer.json()]).toEqual([
      200,
      {
        scripts: [
          { route: "token", count: 1, answer: "500" },
          { route: "getEvent", count: 2, answer: "qps-429" },
        ],
      },
    ]);
  });

  it("a scripted drop-before closes the connection without an answer", async () => {
    const { post, add } = await served();
    await post("/__fake/faults", { route: "addRegistrant", count: 1, answer: "drop-before" });
    await expect(add(1)).rejects.toThrow(TypeError);
  });

  it("POST /__fake/faults refuses a bad script with 400 and the reason", async () => {
    const { post } = await served();
    const answer = await post("/__fake/faults", { route: "addRegistrant", count: -2, answer: "500" });
    expect([answer.status, await answer.json()]).toEqual([400, { code: 300, message: "fake Zoom fault script: count -2: expected a positive integer" }]);
  });

  it("POST /__fake/events/{kind}/{id} turns registration off and answers the event's settings", async () => {
    const { post, add } = await served();
    const answer = await post(`/__fake/events/meeting/${defaultEventIds.meeting}`, { approvalType: 2 });
    const body: unknown = await answer.json();
    const refused = await add(1);
    expect([answer.status, body, refused.status, ((await refused.json()) as { code: number }).code]).toEqual([
      200,
      { kind: "meeting", id: defaultEventIds.meeting, approvalType: 2, capacity: 4999, over: false },
      400,
      3000,
    ]);
  });

  it("POST /__fake/events/{kind}/{id} refuses a bad change with 400 and the reason", async () => {
    const { post } = await served();
    const answer = await post(`/__fake/events/webinar/${defaultEventIds.webinar}`, { capacity: "full" });
    expect([answer.status, await answer.json()]).toEqual([
      400,
      { code: 300, message: `fake Zoom webinar ${defaultEventIds.webinar}: capacity "full": expected a non-negative integer` },
    ]);
  });
});
