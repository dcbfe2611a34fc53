import { describe, expect, it } from "vitest";
import { matchRoute } from "../../../src/fake-zoom/routes.js";
import { IdSource } from "../../../src/fake-zoom/random.js";

describe("matchRoute", () => {
  it.each([
    ["POST", "/oauth/token", "token", "POST /oauth/token", undefined],
    ["POST", "/v2/meetings/85746065/registrants", "addRegistrant", "POST /v2/meetings/{meetingId}/registrants", "Light"],
    ["POST", "/v2/webinars/81234567890/registrants/", "addRegistrant", "POST /v2/webinars/{webinarId}/registrants", "Light"],
    ["GET", "/v2/meetings/85746065/registrants", "listRegistrants", "GET /v2/meetings/{meetingId}/registrants", "Medium"],
    ["GET", "/v2/webinars/1/registrants/questions", "registrationQuestions", "GET /v2/webinars/{webinarId}/registrants/questions", "Light"],
    ["get", "/v2/meetings/85746065", "getEvent", "GET /v2/meetings/{meetingId}", "Light"],
    ["POST", "/v2/meetings/85746065/batch_registrants", "batchAddRegistrants", "POST /v2/meetings/{meetingId}/batch_registrants", "Heavy"],
    ["POST", "/v2/webinars/1/batch_registrants", "batchAddRegistrants", "POST /v2/webinars/{webinarId}/batch_registrants", "Heavy"],
    ["PUT", "/v2/meetings/85746065/registrants/status", "updateRegistrantStatus", "PUT /v2/meetings/{meetingId}/registrants/status", "Medium"],
    ["PUT", "/v2/webinars/1/registrants/status", "updateRegistrantStatus", "PUT /v2/webinars/{webinarId}/registrants/status", "Medium"],
    ["GET", "/v2/meetings/85746065/registrants/9tboDiHUQAeOnbmudzWa5g", "getRegistrant", "GET /v2/meetings/{meetingId}/registrants/{registrantId}", "Light"],
    ["GET", "/v2/webinars/81234567890/registrants/9tboDiHUQAeOnbmudzWa5g/", "getRegistrant", "GET /v2/webinars/{webinarId}/registrants/{registrantId}", "Light"],
    ["DELETE", "/v2/meetings/85746065/registrants/9tboDiHUQAeOnbmudzWa5g", "deleteRegistrant", "DELETE /v2/meetings/{meetingId}/registrants/{registrantId}", "Light"],
    ["DELETE", "/v2/webinars/1/registrants/9tboDiHUQAeOnbmudzWa5g", "deleteRegistrant", "DELETE /v2/webinars/{webinarId}/registrants/{registrantId}", "Light"],
    ["GET", "/v2/meetings/85746065/registrants/status", "unknownApi", "GET /v2/*", undefined],
    ["PUT", "/v2/meetings/85746065/registrants/questions", "unknownApi", "PUT /v2/*", undefined],
    ["PUT", "/v2/meetings/85746065/registrants/9tboDiHUQAeOnbmudzWa5g", "unknownApi", "PUT /v2/*", undefined],
    ["GET", "/v2/meetings/85746065/registrants/9tboDiHUQAeOnbmudzWa5g/extra", "unknownApi", "GET /v2/*", undefined],
    ["GET", "/v2/meetings/85746065/batch_registrants/9tboDiHUQAeOnbmudzWa5g", "unknownApi", "GET /v2/*", undefined],
    ["GET", "/v2/meetings/85746065/registrants/questions/extra", "unknownApi", "GET /v2/*", undefined],
    ["DELETE", "/v2/meetings/85746065", "unknownApi", "DELETE /v2/*", undefined],
    ["GET", "/v2/users/me", "unknownApi", "GET /v2/*", undefined],
    ["GET", "/v2", "unknownApi", "GET /v2/*", undefined],
    ["GET", "/oauth/token", "notFound", "GET *", undefined],
    ["GET", "/", "notFound", "GET *", undefined],
    ["GET", "/__fake/ledger", "ledger", "GET /__fake/ledger", undefined],
    ["POST", "/__fake/reset", "reset", "POST /__fake/reset", undefined],
    ["GET", "/__fake/clock", "getClock", "GET /__fake/clock", undefined],
    ["POST", "/__fake/clock", "setClock", "POST /__fake/clock", undefined],
    ["DELETE", "/__fake/clock", "notFound", "DELETE *", undefined],
    ["GET", "/__fake/faults", "getFaults", "GET /__fake/faults", undefined],
    ["POST", "/__fake/faults", "scriptFaults", "POST /__fake/faults", undefined],
    ["POST", "/__fake/events/webinar/81234567890", "updateEvent", "POST /__fake/events/{kind}/{id}", undefined],
    ["POST", "/__fake/events/seminar/1", "notFound", "POST *", undefined],
    ["GET", "/__fake/events/meeting/1", "notFound", "GET *", undefined],
  ])("routes %s %s to %s", (method, path, name, template, label) => {
    expect(matchRoute(method, path)).toMatchObject({ name, template, label });
  });

  it("reads the event kind and id from the path", () => {
    expect(matchRoute("POST", "/v2/webinars/81234567890/registrants")).toMatchObject({ kind: "webinar", eventId: "81234567890" });
  });

  it("reads the registrant id from the path, decoded, and never takes questions or status for one", () => {
    expect(matchRoute("GET", "/v2/webinars/81234567890/registrants/a%2Bb")).toMatchObject({ kind: "webinar", eventId: "81234567890", registrantId: "a+b" });
    expect(matchRoute("GET", "/v2/meetings/1/registrants/questions")).toMatchObject({ name: "registrationQuestions" });
    expect(matchRoute("GET", "/v2/meetings/1/registrants/questions").registrantId).toBeUndefined();
  });

  it("reads the event kind and id from the path of a /__fake/events change", () => {
    expect(matchRoute("POST", "/__fake/events/meeting/85746065")).toMatchObject({ kind: "meeting", eventId: "85746065" });
  });

  it.each([
    ["POST", "/v2/meetings/1/registrants", "meetingRegistrantCreate"],
    ["POST", "/v2/webinars/1/batch_registrants", "addBatchWebinarRegistrants"],
    ["PUT", "/v2/webinars/1/registrants/status", "webinarRegistrantStatus"],
    ["GET", "/v2/meetings/1/registrants/questions", "meetingRegistrantsQuestionsGet"],
    ["GET", "/v2/webinars/1", "webinar"],
    ["GET", "/v2/meetings/1/registrants/x", "meetingRegistrantGet"],
    ["GET", "/v2/webinars/1/registrants/x", "webinarRegistrantGet"],
  ])("names the OpenAPI operation of %s %s: %s", (method, path, operationId) => {
    expect(matchRoute(method, path).operationId).toBe(operationId);
  });
});

describe("IdSource", () => {
  it("repeats its ids for the same seed", () => {
    const [a, b] = [new IdSource(5), new IdSource(5)];
    expect([a.registrantId(), a.joinToken(), a.accessToken()]).toEqual([b.registrantId(), b.joinToken(), b.accessToken()]);
  });

  it("draws different ids for different seeds", () => {
    expect(new IdSource(5).registrantId()).not.toBe(new IdSource(6).registrantId());
  });

  it("shapes registrant ids like Zoom's 22 base64url characters", () => {
    expect(new IdSource(1).registrantId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("numbers tracking ids so that no two answers share one", () => {
    const ids = new IdSource(1);
    expect(ids.trackingId()).not.toBe(ids.trackingId());
  });
});
