import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import type { FakeZoomEvent } from "../../../src/fake-zoom/types.js";
import { responseErrors } from "./contract.js";
import { api, bodyOf, fakeWithClock, issueToken, person } from "./helpers.js";

const meetingAdd = `/v2/meetings/${defaultEventIds.meeting}/registrants`;
const webinarAdd = `/v2/webinars/${defaultEventIds.webinar}/registrants`;

function setup(events?: FakeZoomEvent[]) {
  // A token that outlives the day, so tests that cross midnight need not fetch another.
  const { fake, clock } = fakeWithClock({ tokenTtlSeconds: 2 * 86_400, ...(events === undefined ? {} : { events }) });
  const token = issueToken(fake);
  const add = (path: string, body: unknown, query = "") => fake.handle(api(token, "POST", `${path}${query}`, body));
  return { fake, clock, add };
}

const noRegistrationMeeting: FakeZoomEvent = {
  kind: "meeting",
  id: "81111111111",
  type: 2,
  topic: "no registration",
  approvalType: 2,
  hostEmail: "host@example.com",
  startTime: "2030-01-15T17:00:00Z",
};

describe("POST /v2/meetings/{id}/registrants", () => {
  it("answers 201 with a body that satisfies Zoom's response schema", () => {
    const { add } = setup();
    const response = add(meetingAdd, person(1));
    expect(response.status).toBe(201);
    expect(responseErrors("meetingRegistrantCreate", 201, bodyOf(response))).toBeUndefined();
  });

  it("returns the meeting id as a number, the topic, the start time and an integer PIN", () => {
    const { add } = setup();
    expect(bodyOf(add(meetingAdd, person(1)))).toMatchObject({
      id: 85746065,
      topic: "zoomreg demo meeting",
      start_time: "2030-01-15T17:00:00Z",
      participant_pin_code: expect.any(Number) as number,
    });
  });

  it("gives each registrant a personal join_url on the meeting", () => {
    const { add } = setup();
    const joinUrls = [1, 2, 3].map((n) => bodyOf(add(meetingAdd, person(n))).join_url);
    expect(new Set(joinUrls).size).toBe(3);
    expect(joinUrls[0]).toMatch(/^https:\/\/zoom\.us\/w\/85746065\?tk=[\w-]+$/);
  });

  it("returns the same registrant_id and join_url when the same email comes back in another case", () => {
    const { add } = setup();
    const first = bodyOf(add(meetingAdd, person(1, { email: "Ada@Example.com" })));
    const again = bodyOf(add(meetingAdd, person(1, { email: "ada@example.COM", first_name: "Other" })));
    expect([again.registrant_id, again.join_url]).toEqual([first.registrant_id, first.join_url]);
  });

  it("refuses the 4th add of one registrant in a UTC day with Zoom's 429", () => {
    const { add } = setup();
    for (let i = 0; i < 3; i += 1) add(meetingAdd, person(1));
    const fourth = add(meetingAdd, person(1));
    expect([fourth.status, bodyOf(fourth)]).toEqual([
      429,
      {
        code: 429,
        message:
          "You have exceeded the daily rate limit of (3) for Add registrant API requests for the registrant (person1@example.com). You can resume these API requests at GMT 00:00:00.",
      },
    ]);
  });

  it("counts adds of one email case-insensitively toward the daily limit", () => {
    const { add } = setup();
    ["A@example.com", "a@example.com", "a@EXAMPLE.com"].forEach((email) => add(meetingAdd, person(1, { email })));
    expect(add(meetingAdd, person(1, { email: "a@example.com" })).status).toBe(429);
  });

  it("lets the registrant be added again after 00:00 UTC", async () => {
    const { add, clock } = setup();
    for (let i = 0; i < 4; i += 1) add(meetingAdd, person(1));
    await clock.advance(Date.parse("2029-06-06T00:00:00Z") - clock.now());
    expect(add(meetingAdd, person(1)).status).toBe(201);
  });

  it("keeps refusing until the last millisecond of the UTC day", async () => {
    const { add, clock } = setup();
    for (let i = 0; i < 3; i += 1) add(meetingAdd, person(1));
    await clock.advance(Date.parse("2029-06-05T23:59:59.999Z") - clock.now());
    expect(add(meetingAdd, person(1)).status).toBe(429);
  });

  it("counts the daily limit per event", () => {
    const { add } = setup();
    for (let i = 0; i < 3; i += 1) add(meetingAdd, person(1));
    expect(add(webinarAdd, person(1)).status).toBe(201);
  });

  it("takes its daily limit from the options", () => {
    const { fake } = fakeWithClock({ registrantDailyAddLimit: 1 });
    const token = issueToken(fake);
    fake.handle(api(token, "POST", meetingAdd, person(1)));
    expect(fake.handle(api(token, "POST", meetingAdd, person(1))).status).toBe(429);
  });

  it("names the broken field in a 400 code 300", () => {
    const { add } = setup();
    const response = add(meetingAdd, { email: "not-an-email", first_name: "Ada" });
    expect([response.status, bodyOf(response)]).toEqual([
      400,
      { code: 300, message: "Validation Failed.", errors: [{ field: "email", message: "Invalid field." }] },
    ]);
  });

  it("does not spend a daily add on a body it refuses", () => {
    const { add } = setup();
    for (let i = 0; i < 3; i += 1) add(meetingAdd, person(1, { language: "xx" }));
    expect(add(meetingAdd, person(1)).status).toBe(201);
  });

  it("answers malformed JSON with 400 code 300", () => {
    const { add } = setup();
    const response = add(meetingAdd, "{not json");
    expect([response.status, bodyOf(response).code]).toEqual([400, 300]);
  });

  it("answers an unknown meeting with 404 code 3001 naming it", () => {
    const { add } = setup();
    const response = add("/v2/meetings/12345/registrants", person(1));
    expect([response.status, bodyOf(response)]).toEqual([404, { code: 3001, message: "Meeting does not exist: 12345." }]);
  });

  it("answers an unknown webinar with the webinar wording", () => {
    const { add } = setup();
    const response = add("/v2/webinars/12345/registrants", person(1));
    expect([response.status, bodyOf(response)]).toEqual([404, { code: 3001, message: "Webinar does not exist: 12345." }]);
  });

  it("answers an id that is not digits with 400 code 300", () => {
    const { add } = setup();
    const response = add("/v2/webinars/abc/registrants", person(1));
    expect([response.status, bodyOf(response)]).toEqual([400, { code: 300, message: "Invalid webinar ID." }]);
  });

  it("refuses an event without registration with 400 code 3000", () => {
    const { add } = setup([noRegistrationMeeting]);
    const response = add("/v2/meetings/81111111111/registrants", person(1));
    expect([response.status, bodyOf(response)]).toEqual([
      400,
      { code: 3000, message: "This meeting does not have registration as required: 81111111111." },
    ]);
  });

  it("refuses a registrant past the event's capacity with 400 code 3043", () => {
    const { add } = setup([{ ...noRegistrationMeeting, approvalType: 0, capacity: 1 }]);
    add("/v2/meetings/81111111111/registrants", person(1));
    const response = add("/v2/meetings/81111111111/registrants", person(2));
    expect([response.status, bodyOf(response).code]).toEqual([400, 3043]);
  });
});

describe("manual approval", () => {
  const manualAdd = `/v2/meetings/${defaultEventIds.manualApprovalMeeting}/registrants`;

  it("leaves join_url out while the host has not approved", () => {
    const { add } = setup();
    const body = bodyOf(add(manualAdd, person(1)));
    expect([typeof body.registrant_id, body.join_url]).toEqual(["string", undefined]);
  });

  it("returns join_url when the add asks for auto_approve", () => {
    const { add } = setup();
    expect(bodyOf(add(manualAdd, person(1, { auto_approve: true }))).join_url).toEqual(expect.any(String));
  });

  it("ignores auto_approve on a webinar, whose add has no such field", () => {
    const { add } = setup([{ kind: "webinar", id: "82222222222", type: 5, topic: "w", approvalType: 1, hostEmail: "h@example.com", startTime: "2030-01-15T17:00:00Z" }]);
    expect(bodyOf(add("/v2/webinars/82222222222/registrants", person(1, { auto_approve: true }))).join_url).toBeUndefined();
  });
});

describe("POST /v2/webinars/{id}/registrants", () => {
  it("answers 201 with a body that satisfies Zoom's webinar schema, without a PIN", () => {
    const { add } = setup();
    const body = bodyOf(add(webinarAdd, person(1)));
    expect(responseErrors("webinarRegistrantCreate", 201, body)).toBeUndefined();
    expect(body.participant_pin_code).toBeUndefined();
  });
});

describe("recurring meetings", () => {
  const recurringAdd = `/v2/meetings/${defaultEventIds.recurringMeeting}/registrants`;

  it("lists every occurrence when the add names none", () => {
    const { add } = setup();
    const body = bodyOf(add(recurringAdd, person(1)));
    expect((body.occurrences as unknown[]).length).toBe(2);
    expect(responseErrors("meetingRegistrantCreate", 201, body)).toBeUndefined();
  });

  it("lists only the occurrences named in occurrence_ids", () => {
    const { add } = setup();
    const second = String(Date.parse("2030-01-15T16:00:00Z"));
    const body = bodyOf(add(recurringAdd, person(1), `?occurrence_ids=${second}`));
    expect(body.occurrences).toEqual([{ occurrence_id: second, start_time: "2030-01-15T16:00:00Z", duration: 60, status: "available" }]);
  });

  it("refuses an occurrence id the meeting does not have", () => {
    const { add } = setup();
    const response = add(recurringAdd, person(1), "?occurrence_ids=1");
    expect([response.status, bodyOf(response).errors]).toEqual([400, [{ field: "occurrence_ids", message: "Invalid field." }]]);
  });
});
