import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import type { FakeZoomEvent } from "../../../src/fake-zoom/types.js";
import { responseErrors } from "./contract.js";
import { api, bodyOf, fakeWithClock, issueToken, person } from "./helpers.js";

const meetingBase = `/v2/meetings/${defaultEventIds.meeting}`;
const manualBase = `/v2/meetings/${defaultEventIds.manualApprovalMeeting}`;
const webinarBase = `/v2/webinars/${defaultEventIds.webinar}`;

function event(change: Partial<FakeZoomEvent>): FakeZoomEvent {
  return { kind: "meeting", id: "81111111111", type: 2, topic: "t", approvalType: 0, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z", ...change };
}

function setup(options: Parameters<typeof fakeWithClock>[0] = {}) {
  const { fake, clock } = fakeWithClock({ tokenTtlSeconds: 3 * 86_400, ...options });
  const token = issueToken(fake);
  const send = (method: string, path: string, body?: unknown) => fake.handle(api(token, method, path, body));
  const batch = (base: string, people: unknown[], extra: Record<string, unknown> = {}) => send("POST", `${base}/batch_registrants`, { registrants: people, ...extra });
  const status = (base: string, action: string, registrants: unknown[]) => send("PUT", `${base}/registrants/status`, { action, registrants });
  const listed = (base: string, state: string) => bodyOf(send("GET", `${base}/registrants?status=${state}`)).registrants as Record<string, unknown>[];
  return { fake, clock, send, batch, status, listed };
}

const people = (...numbers: number[]) => numbers.map((n) => person(n));

describe("POST .../batch_registrants", () => {
  it.each([
    ["addBatchRegistrants", meetingBase],
    ["addBatchWebinarRegistrants", webinarBase],
  ])("answers 201 with a body that satisfies %s", (operationId, base) => {
    const response = setup().batch(base, people(1, 2));
    expect(response.status).toBe(201);
    expect(responseErrors(operationId, 201, bodyOf(response))).toBeUndefined();
  });

  it("returns each person's email, registrant_id, join_url and meeting PIN in the order sent", () => {
    const body = bodyOf(setup().batch(meetingBase, people(2, 1)));
    expect(body.registrants).toEqual([
      { email: "person2@example.com", registrant_id: expect.any(String) as string, join_url: expect.stringMatching(/^https:\/\/zoom\.us\/w\//) as string, participant_pin_code: expect.any(Number) as number },
      expect.objectContaining({ email: "person1@example.com" }),
    ]);
  });

  it("leaves the PIN out for webinars", () => {
    const [registrant] = bodyOf(setup().batch(webinarBase, people(1))).registrants as Record<string, unknown>[];
    expect(registrant).not.toHaveProperty("participant_pin_code");
  });

  it("takes at most 30 people", () => {
    const response = setup().batch(meetingBase, Array.from({ length: 31 }, (_, n) => person(n)));
    expect([response.status, bodyOf(response).errors]).toEqual([400, [{ field: "registrants", message: "Invalid field." }]]);
  });

  it("takes 30 people", () => {
    expect(setup().batch(meetingBase, Array.from({ length: 30 }, (_, n) => person(n))).status).toBe(201);
  });

  it("refuses a recurring meeting with code 303", () => {
    const response = setup().batch(`/v2/meetings/${defaultEventIds.recurringMeeting}`, people(1));
    expect([response.status, bodyOf(response).code]).toEqual([400, 303]);
  });

  it("refuses a recurring webinar with code 300", () => {
    const response = setup({ events: [event({ kind: "webinar", type: 9, occurrences: [{ occurrence_id: "1", start_time: "2030-01-15T17:00:00Z", duration: 60 }] })] }).batch("/v2/webinars/81111111111", people(1));
    expect([response.status, bodyOf(response).code]).toEqual([400, 300]);
  });

  it("keeps only names and email of each person", () => {
    const { batch, listed } = setup();
    batch(meetingBase, [person(1, { org: "Ignored Inc", city: "Nowhere" })]);
    expect(listed(meetingBase, "approved")[0]).not.toHaveProperty("org");
  });

  it("names a person's broken field", () => {
    const response = setup().batch(meetingBase, [person(1), { email: "nope", first_name: "X" }]);
    expect(bodyOf(response).errors).toEqual([{ field: "registrants[1].email", message: "Invalid field." }]);
  });

  it("leaves join_url out on manual approval unless auto_approve is set", () => {
    const { batch } = setup();
    const pending = (bodyOf(batch(manualBase, people(1))).registrants as Record<string, unknown>[])[0];
    const approved = (bodyOf(batch(manualBase, people(2), { auto_approve: true })).registrants as Record<string, unknown>[])[0];
    expect([pending?.join_url, typeof approved?.join_url]).toEqual([undefined, "string"]);
  });

  it("checks registrants_confirmation_email on meetings and ignores it on webinars", () => {
    const { batch } = setup();
    expect([batch(meetingBase, people(1), { registrants_confirmation_email: "yes" }).status, batch(webinarBase, people(1), { registrants_confirmation_email: "yes" }).status]).toEqual([400, 201]);
  });

  it("gives an email already registered its registrant_id and join_url", () => {
    const { send, batch } = setup();
    const single = bodyOf(send("POST", `${meetingBase}/registrants`, person(1)));
    const [again] = bodyOf(batch(meetingBase, people(1))).registrants as Record<string, unknown>[];
    expect([again?.registrant_id, again?.join_url]).toEqual([single.registrant_id, single.join_url]);
  });

  it("counts each person against their 3 adds a day, with single adds", () => {
    const { send, batch } = setup();
    batch(meetingBase, people(1, 2));
    batch(meetingBase, people(1));
    send("POST", `${meetingBase}/registrants`, person(1));
    expect([send("POST", `${meetingBase}/registrants`, person(1)).status, send("POST", `${meetingBase}/registrants`, person(2)).status]).toEqual([429, 201]);
  });

  it("refuses the whole batch with the spent person's 429 and moves no one's count", () => {
    const { fake, batch } = setup();
    for (let i = 0; i < 3; i += 1) batch(meetingBase, people(1));
    const refused = batch(meetingBase, people(2, 1));
    expect([refused.status, bodyOf(refused).message]).toEqual([429, expect.stringContaining("(person1@example.com)") as string]);
    expect([fake.ledger().events[`meeting:${defaultEventIds.meeting}`]?.["person2@example.com"]?.registered, batch(meetingBase, people(2)).status]).toEqual([false, 201]);
  });

  it("refuses a batch that would pass the capacity with 3043", () => {
    const response = setup({ events: [event({ capacity: 2 })] }).batch("/v2/meetings/81111111111", people(1, 2, 3));
    expect([response.status, bodyOf(response).code]).toEqual([400, 3043]);
  });

  it("answers a meeting without registration with 400 code 404", () => {
    const response = setup({ events: [event({ approvalType: 2 })] }).batch("/v2/meetings/81111111111", people(1));
    expect([response.status, bodyOf(response)]).toEqual([400, { code: 404, message: "Registration has not been enabled for this meeting: 81111111111." }]);
  });

  it("answers an event that is over with 3038", () => {
    const response = setup({ events: [event({ over: true })] }).batch("/v2/meetings/81111111111", people(1));
    expect([response.status, bodyOf(response).code]).toEqual([400, 3038]);
  });
});

describe("PUT .../registrants/status", () => {
  it("approves a pending registrant with 204 and no body, who then has a join_url", () => {
    const { send, status, listed } = setup();
    const { registrant_id: id } = bodyOf(send("POST", `${manualBase}/registrants`, person(1)));
    const response = status(manualBase, "approve", [{ id }]);
    expect([response.status, response.body, listed(manualBase, "approved").map((registrant) => typeof registrant.join_url)]).toEqual([204, undefined, ["string"]]);
  });

  it("shows the join_url in the ledger once approved", () => {
    const { fake, send, status } = setup();
    send("POST", `${manualBase}/registrants`, person(1));
    status(manualBase, "approve", [{ email: "person1@example.com" }]);
    expect(fake.ledger().events[`meeting:${defaultEventIds.manualApprovalMeeting}`]?.["person1@example.com"]).toMatchObject({ status: "approved", joinUrl: expect.any(String) as string });
  });

  it.each(["deny", "cancel"])("moves a registrant to denied on %s", (action) => {
    const { send, status, listed } = setup();
    send("POST", `${meetingBase}/registrants`, person(1));
    status(meetingBase, action, [{ email: "person1@example.com" }]);
    expect([listed(meetingBase, "approved").length, listed(meetingBase, "denied").length]).toEqual([0, 1]);
  });

  it("frees the seat of a denied registrant", () => {
    const { send, status } = setup({ events: [event({ capacity: 1 })] });
    send("POST", "/v2/meetings/81111111111/registrants", person(1));
    status("/v2/meetings/81111111111", "deny", [{ email: "person1@example.com" }]);
    expect(send("POST", "/v2/meetings/81111111111/registrants", person(2)).status).toBe(201);
  });

  it("refuses to approve a denied registrant back into a full meeting", () => {
    const { send, status } = setup({ events: [event({ capacity: 1 })] });
    send("POST", "/v2/meetings/81111111111/registrants", person(1));
    status("/v2/meetings/81111111111", "deny", [{ email: "person1@example.com" }]);
    send("POST", "/v2/meetings/81111111111/registrants", person(2));
    expect(bodyOf(status("/v2/meetings/81111111111", "approve", [{ email: "person1@example.com" }])).code).toBe(3043);
  });

  it.each([
    ["an unknown action", { action: "maybe", registrants: [] }, "action"],
    ["31 registrants", { action: "approve", registrants: Array.from({ length: 31 }, (_, n) => ({ id: String(n) })) }, "registrants"],
  ])("refuses %s, naming the field", (_name, body, field) => {
    const response = setup().send("PUT", `${meetingBase}/registrants/status`, body);
    expect([response.status, bodyOf(response).errors]).toEqual([400, [{ field, message: "Invalid field." }]]);
  });

  it("allows 10 status changes a day per registrant and refuses the 11th with a 429", () => {
    const { fake, send, status } = setup();
    send("POST", `${meetingBase}/registrants`, person(1));
    const answers = Array.from({ length: 11 }, (_, n) => status(meetingBase, n % 2 === 0 ? "deny" : "approve", [{ email: "person1@example.com" }]).status);
    expect([answers.slice(0, 10).every((code) => code === 204), answers[10], fake.ledger().totals.rateLimitedByKind]).toEqual([true, 429, { "status-daily": 1 }]);
  });

  it("allows status changes again after 00:00 UTC", async () => {
    const { send, status, clock } = setup();
    send("POST", `${meetingBase}/registrants`, person(1));
    for (let n = 0; n < 10; n += 1) status(meetingBase, "approve", [{ email: "person1@example.com" }]);
    await clock.advance(86_400_000);
    expect(status(meetingBase, "deny", [{ email: "person1@example.com" }]).status).toBe(204);
  });

  it("skips registrants the event does not know", () => {
    expect(setup().status(meetingBase, "approve", [{ id: "nobody" }]).status).toBe(204);
  });
});
