import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { parseLatencySpec, sampleLatencyMs } from "../../../src/fake-zoom/faults.js";
import { FakeZoom } from "../../../src/fake-zoom/fake-zoom.js";
import type { FakeFaults, FakeLatency, FakeResponse } from "../../../src/fake-zoom/types.js";
import { api, bodyOf, fakeWithClock, issueToken, person, request, tokenRequest } from "./helpers.js";

const webinarAdd = `/v2/webinars/${defaultEventIds.webinar}/registrants`;
const webinarKey = `webinar:${defaultEventIds.webinar}`;

function faulty(faults: FakeFaults, seed = 7) {
  const { fake } = fakeWithClock({ faults, seed });
  const token = issueToken(fake);
  const add = (n: number) => fake.handle(api(token, "POST", webinarAdd, person(n)));
  return { fake, add };
}

/** A fixed sequence of uniform draws, for distributions whose shape is the point. */
function draws(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] as number;
}

describe("sampleLatencyMs", () => {
  it.each([
    ["uniform at its lowest draw", { distribution: "uniform", minMs: 10, maxMs: 50 }, [0], 10],
    ["uniform halfway", { distribution: "uniform", minMs: 10, maxMs: 50 }, [0.5], 30],
    ["normal at the mean (cos(pi/2) = 0)", { distribution: "normal", meanMs: 40, stdDevMs: 10 }, [0.5, 0.25], 40],
    ["normal clamped to its floor", { distribution: "normal", meanMs: 40, stdDevMs: 100, minMs: 5 }, [0.99, 0.5], 5],
    ["lognormal at the median", { distribution: "lognormal", medianMs: 20, sigma: 1 }, [0.5, 0.25], 20],
    ["lognormal clamped to its ceiling", { distribution: "lognormal", medianMs: 20, sigma: 3, maxMs: 100 }, [0.999, 0], 100],
  ] as [string, FakeLatency, number[], number][])("draws %s", (_name, latency, uniformDraws, expectedMs) => {
    expect(sampleLatencyMs(latency, draws(...uniformDraws))).toBe(expectedMs);
  });

  it("spreads its draws: not a constant", () => {
    const { fake } = fakeWithClock({ faults: { latency: { distribution: "lognormal", medianMs: 20, sigma: 0.5 } } });
    const token = issueToken(fake);
    const delays = new Set(Array.from({ length: 20 }, () => fake.handle(api(token, "GET", `/v2/meetings/${defaultEventIds.meeting}`)).fault?.delayMs));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe("parseLatencySpec", () => {
  it.each([
    ["5-40", { distribution: "uniform", minMs: 5, maxMs: 40 }],
    ["uniform:5-40", { distribution: "uniform", minMs: 5, maxMs: 40 }],
    ["normal:20,5", { distribution: "normal", meanMs: 20, stdDevMs: 5 }],
    ["lognormal:40,0.5", { distribution: "lognormal", medianMs: 40, sigma: 0.5 }],
  ])("reads %s", (spec, latency) => {
    expect(parseLatencySpec(spec)).toEqual(latency);
  });

  it.each(["20", "fast", "uniform:40-5", "normal:20", "gamma:1,2"])("refuses %s with a one-line ConfigError", (spec) => {
    expect(() => parseLatencySpec(spec)).toThrow(ConfigError);
  });
});

describe("the fault injector", () => {
  it("answers a share of requests 500 without executing them", () => {
    const { fake, add } = faulty({ serverErrorRates: { "500": 1 } });
    const response = add(1);
    expect([response.status, bodyOf(response).code, fake.ledger().events[webinarKey]]).toEqual([500, 500, {}]);
  });

  it("answers a share of requests 503", () => {
    const { add } = faulty({ serverErrorRates: { "503": 1 } });
    expect(add(1).status).toBe(503);
  });

  it("drops a connection before executing: nothing is registered", () => {
    const { fake, add } = faulty({ dropRates: { beforeExecuting: 1 } });
    const response = add(1);
    expect([response.fault, fake.ledger().events[webinarKey]]).toEqual([{ kind: "drop", delayMs: 0 }, {}]);
  });

  it("drops a connection after executing: the add happened and spent one of the day's three", () => {
    const { fake, add } = faulty({ dropRates: { afterExecuting: 1 } });
    const response = add(1);
    expect([response.status, response.fault, fake.ledger().events[webinarKey]?.["person1@example.com"]]).toEqual([
      201,
      { kind: "drop", delayMs: 0 },
      expect.objectContaining({ registered: true, addAttempts: 1 }),
    ]);
  });

  it("holds a slow answer past the client's timeout after executing it", () => {
    const { fake, add } = faulty({ slow: { rate: 1, delayMs: 35_000 } });
    const response = add(1);
    expect([response.status, response.fault, fake.ledger().events[webinarKey]?.["person1@example.com"]?.registered]).toEqual([
      201,
      { kind: "delay", delayMs: 35_000 },
      true,
    ]);
  });

  it("injects roughly the configured share", () => {
    const { add } = faulty({ serverErrorRates: { "503": 0.2 } });
    const failures = Array.from({ length: 1000 }, (_, n) => add(n)).filter((response) => response.status === 503).length;
    expect(failures).toBeGreaterThan(150);
    expect(failures).toBeLessThan(250);
  });

  it("repeats the same faults for the same seed and the same requests", () => {
    const faults: FakeFaults = { serverErrorRates: { "500": 0.2, "503": 0.2 }, dropRates: { beforeExecuting: 0.1, afterExecuting: 0.1 }, latency: { distribution: "uniform", minMs: 1, maxMs: 100 } };
    const outcome = (response: FakeResponse) => `${response.status}/${response.fault?.kind ?? "-"}/${response.fault?.delayMs ?? 0}`;
    const run = (seed: number) => {
      const { add } = faulty(faults, seed);
      return Array.from({ length: 50 }, (_, n) => outcome(add(n)));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it("restarts its stream on reset", () => {
    const { fake, add } = faulty({ serverErrorRates: { "500": 0.5 } });
    const first = Array.from({ length: 20 }, (_, n) => add(n).status);
    fake.reset();
    const token = issueToken(fake);
    const again = Array.from({ length: 20 }, (_, n) => fake.handle(api(token, "POST", webinarAdd, person(n))).status);
    expect(again).toEqual(first);
  });

  it("leaves the token endpoint alone unless told otherwise", () => {
    const plain = fakeWithClock({ faults: { serverErrorRates: { "503": 1 } } }).fake;
    const included = fakeWithClock({ faults: { serverErrorRates: { "503": 1 }, includeTokenEndpoint: true } }).fake;
    expect([plain.handle(tokenRequest()).status, included.handle(tokenRequest()).status]).toEqual([200, 503]);
  });

  it("never touches the fake's own routes", () => {
    const { fake } = faulty({ dropRates: { beforeExecuting: 1 } });
    const answers = [fake.handle(request("GET", "/__fake/ledger")), fake.handle(request("GET", "/__fake/clock"))];
    expect(answers.map((response) => [response.status, response.fault])).toEqual([
      [200, undefined],
      [200, undefined],
    ]);
  });

  it("counts the faults it injected, by kind", () => {
    const { fake, add } = faulty({ dropRates: { afterExecuting: 1 }, latency: { distribution: "uniform", minMs: 5, maxMs: 5 } });
    add(1);
    add(2);
    expect(fake.ledger().totals.faultsInjectedByKind).toEqual({ "drop-after": 2, latency: 2 });
  });

  it("delays every answer by a latency draw when latency is configured", () => {
    const { add } = faulty({ latency: { distribution: "uniform", minMs: 30, maxMs: 30 } });
    expect(add(1).fault).toEqual({ kind: "delay", delayMs: 30 });
  });

  it("does not shift the ids it hands out", () => {
    const plain = faulty({}).add(1);
    const withLatency = faulty({ latency: { distribution: "uniform", minMs: 1, maxMs: 9 } }).add(1);
    expect(bodyOf(withLatency).registrant_id).toBe(bodyOf(plain).registrant_id);
  });

  it("refuses shares that add up to more than 1", () => {
    expect(() => new FakeZoom({ faults: { serverErrorRates: { "500": 0.6 }, dropRates: { beforeExecuting: 0.6 } } })).toThrow(ConfigError);
  });
});
