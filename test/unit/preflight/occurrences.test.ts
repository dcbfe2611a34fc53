import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { eventFacts, type EventFacts } from "../../../src/preflight/event.js";
import { listOccurrences, occurrenceDate, occurrenceRefusal } from "../../../src/preflight/occurrences.js";
import { preflight } from "../../../src/preflight/preflight.js";
import { ManualClock } from "../../../src/shared/clock.js";
import type { EventRef } from "../../../src/zoom/client.js";
import { rejected } from "../../helpers/thrown.js";
import { StubClient, meetingInfo } from "./helpers.js";

const MEETING: EventRef = { kind: "meeting", id: "85746065" };
const first = { occurrence_id: "1893513600000", start_time: "2030-01-08T16:00:00Z", duration: 60, status: "available" };
const second = { occurrence_id: "1894118400000", start_time: "2030-01-15T16:00:00Z", duration: 60, status: "available" };
const recurring = meetingInfo({ type: 8, topic: "Office hours", raw: { occurrences: [first, second, { ...second, occurrence_id: "1894723200000", status: "deleted" }] } });

describe("eventFacts: occurrences", () => {
  it.each<{ what: string; raw: Record<string, unknown>; ids: string[] }>([
    { what: "a one-time meeting has none", raw: {}, ids: [] },
    { what: "deleted ones are left out", raw: recurring.raw as Record<string, unknown>, ids: ["1893513600000", "1894118400000"] },
    { what: "a numeric id is read as digits", raw: { occurrences: [{ occurrence_id: 1893513600000, start_time: "2030-01-08T16:00:00Z" }] }, ids: ["1893513600000"] },
    { what: "an entry without an id is skipped", raw: { occurrences: [{ start_time: "2030-01-08T16:00:00Z" }, "junk"] }, ids: [] },
  ])("$what", ({ raw, ids }) => {
    const facts = eventFacts(MEETING, meetingInfo({ raw }));
    expect(facts.occurrences.map((occurrence) => occurrence.id)).toEqual(ids);
  });

  it("keeps each occurrence's start and duration", () => {
    expect(eventFacts(MEETING, recurring).occurrences[0]).toEqual({ id: "1893513600000", startTime: "2030-01-08T16:00:00Z", durationMinutes: 60 });
  });
});

describe("occurrenceRefusal", () => {
  const recurringFacts = eventFacts(MEETING, recurring);
  const oneTime = eventFacts(MEETING, meetingInfo({ topic: "Launch" }));

  it.each<{ what: string; facts: EventFacts; ids: string[] }>([
    { what: "no --occurrence on a one-time meeting", facts: oneTime, ids: [] },
    { what: "no --occurrence on a recurring meeting", facts: recurringFacts, ids: [] },
    { what: "ids the meeting has", facts: recurringFacts, ids: ["1894118400000", "1893513600000"] },
    { what: "a recurring meeting that lists no occurrences (it cannot be checked)", facts: eventFacts(MEETING, meetingInfo({ type: 8 })), ids: ["1"] },
  ])("accepts $what", ({ facts, ids }) => {
    expect(occurrenceRefusal(facts, ids)).toBeUndefined();
  });

  it.each<{ what: string; facts: EventFacts; ids: string[]; message: string; hint: RegExp }>([
    {
      what: "an id the meeting does not have, listing its occurrences with their dates",
      facts: recurringFacts,
      ids: ["1893513600000", "123"],
      message: '--occurrence 1893513600000,123: meeting 85746065 "Office hours" has no occurrence 123; its occurrences are 1893513600000 (2030-01-08 16:00 UTC), 1894118400000 (2030-01-15 16:00 UTC)',
      hint: /^pass some of these ids/,
    },
    {
      what: "a deleted occurrence",
      facts: recurringFacts,
      ids: ["1894723200000"],
      message: '--occurrence 1894723200000: meeting 85746065 "Office hours" has no occurrence 1894723200000; its occurrences are 1893513600000 (2030-01-08 16:00 UTC), 1894118400000 (2030-01-15 16:00 UTC)',
      hint: /or leave out --occurrence$/,
    },
    {
      what: "--occurrence on a meeting that has none",
      facts: oneTime,
      ids: ["1893513600000"],
      message: '--occurrence 1893513600000: meeting 85746065 "Launch" has no occurrences: it is a scheduled meeting (type 2), not a recurring one',
      hint: /^leave out --occurrence: a registrant of a one-time meeting is registered for the meeting itself$/,
    },
  ])("refuses $what", ({ facts, ids, message, hint }) => {
    const error = occurrenceRefusal(facts, ids);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(message);
    expect(error?.hint).toMatch(hint);
  });
});

describe("listOccurrences and occurrenceDate", () => {
  it("lists ten and counts the rest", () => {
    const daily = Array.from({ length: 12 }, (_, day) => ({ id: String(day), startTime: `2030-01-${String(day + 1).padStart(2, "0")}T09:30:00Z`, durationMinutes: 30 }));
    expect(listOccurrences(daily)).toBe(`${daily.slice(0, 10).map((o, day) => `${o.id} (2030-01-${String(day + 1).padStart(2, "0")} 09:30 UTC)`).join(", ")} and 2 more`);
  });

  it.each([
    { startTime: "2030-01-08T16:00:00Z", shown: "2030-01-08 16:00 UTC" },
    { startTime: "2030-01-08T17:00:00+01:00", shown: "2030-01-08 16:00 UTC" },
    { startTime: "next week", shown: "next week" },
    { startTime: undefined, shown: "no start time" },
  ])("shows $startTime as $shown", ({ startTime, shown }) => {
    expect(occurrenceDate({ startTime })).toBe(shown);
  });
});

describe("preflight with --occurrence", () => {
  const clock = new ManualClock(Date.parse("2030-01-01T00:00:00Z"));
  it("refuses wrong ids after reading the event, before its form", async () => {
    const client = new StubClient({ getEvent: { value: recurring } });
    const error = await rejected(ConfigError, () => preflight(client, MEETING, { clock, random: () => 0.5, occurrenceIds: ["42"] }));
    expect(error.message).toMatch(/has no occurrence 42; its occurrences are 1893513600000 \(2030-01-08 16:00 UTC\)/);
    expect(client.calls).toEqual(["getEvent"]);
  });

  it("goes on with ids the event has", async () => {
    const client = new StubClient({ getEvent: { value: recurring } });
    const result = await preflight(client, MEETING, { clock, random: () => 0.5, occurrenceIds: ["1894118400000"] });
    expect(result.event.occurrences).toHaveLength(2);
    expect(client.calls).toEqual(["getEvent", "getRegistrationQuestions"]);
  });
});
