import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { FakeZoom } from "../../../src/fake-zoom/fake-zoom.js";
import { ConfigError } from "../../../src/errors.js";
import type { FakeRegistrationQuestions, FakeZoomEvent } from "../../../src/fake-zoom/types.js";
import { responseErrors } from "./contract.js";
import { api, bodyOf, fakeWithClock, issueToken, person, request, tokenRequest } from "./helpers.js";

function setup(events?: FakeZoomEvent[]) {
  const { fake } = fakeWithClock(events === undefined ? {} : { events });
  const token = issueToken(fake);
  return { fake, get: (path: string) => fake.handle(api(token, "GET", path)) };
}

describe("GET /v2/meetings/{id} and /v2/webinars/{id}", () => {
  it.each([
    ["meeting", `/v2/meetings/${defaultEventIds.meeting}`],
    ["meeting", `/v2/meetings/${defaultEventIds.recurringMeeting}`],
    ["webinar", `/v2/webinars/${defaultEventIds.webinar}`],
  ])("describes the %s at %s within Zoom's schema", (operationId, path) => {
    const response = setup().get(path);
    expect(response.status).toBe(200);
    expect(responseErrors(operationId, 200, bodyOf(response))).toBeUndefined();
  });

  it("tells the approval type and registration type in settings", () => {
    const body = bodyOf(setup().get(`/v2/meetings/${defaultEventIds.manualApprovalMeeting}`));
    expect(body).toMatchObject({ type: 2, host_email: "host@example.com", settings: { approval_type: 1, registration_type: 1 } });
  });

  it("lists a recurring meeting's occurrences", () => {
    const body = bodyOf(setup().get(`/v2/meetings/${defaultEventIds.recurringMeeting}`));
    expect((body.occurrences as { occurrence_id: string }[]).map((occurrence) => occurrence.occurrence_id)).toEqual([
      String(Date.parse("2030-01-08T16:00:00Z")),
      String(Date.parse("2030-01-15T16:00:00Z")),
    ]);
  });

  it("answers an unknown webinar with 404 code 3001", () => {
    expect(bodyOf(setup().get("/v2/webinars/42"))).toEqual({ code: 3001, message: "Webinar does not exist: 42." });
  });
});

describe("GET .../registrants/questions", () => {
  it.each([
    ["meetingRegistrantsQuestionsGet", `/v2/meetings/${defaultEventIds.meeting}/registrants/questions`],
    ["webinarRegistrantsQuestionsGet", `/v2/webinars/${defaultEventIds.webinar}/registrants/questions`],
  ])("answers %s with the default form: one optional custom question", (operationId, path) => {
    const body = bodyOf(setup().get(path));
    expect(body).toEqual({ questions: [], custom_questions: [{ title: "Dietary needs", type: "short", required: false }] });
    expect(responseErrors(operationId, 200, body)).toBeUndefined();
  });

  it("answers with the questions an event carries", () => {
    const registrationQuestions: FakeRegistrationQuestions = {
      questions: [{ field_name: "org", required: true }],
      custom_questions: [{ title: "Team", type: "single", required: false, answers: ["red", "blue"] }],
    };
    const event: FakeZoomEvent = { kind: "webinar", id: "83", type: 5, topic: "t", approvalType: 0, hostEmail: "h@example.com", startTime: "2030-01-01T00:00:00Z", registrationQuestions };
    expect(bodyOf(setup([event]).get("/v2/webinars/83/registrants/questions"))).toEqual(registrationQuestions);
  });
});

describe("other paths", () => {
  it("answers a /v2 path it does not serve with 404", () => {
    const response = setup().get("/v2/users/me");
    expect([response.status, bodyOf(response).code]).toEqual([404, 404]);
  });

  it("answers a path off the API with 404", () => {
    const { fake } = fakeWithClock();
    expect(fake.handle(request("GET", "/nowhere")).status).toBe(404);
  });
});

describe("every answer", () => {
  const { fake } = fakeWithClock();
  const token = issueToken(fake);
  it.each([
    ["a token", tokenRequest()],
    ["a refused token request", tokenRequest("grant_type=nope")],
    ["an add", api(token, "POST", `/v2/meetings/${defaultEventIds.meeting}/registrants`, person(1))],
    ["a validation failure", api(token, "POST", `/v2/meetings/${defaultEventIds.meeting}/registrants`, {})],
    ["an unauthenticated call", request("GET", `/v2/meetings/${defaultEventIds.meeting}`)],
    ["an unknown route", api(token, "GET", "/v2/nothing")],
    ["the ledger", request("GET", "/__fake/ledger")],
  ])("carries x-zm-trackingid and Zoom's JSON content type: %s", (_name, req) => {
    const response = fake.handle(req);
    expect([response.headers["x-zm-trackingid"], response.headers["content-type"]]).toEqual([
      expect.stringMatching(/^v=2\.0;clid=fake;rid=WEB_/) as string,
      "application/json;charset=UTF-8",
    ]);
  });
});

describe("options", () => {
  it.each([
    ["an id that is not digits", { id: "abc" }],
    ["a meeting of webinar type", { type: 5 as const }],
    ["a recurring meeting without occurrences", { type: 8 as const }],
    ["a start time that is not a time", { startTime: "soon" }],
  ])("refuses %s", (_name, change) => {
    const event: FakeZoomEvent = { kind: "meeting", id: "1", type: 2, topic: "t", approvalType: 0, hostEmail: "h@example.com", startTime: "2030-01-01T00:00:00Z", ...change };
    expect(() => new FakeZoom({ events: [event] })).toThrow(ConfigError);
  });

  it("refuses two events of one kind with one id", () => {
    const event: FakeZoomEvent = { kind: "meeting", id: "1", type: 2, topic: "t", approvalType: 0, hostEmail: "h@example.com", startTime: "2030-01-01T00:00:00Z" };
    expect(() => new FakeZoom({ events: [event, event] })).toThrow(ConfigError);
  });
});
