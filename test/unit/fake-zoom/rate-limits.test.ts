import { describe, expect, it } from "vitest";
import { RollingSecond, DailyCounter, nextUtcMidnightIso } from "../../../src/fake-zoom/counters.js";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { dailyLimitMessage, perSecondLimitMessage, ratePlans } from "../../../src/fake-zoom/rate-limits.js";
import type { FakeApp, FakeRateLimits } from "../../../src/fake-zoom/types.js";
import { api, basicAuth, bodyOf, fakeWithClock, issueToken, person, startMs, tokenRequest } from "./helpers.js";

const meetingPath = `/v2/meetings/${defaultEventIds.meeting}`;
const listPath = `${meetingPath}/registrants`;
const batchPath = `${meetingPath}/batch_registrants`;

function limited(rateLimits: FakeRateLimits | undefined, extra: Parameters<typeof fakeWithClock>[0] = {}) {
  const { fake, clock } = fakeWithClock({ ...(rateLimits === undefined ? {} : { rateLimits }), tokenTtlSeconds: 3 * 86_400, ...extra });
  const token = issueToken(fake);
  const get = (path = meetingPath) => fake.handle(api(token, "GET", path));
  return { fake, clock, token, get };
}

function statuses(count: number, send: () => { status: number }): number[] {
  return Array.from({ length: count }, () => send().status);
}

describe("RollingSecond", () => {
  it("counts what happened within the last 1000 ms, the instant 1000 ms ago excluded", () => {
    const window = new RollingSecond();
    [0, 10, 500, 999].forEach((t) => window.add(t));
    expect([window.count(999), window.count(1000), window.count(1010), window.count(1999)]).toEqual([4, 3, 2, 0]);
  });

  it("keeps counting right after compacting a long queue", () => {
    const window = new RollingSecond();
    for (let t = 0; t < 5000; t += 1) window.add(t);
    expect([window.count(4999), window.count(5500)]).toEqual([1000, 499]);
  });
});

describe("DailyCounter", () => {
  it("starts each key afresh at 00:00 UTC", () => {
    const counter = new DailyCounter(2);
    const beforeMidnight = Date.parse("2029-06-05T23:59:59.999Z");
    counter.spend("a", beforeMidnight, 2);
    expect([counter.allows("a", beforeMidnight), counter.allows("a", beforeMidnight + 1)]).toEqual([false, true]);
  });
});

describe("nextUtcMidnightIso", () => {
  it.each([
    ["2029-06-05T12:00:00Z", "2029-06-06T00:00:00Z"],
    ["2029-06-05T00:00:00Z", "2029-06-06T00:00:00Z"],
    ["2029-12-31T23:59:59.999Z", "2030-01-01T00:00:00Z"],
  ])("gives %s the next midnight %s", (now, midnight) => {
    expect(nextUtcMidnightIso(Date.parse(now))).toBe(midnight);
  });
});

describe("plans", () => {
  it.each([
    ["pro", { Light: 30, Medium: 20, Heavy: 10 }, 30_000],
    ["business", { Light: 80, Medium: 60, Heavy: 40 }, 60_000],
  ] as const)("gives %s Zoom's per-second figures and Heavy daily cap", (plan, perSecond, heavyPerDay) => {
    expect(ratePlans[plan]).toEqual({ perSecond, perDay: { Heavy: heavyPerDay }, headers: true });
  });
});

describe("per-second limits", () => {
  it("answers the 31st Light request within a second on Pro with Zoom's 429, message and headers", () => {
    const { get } = limited(ratePlans.pro);
    expect(statuses(30, get).every((status) => status === 200)).toBe(true);
    const refused = get();
    expect([refused.status, bodyOf(refused), refused.headers]).toEqual([
      429,
      { code: 429, message: perSecondLimitMessage },
      expect.objectContaining({ "x-ratelimit-category": "Light", "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "0" }),
    ]);
  });

  it("lets requests through again once the rolling second has passed", async () => {
    const { get, clock } = limited(ratePlans.pro);
    statuses(30, get);
    await clock.advance(999);
    const stillRefused = get().status;
    await clock.advance(1);
    expect([stillRefused, get().status]).toEqual([429, 200]);
  });

  it("counts each label on its own", () => {
    const { get } = limited(ratePlans.pro);
    statuses(30, get);
    expect([get().status, get(listPath).status]).toEqual([429, 200]);
  });

  it("shares the budget between every app of the account", () => {
    const other: FakeApp = { clientId: "second-app", clientSecret: "second-secret", scopes: ["meeting:read:admin"] };
    const { fake, get } = limited(ratePlans.pro, { apps: [{ clientId: "fake-client-id", clientSecret: "fake-client-secret", scopes: ["meeting:read:admin"] }, other] });
    statuses(30, get);
    const otherToken = bodyOf(fake.handle(tokenRequest(undefined, basicAuth(other.clientId, other.clientSecret)))).access_token as string;
    expect(fake.handle(api(otherToken, "GET", meetingPath)).status).toBe(429);
  });

  it("takes explicit numbers instead of a plan", () => {
    const { get } = limited({ perSecond: { Light: 2 }, perDay: {}, headers: true });
    expect(statuses(3, get)).toEqual([200, 200, 429]);
  });

  it("leaves the headers out when told to, so only the message tells the kind", () => {
    const { get } = limited({ ...ratePlans.pro, headers: false });
    statuses(30, get);
    const refused = get();
    expect([refused.status, Object.keys(refused.headers).filter((name) => name.startsWith("x-ratelimit")), bodyOf(refused).message]).toEqual([
      429,
      [],
      expect.stringContaining("per-second rate limit") as string,
    ]);
  });

  it("tells the remaining budget of the second on a successful answer", () => {
    const { get } = limited(ratePlans.pro);
    get();
    expect(get().headers).toMatchObject({ "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "28" });
  });

  it("counts the 429s it answers in the ledger", () => {
    const { fake, get } = limited(ratePlans.pro);
    statuses(32, get);
    expect(fake.ledger().totals.rateLimitedByKind).toEqual({ qps: 2 });
  });

  it("never limits the token endpoint, which has no label", () => {
    const { fake } = limited({ perSecond: { Light: 1, Medium: 1, Heavy: 1 }, perDay: {}, headers: true });
    expect(statuses(5, () => fake.handle(tokenRequest()))).toEqual([200, 200, 200, 200, 200]);
  });
});

describe("daily limits", () => {
  const heavyTwiceADay: FakeRateLimits = { perSecond: {}, perDay: { Heavy: 2 }, headers: true };
  const batch = (fake: ReturnType<typeof limited>["fake"], token: string, n: number) => fake.handle(api(token, "POST", batchPath, { registrants: [person(n)] }));

  it("answers past the Heavy daily cap with Daily-limit headers and Retry-After at the next 00:00 UTC", () => {
    const { fake, token } = limited(heavyTwiceADay);
    batch(fake, token, 1);
    batch(fake, token, 2);
    const refused = batch(fake, token, 3);
    expect([refused.status, bodyOf(refused).message, refused.headers]).toEqual([
      429,
      dailyLimitMessage,
      expect.objectContaining({ "x-ratelimit-category": "Heavy", "x-ratelimit-type": "Daily-limit", "x-ratelimit-limit": "2", "retry-after": "2029-06-06T00:00:00Z" }),
    ]);
  });

  it("restores the daily budget at 00:00 UTC", async () => {
    const { fake, token, clock } = limited(heavyTwiceADay);
    batch(fake, token, 1);
    batch(fake, token, 2);
    await clock.advance(Date.parse("2029-06-06T00:00:00Z") - startMs);
    expect(batch(fake, token, 3).status).toBe(201);
  });

  it("tells the day's remaining Heavy budget on a successful answer", () => {
    const { fake, token } = limited(ratePlans.pro);
    expect(batch(fake, token, 1).headers).toMatchObject({ "x-ratelimit-type": "Daily-limit", "x-ratelimit-limit": "30000", "x-ratelimit-remaining": "29999" });
  });

  it("counts daily refusals apart from per-second ones", () => {
    const { fake, token } = limited(heavyTwiceADay);
    for (let n = 1; n <= 4; n += 1) batch(fake, token, n);
    expect(fake.ledger().totals.rateLimitedByKind).toEqual({ daily: 2 });
  });
});

describe("the peak rate per label", () => {
  it("is measured without any plan, 429s included, over the busiest rolling second", async () => {
    const { fake, clock, get } = limited(undefined);
    statuses(3, get);
    await clock.advance(600);
    statuses(4, get);
    get(listPath);
    await clock.advance(600);
    statuses(2, get);
    expect(fake.ledger().totals.peakRequestsPerSecondByLabel).toEqual({ Light: 7, Medium: 1 });
  });

  it("counts refused requests too: it is what the client sent", () => {
    const { fake, get } = limited({ perSecond: { Light: 1 }, perDay: {}, headers: true });
    statuses(5, get);
    expect(fake.ledger().totals.peakRequestsPerSecondByLabel).toEqual({ Light: 5 });
  });
});

describe("the peak rate with faults", () => {
  it("counts requests a fault answered", () => {
    const { fake } = fakeWithClock({ faults: { serverErrorRates: { "503": 1 } } });
    const token = issueToken(fake);
    statuses(3, () => fake.handle(api(token, "GET", meetingPath)));
    expect(fake.ledger().totals.peakRequestsPerSecondByLabel).toEqual({ Light: 3 });
  });
});
