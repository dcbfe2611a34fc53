import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import type { FakeApp } from "../../../src/fake-zoom/types.js";
import { responseErrors } from "./contract.js";
import { api, basicAuth, bodyOf, fakeWithClock, issueToken, person, tokenRequest } from "./helpers.js";

/** `GET /v2/{meetings,webinars}/{id}/registrants/{registrantId}` (issue 12: a CI using the fake could not look one registrant up). */

const meeting = `/v2/meetings/${defaultEventIds.meeting}`;
const manual = `/v2/meetings/${defaultEventIds.manualApprovalMeeting}`;
const webinar = `/v2/webinars/${defaultEventIds.webinar}`;

function withOneRegistrant(eventPath: string, body = person(1)) {
  const { fake } = fakeWithClock();
  const token = issueToken(fake);
  const added = bodyOf(fake.handle(api(token, "POST", `${eventPath}/registrants`, body)));
  const get = (registrantId = added.registrant_id as string, path = eventPath) => fake.handle(api(token, "GET", `${path}/registrants/${registrantId}`));
  return { fake, token, added, get };
}

describe("GET .../registrants/{registrantId}", () => {
  it("answers a meeting registrant as the list does, with the add's join_url and PIN, in Zoom's schema", () => {
    const { fake, token, added, get } = withOneRegistrant(meeting, person(1, { city: "Rome", custom_questions: [{ title: "Dietary needs", value: "none" }] }));
    const response = get();
    const body = bodyOf(response);
    expect(response.status).toBe(200);
    expect(responseErrors("meetingRegistrantGet", 200, body)).toBeUndefined();
    expect(body).toMatchObject({ id: added.registrant_id, email: "person1@example.com", city: "Rome", status: "approved", join_url: added.join_url, participant_pin_code: added.participant_pin_code });
    const [listed] = bodyOf(fake.handle(api(token, "GET", `${meeting}/registrants`))).registrants as unknown[];
    expect(body).toEqual(listed);
  });

  it("answers a webinar registrant without a PIN (the webinar schema has none)", () => {
    const { get } = withOneRegistrant(webinar);
    const body = bodyOf(get());
    expect(responseErrors("webinarRegistrantGet", 200, body)).toBeUndefined();
    expect(body).toMatchObject({ email: "person1@example.com", status: "approved" });
    expect(body).not.toHaveProperty("participant_pin_code");
  });

  it("shows a registrant awaiting approval as pending, without a join_url", () => {
    const { get } = withOneRegistrant(manual);
    const body = bodyOf(get());
    expect(body.status).toBe("pending");
    expect(body).not.toHaveProperty("join_url");
  });

  it.each([
    { what: "an id the event lacks", path: () => `${meeting}/registrants/no-such-id`, status: 400, body: { code: 3079, message: "This registrant does not exist: no-such-id." } },
    { what: "another event's registrant", path: (id: string) => `${webinar}/registrants/${id}`, status: 400, code: 3079 },
    { what: "an event the account lacks", path: (id: string) => `/v2/meetings/99/registrants/${id}`, status: 404, body: { code: 3001, message: "Meeting does not exist: 99." } },
    { what: "an event id that is not digits", path: (id: string) => `/v2/webinars/abc/registrants/${id}`, status: 400, body: { code: 300, message: "Invalid webinar ID." } },
  ])("refuses $what as Zoom's document says", ({ path, status, ...expected }) => {
    const { fake, token, added } = withOneRegistrant(meeting);
    const response = fake.handle(api(token, "GET", path(added.registrant_id as string)));
    expect(response.status).toBe(status);
    if ("body" in expected) expect(bodyOf(response)).toEqual(expected.body);
    else expect(bodyOf(response).code).toBe(expected.code);
  });

  it("answers 400 code 3000 when the event takes no registrations", () => {
    const { fake, token, added } = withOneRegistrant(meeting);
    fake.updateEvent("meeting", defaultEventIds.meeting, { approvalType: 2 });
    expect(bodyOf(fake.handle(api(token, "GET", `${meeting}/registrants/${added.registrant_id as string}`)))).toEqual({
      code: 3000,
      message: `Registration has not been enabled for this meeting: ${defaultEventIds.meeting}.`,
    });
  });

  it("needs meeting:read:registrant (or a classic read scope): 4711 names the granular ones", () => {
    const app: FakeApp = { clientId: "writer", clientSecret: "writer-secret", scopes: ["meeting:write:registrant:admin"] };
    const { fake } = fakeWithClock({ apps: [app] });
    const token = bodyOf(fake.handle(tokenRequest(undefined, basicAuth(app.clientId, app.clientSecret)))).access_token as string;
    const response = fake.handle(api(token, "GET", `${meeting}/registrants/someone`));
    expect(bodyOf(response)).toEqual({ code: 4711, message: "Invalid access token, does not contain scopes:[meeting:read:registrant, meeting:read:registrant:admin]." });
  });

  it("counts under its own route and the Light label, and can be scripted to fail", () => {
    const { fake, get } = withOneRegistrant(meeting);
    fake.scriptFaults({ route: "getRegistrant", count: 1, answer: "500" });
    expect(get().status).toBe(500);
    expect(get().status).toBe(200);
    expect(fake.ledger().totals.requestsByRoute["GET /v2/meetings/{meetingId}/registrants/{registrantId}"]).toBe(2);
    expect(fake.ledger().totals.peakRequestsPerSecondByLabel.Light).toBeGreaterThanOrEqual(2);
  });
});
