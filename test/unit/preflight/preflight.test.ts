import { describe, expect, it } from "vitest";
import { AuthError, ConfigError, NetworkError, ZoomUnavailableError } from "../../../src/errors.js";
import { preflight } from "../../../src/preflight/preflight.js";
import { ManualClock } from "../../../src/shared/clock.js";
import type { EventRef, RegistrationQuestions } from "../../../src/zoom/client.js";
import type { ReadRetryLogger } from "../../../src/preflight/read-retry.js";
import { StubClient, meetingInfo, perSecondLimit, scopeError, zoomError } from "./helpers.js";
import { SkippingClock } from "../../helpers/skipping-clock.js";
import { rejected } from "../../helpers/thrown.js";

const MEETING: EventRef = { kind: "meeting", id: "85746065" };
/** Before the default meeting's start (2030-01-15T17:00Z, 60 min). */
const beforeStart = new ManualClock(Date.parse("2030-01-01T00:00:00Z"));
const afterEnd = new ManualClock(Date.parse("2030-02-01T00:00:00Z"));
/** The retries' jitter: half of each backoff cap. */
const random = (): number => 0.5;

const form: RegistrationQuestions = {
  questions: [{ field_name: "city", required: true }],
  custom_questions: [{ title: "Dietary needs", type: "short", required: true, answers: [] }],
};

const failure = (promise: Promise<unknown>): Promise<Error> => rejected(Error, () => promise);

describe("preflight", () => {
  it("reads the event and its form and hands back a checker for the rows", async () => {
    const client = new StubClient({ getRegistrationQuestions: { value: form } });
    const result = await preflight(client, MEETING, { clock: beforeStart, random });
    expect(client.calls).toEqual(["getEvent", "getRegistrationQuestions"]);
    expect(result.event).toMatchObject({ type: 2, hostEmail: "host@example.com" });
    expect(result.questionTitles).toEqual(["Dietary needs"]);
    expect(result.needs.required.map((column) => column.column)).toEqual(["email", "first_name", "city", "question: Dietary needs"]);
    expect(result.checkRow({ email: "ada@example.com", first_name: "Ada", city: "Rome", custom_questions: [{ title: "Dietary needs", value: "none" }] })).toEqual([]);
    expect(result.checkRow({ email: "host@example.com", first_name: "Host", city: "Rome", custom_questions: [{ title: "Dietary needs", value: "none" }] })).toHaveLength(1);
  });

  it.each([
    { what: "an event that does not exist", answers: { getEvent: { error: zoomError(404, 3001, "Meeting does not exist: 85746065.") } }, message: /^meeting 85746065 does not exist/ },
    { what: "an event whose registration is off", answers: { getEvent: { value: meetingInfo({ approvalType: 2 }) } }, message: /registration is off/ },
    { what: "an event of a type that takes no registrants", answers: { getEvent: { value: meetingInfo({ type: 3 }) } }, message: /cannot take registrants: it is of type 3/ },
    {
      what: "a form Zoom will not show because registration is off",
      answers: { getRegistrationQuestions: { error: zoomError(400, 3000, "Registration has not been enabled for this meeting: 85746065.") } },
      message: /registration is off/,
    },
  ])("refuses $what with a ConfigError (exit 2)", async ({ answers, message }) => {
    const error = await failure(preflight(new StubClient(answers), MEETING, { clock: beforeStart, random }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
  });

  it("refuses credentials that may not read the form, naming the scope to add (exit 3)", async () => {
    const client = new StubClient({ getRegistrationQuestions: { error: scopeError(["meeting:read:list_registration_questions", "meeting:read:list_registration_questions:admin"]) } });
    const error = await failure(preflight(client, MEETING, { clock: beforeStart, random }));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/may not read the meeting's registration questions/);
    expect((error as AuthError).hint).toMatch(/^add meeting:read:list_registration_questions:admin/);
  });

  it("refuses credentials that may not read the event, before asking anything else", async () => {
    const client = new StubClient({ getEvent: { error: scopeError(["meeting:read:meeting", "meeting:read:meeting:admin"], "/meetings/85746065") } });
    const error = await failure(preflight(client, MEETING, { clock: beforeStart, random }));
    expect((error as AuthError).hint).toMatch(/^add meeting:read:meeting:admin/);
    expect(client.calls).toEqual(["getEvent"]);
  });

  it("sends no probe while the event's scheduled end is ahead", async () => {
    const client = new StubClient({ addRegistrant: { error: zoomError(400, 3038, "Meeting is over, you can not register now.") } });
    await preflight(client, MEETING, { clock: beforeStart, random });
    expect(client.calls).not.toContain("addRegistrant");
  });

  it("asks Zoom once the scheduled end has passed, and refuses an event Zoom says is over", async () => {
    const client = new StubClient({ addRegistrant: { error: zoomError(400, 3038, "Meeting is over, you can not register now.") } });
    const error = await failure(preflight(client, MEETING, { clock: afterEnd, random }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('meeting 85746065 "Launch" is over: Zoom takes no more registrations for it (code 3038)');
    expect(client.calls).toEqual(["getEvent", "addRegistrant"]);
  });

  it("goes on when Zoom still takes registrations after the scheduled end (it refused the empty body)", async () => {
    const client = new StubClient();
    await expect(preflight(client, MEETING, { clock: afterEnd, random })).resolves.toMatchObject({ questionTitles: [] });
    expect(client.calls).toEqual(["getEvent", "addRegistrant", "getRegistrationQuestions"]);
  });

  it("warns in one line before sending when the meeting's start plus duration is past and Zoom did not say 3038", async () => {
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as ReadRetryLogger;
    const result = await preflight(new StubClient(), MEETING, { clock: afterEnd, random, logger });
    const expected = 'meeting 85746065 "Launch" started at 2030-01-15T17:00:00Z and was scheduled to end at 2030-01-15T18:00:00Z; Zoom refuses registrations once it has ended (code 3038)';
    expect(warnings).toEqual([[expected]]);
    expect(result.warnings).toEqual([expected]);
  });

  it("warns of nothing while the meeting is ahead", async () => {
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as ReadRetryLogger;
    const result = await preflight(new StubClient(), MEETING, { clock: beforeStart, random, logger });
    expect(warnings).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it.each([
    { what: "a network failure", error: new NetworkError("POST", "/meetings/85746065/registrants", "connection reset", true) },
    { what: "a 5xx", error: zoomError(503, undefined, "Service Unavailable") },
  ])("goes on when the probe ends in $what: the first add will say it again", async ({ error }) => {
    await expect(preflight(new StubClient({ addRegistrant: { error } }), MEETING, { clock: afterEnd, random })).resolves.toBeDefined();
  });

  it("refuses credentials that may not add, when the probe finds out", async () => {
    const client = new StubClient({ addRegistrant: { error: scopeError(["meeting:write:registrant", "meeting:write:registrant:admin"], "/meetings/85746065/registrants") } });
    const error = await failure(preflight(client, MEETING, { clock: afterEnd, random }));
    expect((error as AuthError).hint).toMatch(/^add meeting:write:registrant:admin/);
  });

  it("passes the caller's abort on rather than going on", async () => {
    const reason = new Error("SIGINT");
    const controller = new AbortController();
    controller.abort(reason);
    // The client rethrows the caller's abort reason as is (zoom/client.ts, transportFailure).
    const client = new StubClient({ addRegistrant: { error: reason } });
    await expect(preflight(client, MEETING, { clock: afterEnd, random, signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("preflight's reads, retried", () => {
  const serverError = (): Error => zoomError(500, undefined, "Internal Server Error");
  const retried = (client: StubClient, clock = new SkippingClock(Date.parse("2030-01-01T00:00:00Z"))) => preflight(client, MEETING, { clock, random });

  it("retries one 500 on the event read, and the preflight succeeds", async () => {
    const client = new StubClient({ getEvent: [{ error: serverError() }, { value: meetingInfo() }] });
    await expect(retried(client)).resolves.toMatchObject({ event: { type: 2 } });
    expect(client.calls).toEqual(["getEvent", "getEvent", "getRegistrationQuestions"]);
  });

  it("waits out a per-second 429 on the questions (one second, Zoom sent no Retry-After)", async () => {
    const clock = new SkippingClock(Date.parse("2030-01-01T00:00:00Z"));
    const client = new StubClient({ getRegistrationQuestions: [{ error: perSecondLimit() }, { value: form }] });
    await expect(retried(client, clock)).resolves.toMatchObject({ questionTitles: ["Dietary needs"] });
    expect(clock.sleptMs).toEqual([1000]);
  });

  it("retries a dropped connection on the questions", async () => {
    const client = new StubClient({ getRegistrationQuestions: [{ error: new NetworkError("GET", "/meetings/85746065/registrants/questions", "connection reset", true) }, { value: form }] });
    await expect(retried(client)).resolves.toBeDefined();
  });

  it.each([
    { read: "getEvent" as const, path: "/meetings/85746065" },
    { read: "getRegistrationQuestions" as const, path: "/meetings/85746065/registrants/questions" },
  ])("ends five 500s in a row on $read in ZoomUnavailableError (exit 5), naming the last failure", async ({ read, path }) => {
    const client = new StubClient({ [read]: { error: zoomError(500, undefined, "Internal Server Error", path) } });
    const error = await rejected(ZoomUnavailableError, () => retried(client));
    expect(error.message).toBe(`Zoom is unreachable or failing: GET ${path} failed: 500 Internal Server Error (after 5 attempts)`);
    expect(client.calls.filter((call) => call === read)).toHaveLength(5);
  });

  it("does not retry an answer about the event: a 404 is read once", async () => {
    const client = new StubClient({ getEvent: { error: zoomError(404, 3001, "Meeting does not exist: 85746065.") } });
    await rejected(ConfigError, () => retried(client));
    expect(client.calls).toEqual(["getEvent"]);
  });
});
