import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { MovableClock } from "../../../src/fake-zoom/movable-clock.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { api, bodyOf, fakeWithClock, issueToken, person, request, startMs } from "./helpers.js";

const meetingAdd = `/v2/meetings/${defaultEventIds.meeting}/registrants`;
const moveClock = (body: unknown) => request("POST", "/__fake/clock", { body });

describe("MovableClock", () => {
  it("runs ahead of the injected clock by what it was moved", async () => {
    const base = new ManualClock(1000);
    const clock = new MovableClock(base);
    clock.advance(500);
    await base.advance(10);
    expect([clock.now(), clock.aheadMs]).toEqual([1510, 500]);
  });

  it("jumps forward to a given time", () => {
    const clock = new MovableClock(new ManualClock(1000));
    clock.setTo(5000);
    expect(clock.now()).toBe(5000);
  });

  it.each([
    ["a step back", (clock: MovableClock) => clock.advance(-1)],
    ["a time in the past", (clock: MovableClock) => clock.setTo(999)],
    ["a time that is not a time", (clock: MovableClock) => clock.setTo(Number.NaN)],
  ])("refuses %s", (_name, move) => {
    expect(() => move(new MovableClock(new ManualClock(1000)))).toThrow(ConfigError);
  });
});

describe("/__fake/clock", () => {
  it("tells the fake's time", () => {
    const { fake } = fakeWithClock();
    expect(bodyOf(fake.handle(request("GET", "/__fake/clock")))).toEqual({ now: "2029-06-05T12:00:00Z", nowMs: startMs, aheadMs: 0 });
  });

  it("moves forward by advanceMs and answers the new time", () => {
    const { fake } = fakeWithClock();
    expect(bodyOf(fake.handle(moveClock({ advanceMs: 90_000 }))).now).toBe("2029-06-05T12:01:30Z");
  });

  it("moves to setIso, so the registrant's daily adds come back the next day", () => {
    const { fake } = fakeWithClock({ tokenTtlSeconds: 2 * 86_400 });
    const token = issueToken(fake);
    for (let i = 0; i < 3; i += 1) fake.handle(api(token, "POST", meetingAdd, person(1)));
    const refused = fake.handle(api(token, "POST", meetingAdd, person(1))).status;
    fake.handle(moveClock({ setIso: "2029-06-06T00:00:00Z" }));
    expect([refused, fake.handle(api(token, "POST", meetingAdd, person(1))).status]).toEqual([429, 201]);
  });

  it("expires tokens when moved past their lifetime", () => {
    const { fake } = fakeWithClock();
    const token = issueToken(fake);
    fake.handle(moveClock({ advanceMs: 3600_000 }));
    expect(fake.handle(api(token, "GET", `/v2/meetings/${defaultEventIds.meeting}`)).status).toBe(401);
  });

  it.each([
    ["an empty body", ""],
    ["both keys", { advanceMs: 1, setIso: "2030-01-01T00:00:00Z" }],
    ["a negative step", { advanceMs: -5 }],
    ["a time in the past", { setIso: "2020-01-01T00:00:00Z" }],
    ["a time that is not a time", { setIso: "tomorrow" }],
  ])("refuses %s with 400 and leaves the time alone", (_name, body) => {
    const { fake } = fakeWithClock();
    const response = fake.handle(moveClock(body));
    expect([response.status, fake.now()]).toEqual([400, startMs]);
  });

  it("is moved in-process by advanceClock and setClock", () => {
    const { fake } = fakeWithClock();
    fake.advanceClock(1000);
    fake.setClock(startMs + 5000);
    expect(fake.now()).toBe(startMs + 5000);
  });

  it("keeps its time through a reset", () => {
    const { fake } = fakeWithClock();
    fake.advanceClock(60_000);
    fake.handle(request("POST", "/__fake/reset"));
    expect(fake.now()).toBe(startMs + 60_000);
  });

  it("is not counted among the requests", () => {
    const { fake } = fakeWithClock();
    fake.handle(request("GET", "/__fake/clock"));
    fake.handle(moveClock({ advanceMs: 1 }));
    expect(fake.ledger().totals.requestsByRoute).toEqual({});
  });
});
