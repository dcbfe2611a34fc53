import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import {
  eventFacts,
  eventNotFoundError,
  eventRefusal,
  isEventNotFound,
  isEventOverAnswer,
  isRegistrationOffAnswer,
  pastScheduledEnd,
  scheduledEndWarning,
} from "../../../src/preflight/event.js";
import type { EventRef } from "../../../src/zoom/client.js";
import { meetingInfo, zoomError } from "./helpers.js";

const MEETING: EventRef = { kind: "meeting", id: "85746065" };
const WEBINAR: EventRef = { kind: "webinar", id: "81234567890" };

describe("eventFacts", () => {
  it("reads the host, the start and the end of a scheduled meeting from Zoom's answer", () => {
    const facts = eventFacts(MEETING, meetingInfo());
    expect(facts).toMatchObject({ type: 2, topic: "Launch", approvalType: 0, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z" });
    expect(facts.scheduledEndMs).toBe(Date.parse("2030-01-15T18:00:00Z"));
  });

  it("ends a recurring event with its last occurrence that is not deleted", () => {
    const occurrences = [
      { occurrence_id: "1", start_time: "2030-01-08T16:00:00Z", duration: 60, status: "available" },
      { occurrence_id: "2", start_time: "2030-01-15T16:00:00Z", duration: 30, status: "available" },
      { occurrence_id: "3", start_time: "2030-01-22T16:00:00Z", duration: 60, status: "deleted" },
    ];
    const facts = eventFacts(MEETING, meetingInfo({ type: 8, raw: { occurrences } }));
    expect(facts.scheduledEndMs).toBe(Date.parse("2030-01-15T16:30:00Z"));
  });

  it("knows no end when Zoom gives no start time (an instant meeting)", () => {
    const info = meetingInfo({ type: 1, raw: { start_time: undefined } });
    expect(eventFacts(MEETING, info).scheduledEndMs).toBeUndefined();
  });

  it("tolerates an answer that is not an object", () => {
    const facts = eventFacts(MEETING, { type: 2, approvalType: undefined, registrationType: undefined, topic: undefined, raw: "odd" });
    expect(facts).toMatchObject({ hostEmail: undefined, startTime: undefined, scheduledEndMs: undefined });
  });
});

describe("eventRefusal", () => {
  it.each([
    { ref: MEETING, type: 2, approvalType: 0 },
    { ref: MEETING, type: 8, approvalType: 1 },
    { ref: WEBINAR, type: 5, approvalType: 0 },
    { ref: WEBINAR, type: 9, approvalType: 1 },
  ])("lets a $ref.kind of type $type with approval type $approvalType through", ({ ref, type, approvalType }) => {
    expect(eventRefusal(eventFacts(ref, meetingInfo({ type, approvalType })))).toBeUndefined();
  });

  it.each([
    { ref: MEETING, type: 1, message: /cannot take registrants: it is of type 1, instant meeting; Zoom takes them only for types 2 \(scheduled meeting\) and 8 \(recurring meeting with fixed time\)$/ },
    { ref: MEETING, type: 3, message: /type 3, recurring meeting with no fixed time;/ },
    { ref: MEETING, type: 4, message: /type 4, personal meeting ID meeting;/ },
    { ref: MEETING, type: 10, message: /type 10, screen share only meeting;/ },
    { ref: WEBINAR, type: 6, message: /type 6, recurring webinar with no fixed time; Zoom takes them only for types 5 \(webinar\) and 9 \(recurring webinar with fixed time\)$/ },
    { ref: MEETING, type: 5, message: /it is of type 5; Zoom takes them only for types 2/ },
  ])("refuses a $ref.kind of type $type, naming the types that take registrants", ({ ref, type, message }) => {
    const refusal = eventRefusal(eventFacts(ref, meetingInfo({ type })));
    expect(refusal).toBeInstanceOf(ConfigError);
    expect(refusal?.message).toMatch(message);
  });

  it("refuses an event whose registration is off, saying how to turn it on", () => {
    const refusal = eventRefusal(eventFacts(WEBINAR, meetingInfo({ type: 5, approvalType: 2, topic: "All hands" })));
    expect(refusal?.message).toBe('webinar 81234567890 "All hands" does not take registrations: registration is off (approval type 2)');
    expect(refusal?.hint).toMatch(/Registration: Required/);
  });

  it("does not hold a missing approval type against the event", () => {
    const facts = eventFacts(MEETING, { ...meetingInfo(), approvalType: undefined });
    expect(eventRefusal(facts)).toBeUndefined();
  });
});

describe("pastScheduledEnd", () => {
  const facts = eventFacts(MEETING, meetingInfo());
  it.each([
    { when: "a second before the end", nowMs: Date.parse("2030-01-15T17:59:59Z"), past: false },
    { when: "at the end", nowMs: Date.parse("2030-01-15T18:00:00Z"), past: true },
    { when: "a year after the end", nowMs: Date.parse("2031-01-15T18:00:00Z"), past: true },
  ])("answers $past $when", ({ nowMs, past }) => {
    expect(pastScheduledEnd(facts, nowMs)).toBe(past);
  });

  it("never says an event without times has ended", () => {
    expect(pastScheduledEnd({ scheduledEndMs: undefined }, Date.parse("2099-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("scheduledEndWarning", () => {
  const started2020 = { start_time: "2020-01-15T17:00:00Z", duration: 90 };
  const now = Date.parse("2030-01-01T00:00:00Z");
  const warning = 'meeting 85746065 "Launch" started at 2020-01-15T17:00:00Z and was scheduled to end at 2020-01-15T18:30:00Z; Zoom refuses registrations once it has ended (code 3038)';
  it.each([
    { what: "a meeting that started in 2020", info: meetingInfo({ raw: started2020 }), nowMs: now, expected: warning },
    { what: "a meeting at its scheduled end", info: meetingInfo({ raw: started2020 }), nowMs: Date.parse("2020-01-15T18:30:00Z"), expected: warning },
    { what: "a meeting a second before its end", info: meetingInfo({ raw: started2020 }), nowMs: Date.parse("2020-01-15T18:29:59Z"), expected: undefined },
    { what: "a meeting ahead", info: meetingInfo(), nowMs: now, expected: undefined },
    {
      what: "a meeting Zoom gave no duration",
      info: meetingInfo({ raw: { start_time: "2020-01-15T17:00:00Z", duration: undefined } }),
      nowMs: now,
      expected: 'meeting 85746065 "Launch" started at 2020-01-15T17:00:00Z and Zoom gave no duration; Zoom refuses registrations once it has ended (code 3038)',
    },
    { what: "an instant meeting without times", info: meetingInfo({ type: 1, raw: { start_time: undefined } }), nowMs: now, expected: undefined },
    { what: "a recurring meeting (its occurrences are --occurrence's business)", info: meetingInfo({ type: 8, raw: started2020 }), nowMs: now, expected: undefined },
  ])("for $what: $expected", ({ info, nowMs, expected }) => {
    expect(scheduledEndWarning(eventFacts(MEETING, info), nowMs)).toBe(expected);
  });

  it("names a webinar as a webinar, and leaves a recurring webinar alone", () => {
    const webinar = { type: 5, approvalType: 0, registrationType: undefined, topic: undefined, raw: { start_time: "2020-01-15T17:00:00Z", duration: 60 } };
    expect(scheduledEndWarning(eventFacts(WEBINAR, webinar), Date.parse("2030-01-01T00:00:00Z"))).toMatch(/^webinar 81234567890 started at 2020-01-15T17:00:00Z and was scheduled to end at 2020-01-15T18:00:00Z; /);
    expect(scheduledEndWarning(eventFacts(WEBINAR, { ...webinar, type: 9 }), Date.parse("2030-01-01T00:00:00Z"))).toBeUndefined();
  });
});

describe("Zoom's answers about the event", () => {
  it.each([
    { what: "404 code 3001", error: zoomError(404, 3001, "Meeting does not exist: 85746065."), notFound: true },
    { what: "a plain 404", error: zoomError(404, undefined, "answered with an HTML page"), notFound: true },
    { what: "404 code 404 (registration not enabled)", error: zoomError(404, 404, "Registration has not been enabled for this meeting."), notFound: false },
    { what: "400 code 300", error: zoomError(400, 300, "Invalid meeting ID."), notFound: false },
  ])("reads $what as 'does not exist': $notFound", ({ error, notFound }) => {
    expect(isEventNotFound(error)).toBe(notFound);
  });

  it.each([
    { what: "the add's code 3000", error: zoomError(400, 3000, "This meeting does not have registration as required: 85746065."), off: true },
    { what: "the questions' code 3000", error: zoomError(400, 3000, "Registration has not been enabled for this webinar: 81234567890."), off: true },
    { what: "the meeting batch add's code 404", error: zoomError(400, 404, "Registration has not been enabled for this meeting: 85746065."), off: true },
    { what: "code 3000 for the attendee limit", error: zoomError(400, 3000, "You have reached the limit for the number of attendees you can add."), off: false },
    { what: "an unknown route's 404 code 404", error: zoomError(404, 404, "Not Found."), off: false },
  ])("reads $what as 'registration is off': $off", ({ error, off }) => {
    expect(isRegistrationOffAnswer(error)).toBe(off);
  });

  it("reads code 3038 as 'the event is over', and capacity (3043) not", () => {
    expect(isEventOverAnswer(zoomError(400, 3038, "Meeting is over, you can not register now."))).toBe(true);
    expect(isEventOverAnswer(zoomError(400, 3043, "Meeting has reached maximum attendee capacity."))).toBe(false);
  });

  it("words 'does not exist' with Zoom's answer and what to check", () => {
    const error = eventNotFoundError(MEETING, zoomError(404, 3001, "Meeting does not exist: 85746065."));
    expect(error.message).toBe("meeting 85746065 does not exist (Zoom: 404 code 3001 Meeting does not exist: 85746065.)");
    expect(error.hint).toMatch(/that it is a meeting and not a webinar/);
  });
});
