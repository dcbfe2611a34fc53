import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { questionErrors, type RegistrantInput } from "../../../src/fake-zoom/validation.js";
import type { FakeRegistrationQuestions, FakeZoomEvent } from "../../../src/fake-zoom/types.js";
import { responseErrors } from "./contract.js";
import { api, bodyOf, fakeWithClock, issueToken, person } from "./helpers.js";

const form: FakeRegistrationQuestions = {
  questions: [
    { field_name: "org", required: true },
    { field_name: "city", required: false },
  ],
  custom_questions: [
    { title: "Track", type: "single", required: true, answers: ["A", "B"] },
    { title: "Notes", type: "short", required: false },
  ],
};

function event(change: Partial<FakeZoomEvent> = {}): FakeZoomEvent {
  return { kind: "webinar", id: "82222222222", type: 5, topic: "t", approvalType: 0, hostEmail: "Host@Example.com", startTime: "2030-01-15T17:00:00Z", ...change };
}

function setup(options: Parameters<typeof fakeWithClock>[0] = {}) {
  const { fake } = fakeWithClock(options);
  const token = issueToken(fake);
  return { fake, send: (method: string, path: string, body?: unknown) => fake.handle(api(token, method, path, body)) };
}

const add = (events: FakeZoomEvent[], body: unknown) => setup({ events }).send("POST", `/v2/webinars/${events[0]?.id ?? ""}/registrants`, body);

function input(change: Partial<RegistrantInput> = {}): RegistrantInput {
  return { email: "a@example.com", first_name: "A", fields: {}, custom_questions: [], autoApprove: false, ...change };
}

describe("questionErrors", () => {
  it.each([
    ["a complete answer", input({ fields: { org: "Acme" }, custom_questions: [{ title: "Track", value: "A" }] }), []],
    ["a missing required field", input({ custom_questions: [{ title: "Track", value: "A" }] }), ["org"]],
    ["a blank required field", input({ fields: { org: " " }, custom_questions: [{ title: "Track", value: "A" }] }), ["org"]],
    ["an unanswered required custom question", input({ fields: { org: "Acme" } }), ["custom_questions"]],
    ["a custom question the event lacks", input({ fields: { org: "Acme" }, custom_questions: [{ title: "Track", value: "A" }, { title: "Shoe size", value: "9" }] }), ["custom_questions[1].title"]],
    ["a title in another case", input({ fields: { org: "Acme" }, custom_questions: [{ title: "track", value: "A" }] }), ["custom_questions[0].title", "custom_questions"]],
  ])("finds %s", (_name, given, fields) => {
    expect(questionErrors(form, given).map((error) => error.field)).toEqual(fields);
  });

  it("refuses every custom answer when the event has no form", () => {
    expect(questionErrors(undefined, input({ custom_questions: [{ title: "Anything", value: "x" }] }))).toHaveLength(1);
  });
});

describe("Zoom's answers to an add", () => {
  it("refuses an add that leaves a required question out with 400 code 300 and errors[]", () => {
    const response = add([event({ registrationQuestions: form })], person(1, { custom_questions: [{ title: "Track", value: "A" }] }));
    expect([response.status, bodyOf(response)]).toEqual([400, { code: 300, message: "Validation Failed.", errors: [{ field: "org", message: "Invalid field." }] }]);
  });

  it("accepts an add that answers the event's form", () => {
    const response = add([event({ registrationQuestions: form })], person(1, { org: "Acme", custom_questions: [{ title: "Track", value: "B" }] }));
    expect(response.status).toBe(201);
  });

  it("answers an event that is over with 400 code 3038", () => {
    const response = add([event({ over: true })], person(1));
    expect([response.status, bodyOf(response)]).toEqual([
      400,
      { code: 3038, message: "Webinar is over, you cannot register now. If you have any questions, contact the webinar host." },
    ]);
  });

  it("refuses the host's own email, in any case, with 400 code 3027", () => {
    const response = add([event()], person(1, { email: "host@example.COM" }));
    expect([response.status, bodyOf(response)]).toEqual([400, { code: 3027, message: "Host cannot register." }]);
  });

  it("does not spend a daily add on a refused form", () => {
    const { send } = setup({ events: [event({ registrationQuestions: form })] });
    for (let i = 0; i < 3; i += 1) send("POST", "/v2/webinars/82222222222/registrants", person(1));
    expect(send("POST", "/v2/webinars/82222222222/registrants", person(1, { org: "Acme", custom_questions: [{ title: "Track", value: "A" }] })).status).toBe(201);
  });
});

describe("the registrant limit across events", () => {
  const meetingAdd = `/v2/meetings/${defaultEventIds.meeting}/registrants`;
  const webinarAdd = `/v2/webinars/${defaultEventIds.webinar}/registrants`;

  it("counts adds per event by default", () => {
    const { send } = setup();
    for (let i = 0; i < 3; i += 1) send("POST", meetingAdd, person(1));
    expect(send("POST", webinarAdd, person(1)).status).toBe(201);
  });

  it("counts adds of one email over every event in the acrossEvents variant", () => {
    const { send } = setup({ registrantLimitScope: "acrossEvents" });
    for (let i = 0; i < 3; i += 1) send("POST", meetingAdd, person(1));
    const refused = send("POST", webinarAdd, person(1));
    expect([refused.status, bodyOf(refused).message]).toEqual([429, expect.stringContaining("daily rate limit of (3)") as string]);
  });

  it("still keeps each event's own attempts in the ledger in the acrossEvents variant", () => {
    const { fake, send } = setup({ registrantLimitScope: "acrossEvents" });
    for (let i = 0; i < 2; i += 1) send("POST", meetingAdd, person(1));
    send("POST", webinarAdd, person(1));
    const { events } = fake.ledger();
    expect([events[`meeting:${defaultEventIds.meeting}`]?.["person1@example.com"]?.addAttempts, events[`webinar:${defaultEventIds.webinar}`]?.["person1@example.com"]?.addAttempts]).toEqual([2, 1]);
  });
});

describe("GET /v2/meetings/{id} from a scenario's event", () => {
  it("tells host, approval type, registration type and status within Zoom's schema", () => {
    const recurring: FakeZoomEvent = {
      ...event({ kind: "meeting", id: "83333333333", type: 8, approvalType: 1, registrationType: 3 }),
      occurrences: [{ occurrence_id: "1894118400000", start_time: "2030-01-08T16:00:00Z", duration: 45 }],
    };
    const body = bodyOf(setup({ events: [recurring] }).send("GET", "/v2/meetings/83333333333"));
    expect(body).toMatchObject({ host_email: "Host@Example.com", type: 8, status: "waiting", settings: { approval_type: 1, registration_type: 3 }, occurrences: [{ occurrence_id: "1894118400000", duration: 45 }] });
    expect(responseErrors("meeting", 200, body)).toBeUndefined();
  });
});
