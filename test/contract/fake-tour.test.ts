import { describe, expect, it } from "vitest";
import { defaultEventIds, defaultFakeEvents } from "../../src/fake-zoom/defaults.js";
import { FakeZoom } from "../../src/fake-zoom/fake-zoom.js";
import { ratePlans } from "../../src/fake-zoom/rate-limits.js";
import { operationScopes } from "../../src/fake-zoom/scopes.js";
import type { FakeResponse, FakeZoomEvent } from "../../src/fake-zoom/types.js";
import { ManualClock } from "../../src/shared/clock.js";
import { api, basicAuth, bodyOf, person, startMs, tokenRequest } from "../unit/fake-zoom/helpers.js";
import { operation, responseErrors } from "./openapi.js";

/**
 * A scripted tour of every endpoint the fake serves and of its main error answers, each answer held
 * against Zoom's OpenAPI document (contract/zoom-openapi-extract.json) for that operation and status.
 * The document has no schema for any error status (errors live in its prose): those answers are held
 * to the `{code, message}` shape every Zoom error has (docs/zoom-facts.md, "Errors"), with `errors[]` of
 * `{field, message}` on validation. The steps run in order against one fake, as a client would.
 *
 * Where the document and docs/zoom-facts.md differ, the fake's code says which it follows and why; the
 * ones a client meets on this tour:
 * - batch add answers 201 (document) though an older edition said 200 (docs/zoom-facts.md: accept any 2xx);
 * - an unknown meeting is 404 code 3001 on every operation (the document's add says 1001, which the
 *   docs/zoom-facts.md gives as "host missing": responses.ts `eventNotFound`);
 * - registration off is 400 code 3000 on the single add (the document's webinar wording; the facts
 *   page allows 404 code 404 or 3000) and 400 code 404 on the meeting batch add (the document);
 * - `GET /meetings/{id}` says `status: waiting` for an event that is over: the document's enum has no
 *   "finished" (event-registrants.ts `describe`);
 * - the status change's `maximum: 30` is read as at most 30 registrants (docs/zoom-facts.md: maxItems meant);
 * - a registrant id the event lacks is 400 code 3079 on `GET .../registrants/{registrantId}` for meetings
 *   too: only the webinar document names an error for it (responses.ts `registrantNotFound`).
 */

const over: FakeZoomEvent = { kind: "webinar", id: "81111111111", type: 5, topic: "over", approvalType: 0, hostEmail: "host@example.com", startTime: "2024-01-15T17:00:00Z", over: true };
const noRegistration: FakeZoomEvent = { ...over, kind: "meeting", id: "82222222222", type: 2, over: false, approvalType: 2 };
const full: FakeZoomEvent = { ...over, kind: "meeting", id: "83333333333", type: 2, over: false, capacity: 0 };
const noRegistrationWebinar: FakeZoomEvent = { ...over, id: "84444444444", over: false, approvalType: 2 };

const clock = new ManualClock(startMs);
const fake = new FakeZoom({ clock, seed: 5, events: [...defaultFakeEvents(), over, noRegistration, full, noRegistrationWebinar] });
const limitedClock = new ManualClock(startMs);
const limited = new FakeZoom({ clock: limitedClock, rateLimits: { ...ratePlans.pro, perSecond: { Medium: 1 }, perDay: { Heavy: 1 } } });
const context = { token: "", limitedToken: "", pendingId: "", meetingRegistrantId: "", webinarRegistrantId: "" };

const meeting = `/v2/meetings/${defaultEventIds.meeting}`;
const recurring = `/v2/meetings/${defaultEventIds.recurringMeeting}`;
const manual = `/v2/meetings/${defaultEventIds.manualApprovalMeeting}`;
const webinar = `/v2/webinars/${defaultEventIds.webinar}`;
const secondOccurrence = String(Date.parse("2030-01-15T16:00:00Z"));

interface Step {
  name: string;
  /** The operation whose schemas the answer must satisfy; undefined for the OAuth endpoint (not in the document). */
  operationId: string | undefined;
  status: number;
  code?: number;
  send: () => FakeResponse;
}

const call = (method: string, path: string, body?: unknown) => fake.handle(api(context.token, method, path, body));
const callLimited = (method: string, path: string, body?: unknown) => limited.handle(api(context.limitedToken, method, path, body));

const tour: Step[] = [
  {
    name: "the token endpoint issues a token",
    operationId: undefined,
    status: 200,
    send: () => {
      const response = fake.handle(tokenRequest());
      context.token = bodyOf(response).access_token as string;
      context.limitedToken = bodyOf(limited.handle(tokenRequest())).access_token as string;
      return response;
    },
  },
  { name: "the token endpoint refuses a wrong secret", operationId: undefined, status: 400, send: () => fake.handle(tokenRequest(undefined, basicAuth("fake-client-id", "wrong"))) },
  { name: "GET a meeting", operationId: "meeting", status: 200, send: () => call("GET", meeting) },
  { name: "GET a recurring meeting", operationId: "meeting", status: 200, send: () => call("GET", recurring) },
  { name: "GET a webinar", operationId: "webinar", status: 200, send: () => call("GET", webinar) },
  { name: "GET a meeting's questions", operationId: "meetingRegistrantsQuestionsGet", status: 200, send: () => call("GET", `${meeting}/registrants/questions`) },
  { name: "GET a webinar's questions", operationId: "webinarRegistrantsQuestionsGet", status: 200, send: () => call("GET", `${webinar}/registrants/questions`) },
  {
    name: "add a meeting registrant with a custom answer",
    operationId: "meetingRegistrantCreate",
    status: 201,
    send: () => {
      const response = call("POST", `${meeting}/registrants`, person(1, { org: "Acme", custom_questions: [{ title: "Dietary needs", value: "none" }] }));
      context.meetingRegistrantId = bodyOf(response).registrant_id as string;
      return response;
    },
  },
  { name: "GET a meeting registrant", operationId: "meetingRegistrantGet", status: 200, send: () => call("GET", `${meeting}/registrants/${context.meetingRegistrantId}`) },
  { name: "add the same email again", operationId: "meetingRegistrantCreate", status: 201, send: () => call("POST", `${meeting}/registrants`, person(1)) },
  { name: "add to one occurrence of a recurring meeting", operationId: "meetingRegistrantCreate", status: 201, send: () => call("POST", `${recurring}/registrants?occurrence_ids=${secondOccurrence}`, person(1)) },
  {
    name: "add to a meeting with manual approval",
    operationId: "meetingRegistrantCreate",
    status: 201,
    send: () => {
      const response = call("POST", `${manual}/registrants`, person(2));
      context.pendingId = bodyOf(response).registrant_id as string;
      return response;
    },
  },
  { name: "GET a registrant awaiting approval", operationId: "meetingRegistrantGet", status: 200, send: () => call("GET", `${manual}/registrants/${context.pendingId}`) },
  {
    name: "add a webinar registrant",
    operationId: "webinarRegistrantCreate",
    status: 201,
    send: () => {
      const response = call("POST", `${webinar}/registrants`, person(3, { source_id: "crm" }));
      context.webinarRegistrantId = bodyOf(response).registrant_id as string;
      return response;
    },
  },
  { name: "batch add to a meeting", operationId: "addBatchRegistrants", status: 201, send: () => call("POST", `${meeting}/batch_registrants`, { registrants: [person(4), person(5)], registrants_confirmation_email: false }) },
  { name: "batch add with auto_approve", operationId: "addBatchRegistrants", status: 201, send: () => call("POST", `${manual}/batch_registrants`, { registrants: [person(6)], auto_approve: true }) },
  { name: "batch add to a webinar", operationId: "addBatchWebinarRegistrants", status: 201, send: () => call("POST", `${webinar}/batch_registrants`, { registrants: [person(7)] }) },
  { name: "list a meeting's approved registrants", operationId: "meetingRegistrants", status: 200, send: () => call("GET", `${meeting}/registrants?page_size=2`) },
  { name: "list a meeting's pending registrants", operationId: "meetingRegistrants", status: 200, send: () => call("GET", `${manual}/registrants?status=pending`) },
  { name: "list a webinar's registrants", operationId: "webinarRegistrants", status: 200, send: () => call("GET", `${webinar}/registrants`) },
  { name: "approve a meeting registrant", operationId: "meetingRegistrantStatus", status: 204, send: () => call("PUT", `${manual}/registrants/status`, { action: "approve", registrants: [{ id: context.pendingId }] }) },
  { name: "deny a webinar registrant", operationId: "webinarRegistrantStatus", status: 204, send: () => call("PUT", `${webinar}/registrants/status`, { action: "deny", registrants: [{ email: "person3@example.com" }] }) },
  { name: "list the denied", operationId: "webinarRegistrants", status: 200, send: () => call("GET", `${webinar}/registrants?status=denied`) },
  { name: "GET a denied webinar registrant", operationId: "webinarRegistrantGet", status: 200, send: () => call("GET", `${webinar}/registrants/${context.webinarRegistrantId}`) },
  { name: "cancel a meeting registrant", operationId: "meetingRegistrantStatus", status: 204, send: () => call("PUT", `${meeting}/registrants/status`, { action: "cancel", registrants: [{ id: context.meetingRegistrantId }] }) },
  { name: "GET a cancelled meeting registrant", operationId: "meetingRegistrantGet", status: 200, send: () => call("GET", `${meeting}/registrants/${context.meetingRegistrantId}`) },
  { name: "delete a meeting registrant", operationId: "meetingregistrantdelete", status: 204, send: () => call("DELETE", `${meeting}/registrants/${context.meetingRegistrantId}`) },
  { name: "delete a webinar registrant", operationId: "deleteWebinarRegistrant", status: 204, send: () => call("DELETE", `${webinar}/registrants/${context.webinarRegistrantId}`) },
  // Errors.
  { name: "a body that breaks a rule", operationId: "meetingRegistrantCreate", status: 400, code: 300, send: () => call("POST", `${meeting}/registrants`, { email: "nope" }) },
  { name: "an unknown custom question", operationId: "meetingRegistrantCreate", status: 400, code: 300, send: () => call("POST", `${meeting}/registrants`, person(8, { custom_questions: [{ title: "Shoe size", value: "9" }] })) },
  { name: "an unknown meeting", operationId: "meetingRegistrantCreate", status: 404, code: 3001, send: () => call("POST", "/v2/meetings/99/registrants", person(1)) },
  { name: "an unknown webinar", operationId: "webinar", status: 404, code: 3001, send: () => call("GET", "/v2/webinars/99") },
  { name: "an unknown meeting registrant", operationId: "meetingRegistrantGet", status: 400, code: 3079, send: () => call("GET", `${meeting}/registrants/9tboDiHUQAeOnbmudzWa5g`) },
  { name: "an unknown webinar registrant", operationId: "webinarRegistrantGet", status: 400, code: 3079, send: () => call("GET", `${webinar}/registrants/9tboDiHUQAeOnbmudzWa5g`) },
  { name: "a registrant of an unknown meeting", operationId: "meetingRegistrantGet", status: 404, code: 3001, send: () => call("GET", `/v2/meetings/99/registrants/${context.meetingRegistrantId}`) },
  { name: "a registrant of a webinar without registration", operationId: "webinarRegistrantGet", status: 400, code: 3000, send: () => call("GET", "/v2/webinars/84444444444/registrants/9tboDiHUQAeOnbmudzWa5g") },
  { name: "delete an unknown meeting registrant", operationId: "meetingregistrantdelete", status: 400, code: 300, send: () => call("DELETE", `${meeting}/registrants/9tboDiHUQAeOnbmudzWa5g`) },
  { name: "delete an unknown webinar registrant", operationId: "deleteWebinarRegistrant", status: 400, code: 3000, send: () => call("DELETE", `${webinar}/registrants/9tboDiHUQAeOnbmudzWa5g`) },
  { name: "a webinar that is over", operationId: "webinarRegistrantCreate", status: 400, code: 3038, send: () => call("POST", "/v2/webinars/81111111111/registrants", person(1)) },
  { name: "the host registering", operationId: "meetingRegistrantCreate", status: 400, code: 3027, send: () => call("POST", `${meeting}/registrants`, person(1, { email: "host@example.com" })) },
  { name: "a meeting without registration", operationId: "meetingRegistrantCreate", status: 400, code: 3000, send: () => call("POST", "/v2/meetings/82222222222/registrants", person(1)) },
  { name: "a batch on a meeting without registration", operationId: "addBatchRegistrants", status: 400, code: 404, send: () => call("POST", "/v2/meetings/82222222222/batch_registrants", { registrants: [person(1)] }) },
  { name: "a full meeting", operationId: "meetingRegistrantCreate", status: 400, code: 3043, send: () => call("POST", "/v2/meetings/83333333333/registrants", person(1)) },
  { name: "a batch on a recurring meeting", operationId: "addBatchRegistrants", status: 400, code: 303, send: () => call("POST", `${recurring}/batch_registrants`, { registrants: [person(1)] }) },
  { name: "a batch of 31", operationId: "addBatchWebinarRegistrants", status: 400, code: 300, send: () => call("POST", `${webinar}/batch_registrants`, { registrants: Array.from({ length: 31 }, (_, n) => person(n)) }) },
  { name: "a status change of 31", operationId: "meetingRegistrantStatus", status: 400, code: 300, send: () => call("PUT", `${meeting}/registrants/status`, { action: "deny", registrants: Array.from({ length: 31 }, (_, n) => ({ id: String(n) })) }) },
  {
    name: "the 4th add of one registrant in a day",
    operationId: "meetingRegistrantCreate",
    status: 429,
    code: 429,
    send: () => {
      call("POST", `${meeting}/registrants`, person(1));
      return call("POST", `${meeting}/registrants`, person(1));
    },
  },
  { name: "a token without the operation's scope", operationId: "meetingRegistrantCreate", status: 400, code: 4711, send: () => noScopeAdd() },
  { name: "a token the fake never issued", operationId: "meeting", status: 401, code: 124, send: () => fake.handle(api("made-up", "GET", meeting)) },
  {
    name: "past the per-second limit",
    operationId: "meetingRegistrants",
    status: 429,
    code: 429,
    send: () => {
      callLimited("GET", `${meeting}/registrants`);
      return callLimited("GET", `${meeting}/registrants`);
    },
  },
  {
    name: "past the daily limit",
    operationId: "addBatchRegistrants",
    status: 429,
    code: 429,
    send: () => {
      callLimited("POST", `${meeting}/batch_registrants`, { registrants: [person(1)] });
      return callLimited("POST", `${meeting}/batch_registrants`, { registrants: [person(2)] });
    },
  },
];

function noScopeAdd(): FakeResponse {
  const narrow = new FakeZoom({ clock, apps: [{ clientId: "narrow", clientSecret: "narrow-secret", scopes: ["meeting:read:admin"] }] });
  const token = bodyOf(narrow.handle(tokenRequest(undefined, basicAuth("narrow", "narrow-secret")))).access_token as string;
  return narrow.handle(api(token, "POST", `${meeting}/registrants`, person(1)));
}

const anyString = expect.any(String) as string;
const errorShape = { code: expect.any(Number) as number, message: anyString };

describe("a tour of the fake Zoom against Zoom's OpenAPI document", () => {
  it.each(tour)("$name: $status", async (step) => {
    // A second between steps, so no step meets another's rate window.
    await clock.advance(1000);
    const response = step.send();
    expect(response.status).toBe(step.status);
    // The document lists no 401 for any operation; docs/zoom-facts.md gives 401 code 124 ("Errors").
    if (step.operationId !== undefined && step.status !== 401) expect(Object.keys(operation(step.operationId).responses)).toContain(String(step.status));
    if (step.status === 204) {
      expect(response.body).toBeUndefined();
      return;
    }
    const body = bodyOf(response);
    if (step.operationId === undefined) {
      // The OAuth endpoint is not in the Meeting API document: docs/zoom-facts.md's fields ("Authentication").
      expect(body).toEqual(
        step.status === 200
          ? { access_token: anyString, token_type: "bearer", expires_in: 3600, scope: anyString, api_url: anyString }
          : { reason: anyString, error: "invalid_client" },
      );
      return;
    }
    if (step.status < 300) {
      expect(responseErrors(step.operationId, step.status, body)).toBeUndefined();
      return;
    }
    // No error status has a schema in the document: Zoom's `{code, message}` shape, `errors[]` on validation.
    expect(operation(step.operationId).responses[String(step.status)] ?? null).toBeNull();
    const { errors, ...rest } = body;
    expect([rest, rest.code]).toEqual([errorShape, step.code]);
    if (errors !== undefined) expect(errors).toEqual(expect.arrayContaining([{ field: anyString, message: anyString }]));
  });

  it("visited every operation the fake serves", () => {
    const visited = new Set(tour.map((step) => step.operationId).filter((id) => id !== undefined));
    expect([...visited].sort()).toEqual(Object.keys(operationScopes).sort());
  });
});
