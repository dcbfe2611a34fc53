import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exportLines, fakeZoomOptions, listenError } from "../../../src/cli/fake-zoom-serve.js";
import { ConfigError } from "../../../src/errors.js";
import { defaultFakeEvents } from "../../../src/fake-zoom/defaults.js";
import { FakeZoom } from "../../../src/fake-zoom/fake-zoom.js";
import { ratePlans } from "../../../src/fake-zoom/rate-limits.js";
import { parseScenario, parseScenarioText, resolveRateLimits } from "../../../src/fake-zoom/scenario.js";
import { api, basicAuth, bodyOf, fakeWithClock, person, tokenRequest } from "./helpers.js";
import { thrown } from "../../helpers/thrown.js";

const scenariosDir = new URL("../../../fixtures/scenarios/", import.meta.url);
const fullText = readFileSync(new URL("full.json", scenariosDir), "utf8");

const errorOf = (run: () => unknown): string => thrown(ConfigError, run).message;

describe("scenario files", () => {
  it.each(readdirSync(scenariosDir).filter((name) => name.endsWith(".json")))("accepts fixtures/scenarios/%s", (name) => {
    expect(() => parseScenarioText(readFileSync(new URL(name, scenariosDir), "utf8"), name)).not.toThrow();
  });

  it("makes the built-in default out of an empty document", () => {
    const options = parseScenario({}, "empty.json");
    expect([options.events, options.rateLimits, options.faults, options.registrantLimitScope]).toEqual([defaultFakeEvents(), undefined, undefined, "perEvent"]);
  });

  it("reads every key of the full example", () => {
    const options = parseScenarioText(fullText, "full.json");
    expect(options).toMatchObject({
      seed: 20240611,
      invalidatePreviousToken: false,
      registrantLimitScope: "perEvent",
      registrantDailyStatusChangeLimit: 10,
      rateLimits: { perSecond: { Light: 30, Medium: 20, Heavy: 10 }, perDay: { Heavy: 30000 }, headers: true },
      faults: { latency: { distribution: "lognormal", medianMs: 20 }, slow: { rate: 0.001, delayMs: 35000 } },
    });
    expect(options.apps?.map((app) => app.clientId)).toEqual(["fake-client-id", "read-only-app"]);
    expect(options.events?.map((event) => [event.id, event.type, event.over])).toEqual([
      ["85746065", 2, false],
      ["87654321098", 8, false],
      ["81234567890", 5, false],
      ["81111111111", 9, true],
    ]);
  });

  it("numbers an occurrence without an id by its start in epoch ms, as Zoom does", () => {
    const recurring = parseScenarioText(fullText, "full.json").events?.[1];
    expect(recurring?.occurrences?.[1]?.occurrence_id).toBe(String(Date.parse("2030-01-15T16:00:00Z")));
  });

  it("serves what the full example describes", () => {
    const { seed: _seed, faults: _faults, ...options } = parseScenarioText(fullText, "full.json");
    const { fake } = fakeWithClock(options);
    const token = bodyOf(fake.handle(tokenRequest())).access_token as string;
    const readOnly = bodyOf(fake.handle(tokenRequest(undefined, basicAuth("read-only-app", "read-only-secret")))).access_token as string;
    const answers = [
      fake.handle(api(token, "POST", "/v2/meetings/85746065/registrants", person(1, { org: "Acme", custom_questions: [{ title: "Track", value: "Sales" }] }))).status,
      fake.handle(api(token, "POST", "/v2/meetings/85746065/registrants", person(2))).status,
      bodyOf(fake.handle(api(token, "POST", "/v2/webinars/81111111111/registrants", person(3)))).code,
      bodyOf(fake.handle(api(readOnly, "POST", "/v2/webinars/81234567890/registrants", person(4)))).code,
    ];
    expect(answers).toEqual([201, 400, 3038, 4711]);
  });

  it.each([
    ["text that is not JSON", "{", /^scenario s\.json: not JSON/],
    ["an unknown key", '{"sead": 1}', /^scenario s\.json: unknown key "sead"$/],
    ["an event type Zoom does not register", '{"events": [{"kind": "meeting", "id": "1", "type": 3}]}', /^scenario s\.json: events\[0\]\.type: expected one of 2, 8, 5, 9$/],
    ["a meeting of webinar type", '{"events": [{"kind": "meeting", "id": "1", "type": 5}]}', /^scenario s\.json: meeting 1: type 5 is not a registrable meeting type/],
    ["a recurring event without occurrences", '{"events": [{"kind": "webinar", "id": "1", "type": 9}]}', /^scenario s\.json: webinar 1: a recurring event needs occurrences$/],
    ["a single-choice question without answers", '{"events": [{"kind": "webinar", "id": "1", "type": 5, "registrationQuestions": {"custom_questions": [{"title": "T", "type": "single"}]}}]}', /custom_questions\[0\]: a single-choice question needs answers$/],
    ["an unknown plan", '{"rateLimits": {"plan": "enterprise"}}', /rateLimits\.plan: expected one of "pro", "business", "none"$/],
    ["a fault share above 1", '{"faults": {"serverErrorRates": {"500": 2}}}', /faults\.serverErrorRates\.500: /],
    ["an unknown latency distribution", '{"faults": {"latency": {"distribution": "gamma"}}}', /faults\.latency/],
    ["an unknown registrant limit variant", '{"registrantLimits": {"scope": "perAccount"}}', /registrantLimits\.scope: expected one of "perEvent", "acrossEvents"$/],
  ])("refuses %s in one line", (_name, text, message) => {
    const error = errorOf(() => parseScenarioText(text, "s.json"));
    expect(error).toMatch(message);
    expect(error).not.toContain("\n");
  });
});

describe("resolveRateLimits", () => {
  it.each([
    ["pro", {}, ratePlans.pro],
    ["business", {}, ratePlans.business],
    ["none", {}, undefined],
    ["none", { perSecond: { Light: 5 } }, { perSecond: { Light: 5 }, perDay: {}, headers: true }],
    ["pro", { perSecond: { Light: 5 }, headers: false }, { perSecond: { Light: 5, Medium: 20, Heavy: 10 }, perDay: { Heavy: 30_000 }, headers: false }],
  ] as const)("resolves %s with %j", (plan, overrides, limits) => {
    expect(resolveRateLimits(plan, overrides)).toEqual(limits);
  });
});

describe("zoomreg fake-zoom flags over a scenario", () => {
  it("take the scenario as it is without flags", () => {
    expect(fakeZoomOptions({ scenario: "full.json" }, fullText)).toEqual(parseScenarioText(fullText, "full.json"));
  });

  it("let --plan, --seed and --latency win over the scenario", () => {
    const options = fakeZoomOptions({ scenario: "full.json", plan: "business", seed: "9", latency: "uniform:1-2" }, fullText);
    expect([options.rateLimits, options.seed, options.faults?.latency, options.faults?.slow]).toEqual([
      ratePlans.business,
      9,
      { distribution: "uniform", minMs: 1, maxMs: 2 },
      { rate: 0.001, delayMs: 35000 },
    ]);
  });

  it("let --plan none lift the scenario's limits", () => {
    expect(fakeZoomOptions({ scenario: "full.json", plan: "none" }, fullText).rateLimits).toBeUndefined();
  });

  it("split --fail-rate between 500 and 503 and --drop-rate between before and after executing", () => {
    const { faults } = fakeZoomOptions({ failRate: "0.1", dropRate: "0.04" }, undefined);
    expect([faults?.serverErrorRates, faults?.dropRates]).toEqual([
      { "500": 0.05, "503": 0.05 },
      { beforeExecuting: 0.02, afterExecuting: 0.02 },
    ]);
  });

  it.each([
    ["--fail-rate", { failRate: "1.5" }],
    ["--drop-rate", { dropRate: "" }],
    ["--seed", { seed: "-1" }],
    ["--latency", { latency: "fast" }],
  ])("refuse a bad %s in one line", (flag, flags) => {
    expect(errorOf(() => fakeZoomOptions(flags, undefined))).toMatch(new RegExp(`^${flag} `));
  });

  it("print export lines for the scenario's first app, quoted where a shell needs it", () => {
    const fake = new FakeZoom({ apps: [{ clientId: "id", clientSecret: "it's $secret", scopes: [] }] });
    expect(exportLines({ apiUrl: "http://127.0.0.1:1/v2", oauthUrl: "http://127.0.0.1:1/oauth/token", fake })).toEqual([
      "export ZOOM_API_URL=http://127.0.0.1:1/v2",
      "export ZOOM_OAUTH_URL=http://127.0.0.1:1/oauth/token",
      "export ZOOM_ACCOUNT_ID=fake-account",
      "export ZOOM_CLIENT_ID=id",
      `export ZOOM_CLIENT_SECRET='it'\\''s $secret'`,
    ]);
  });
});

describe("zoomreg fake-zoom listen errors", () => {
  const refusal = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

  it("turn a privileged port into a configuration error that names --port 0", () => {
    const error = listenError(refusal("EACCES"), "127.0.0.1", 80);
    expect([error instanceof ConfigError, (error as ConfigError).message, (error as ConfigError).hint]).toEqual([
      true,
      "--port 80: not permitted to listen on 127.0.0.1:80 (EACCES)",
      "ports below 1024 need privileges: choose another (--port 0 picks a free one)",
    ]);
  });

  it("leave any other failure as it came", () => {
    const other = refusal("EMFILE");
    expect(listenError(other, "127.0.0.1", 9090)).toBe(other);
  });
});
