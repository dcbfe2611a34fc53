/**
 * Scenario files: a whole fake Zoom in one JSON document (events, apps and their scopes, rate limits,
 * faults, seed, token and registrant-limit switches), validated with zod into `FakeZoomOptions`.
 * Every key is documented in docs/fake-zoom.md; fixtures/scenarios/ holds complete examples. Every
 * key is optional: an empty document `{}` is the built-in default. A broken file is refused with one
 * line naming the file, the key and what was expected.
 */
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { defaultFakeCredentials, defaultFakeEvents, defaultRegistrantDailyAddLimit, defaultTokenTtlSeconds } from "./defaults.js";
import { FakeZoom } from "./fake-zoom.js";
import { ratePlans } from "./rate-limits.js";
import { allGrantedScopes } from "./scopes.js";
import type { FakeFaults, FakeLatency, FakeRateLimits, FakeRegistrationQuestions, FakeZoomEvent, FakeZoomOptions, RateLimitLabel } from "./types.js";

const share = z.number().min(0).max(1);
const nonNegativeMs = z.number().min(0);
const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "expected an ISO-8601 time such as 2030-01-15T17:00:00Z");
const digits = z.union([z.string().regex(/^\d{1,16}$/, "expected digits"), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform(String);

/** The standard fields a form may ask for: the enum of `questions[].field_name` in the OpenAPI doc. */
const standardFields = [
  "last_name",
  "address",
  "city",
  "country",
  "zip",
  "state",
  "phone",
  "industry",
  "org",
  "job_title",
  "purchasing_time_frame",
  "role_in_purchase_process",
  "no_of_employees",
  "comments",
] as const;

const registrationQuestionsSchema = z.strictObject({
  questions: z.array(z.strictObject({ field_name: z.enum(standardFields), required: z.boolean().default(false) })).default([]),
  custom_questions: z
    .array(
      z
        .strictObject({
          title: z.string().min(1),
          type: z.enum(["short", "single"]),
          required: z.boolean().default(false),
          answers: z.array(z.string()).optional(),
        })
        .refine((question) => question.type === "short" || (question.answers ?? []).length > 0, "a single-choice question needs answers"),
    )
    .default([]),
});

const eventSchema = z.strictObject({
  kind: z.enum(["meeting", "webinar"]),
  id: digits,
  type: z.literal([2, 8, 5, 9]),
  topic: z.string().default("fake Zoom event"),
  approvalType: z.literal([0, 1, 2]).default(0),
  registrationType: z.literal([1, 2, 3]).optional(),
  hostEmail: z.email().default("host@example.com"),
  startTime: isoTime.default("2030-01-15T17:00:00Z"),
  capacity: z.number().int().nonnegative().optional(),
  over: z.boolean().default(false),
  occurrences: z
    .array(z.strictObject({ occurrence_id: digits.optional(), start_time: isoTime, duration: z.number().int().positive().default(60) }))
    .optional(),
  registrationQuestions: registrationQuestionsSchema.optional(),
});

const latencySchema = z
  .discriminatedUnion("distribution", [
    z.strictObject({ distribution: z.literal("uniform"), minMs: nonNegativeMs, maxMs: nonNegativeMs }),
    z.strictObject({ distribution: z.literal("normal"), meanMs: nonNegativeMs, stdDevMs: nonNegativeMs, minMs: nonNegativeMs.optional(), maxMs: nonNegativeMs.optional() }),
    z.strictObject({ distribution: z.literal("lognormal"), medianMs: z.number().positive(), sigma: nonNegativeMs, minMs: nonNegativeMs.optional(), maxMs: nonNegativeMs.optional() }),
  ])
  .refine((latency) => latency.minMs === undefined || latency.maxMs === undefined || latency.minMs <= latency.maxMs, "minMs is above maxMs");

const faultsSchema = z.strictObject({
  latency: latencySchema.optional(),
  serverErrorRates: z.strictObject({ "500": share.optional(), "503": share.optional() }).optional(),
  dropRates: z.strictObject({ beforeExecuting: share.optional(), afterExecuting: share.optional() }).optional(),
  slow: z.strictObject({ rate: share, delayMs: nonNegativeMs }).optional(),
  includeTokenEndpoint: z.boolean().optional(),
});

const perLabel = z.strictObject({ Light: z.number().int().positive().optional(), Medium: z.number().int().positive().optional(), Heavy: z.number().int().positive().optional() });

const scenarioSchema = z.strictObject({
  /** Free text for the reader of the file. */
  description: z.string().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  account: z.strictObject({ id: z.string().min(1).optional(), apiKey: z.string().min(1).optional(), apiSecret: z.string().min(1).optional() }).optional(),
  apps: z
    .array(z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1), scopes: z.array(z.string().min(1)).optional() }))
    .min(1)
    .optional(),
  tokens: z.strictObject({ ttlSeconds: z.number().positive().optional(), invalidatePreviousToken: z.boolean().optional() }).optional(),
  rateLimits: z
    .strictObject({
      plan: z.enum(["pro", "business", "none"]).default("none"),
      perSecond: perLabel.optional(),
      perDay: perLabel.optional(),
      headers: z.boolean().default(true),
    })
    .optional(),
  registrantLimits: z
    .strictObject({
      addsPerDay: z.number().int().positive().optional(),
      scope: z.enum(["perEvent", "acrossEvents"]).optional(),
      statusChangesPerDay: z.number().int().positive().optional(),
    })
    .optional(),
  /** How Zoom treats people who were cancelled or denied (unconfirmed: docs/zoom-facts.md, "Bringing people back"). */
  removedRegistrants: z
    .strictObject({ cancelledListing: z.enum(["denied", "unlisted"]).optional(), reapproval: z.enum(["approves", "ignores", "refuses"]).optional() })
    .optional(),
  faults: faultsSchema.optional(),
  events: z.array(eventSchema).min(1).optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type RatePlanChoice = "pro" | "business" | "none";

/** What a scenario makes: the fake's options, without the clock and interceptors only code can give. */
export type ScenarioOptions = Omit<FakeZoomOptions, "clock" | "interceptors">;

/** Parses and checks a scenario document's text; `source` names it in errors (a path, or "built-in"). */
export function parseScenarioText(text: string, source: string): ScenarioOptions {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`scenario ${source}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseScenario(json, source);
}

/** Checks a parsed scenario document and turns it into the fake's options. */
export function parseScenario(document: unknown, source: string): ScenarioOptions {
  const result = scenarioSchema.safeParse(document);
  if (!result.success) throw new ConfigError(`scenario ${source}: ${describeIssue(result.error.issues[0])}`, { hint: "see docs/fake-zoom.md" });
  const options = scenarioOptions(result.data);
  // The cross-field rules (a meeting of webinar type, a recurring event without occurrences, two
  // events with one id) live in the fake itself; building one surfaces them with the file's name.
  try {
    new FakeZoom(options);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`scenario ${source}: ${error.message.replace(/^fake Zoom /, "")}`);
    throw error;
  }
  return options;
}

/** A plan by name, or explicit figures over it; `none` limits nothing but what is explicit. */
export function resolveRateLimits(plan: RatePlanChoice, overrides: { perSecond?: Partial<Record<RateLimitLabel, number>>; perDay?: Partial<Record<RateLimitLabel, number>>; headers?: boolean } = {}): FakeRateLimits | undefined {
  const base = plan === "none" ? { perSecond: {}, perDay: {}, headers: true } : ratePlans[plan];
  const limits: FakeRateLimits = {
    perSecond: { ...base.perSecond, ...overrides.perSecond },
    perDay: { ...base.perDay, ...overrides.perDay },
    headers: overrides.headers ?? base.headers,
  };
  const limitsSomething = Object.keys(limits.perSecond).length > 0 || Object.keys(limits.perDay).length > 0;
  return limitsSomething ? limits : undefined;
}

function scenarioOptions(scenario: Scenario): ScenarioOptions {
  const account = scenario.account ?? {};
  const credentials = {
    accountId: account.id ?? defaultFakeCredentials.accountId,
    clientId: scenario.apps?.[0]?.clientId ?? defaultFakeCredentials.clientId,
    clientSecret: scenario.apps?.[0]?.clientSecret ?? defaultFakeCredentials.clientSecret,
    apiKey: account.apiKey ?? defaultFakeCredentials.apiKey,
    apiSecret: account.apiSecret ?? defaultFakeCredentials.apiSecret,
  };
  const options: ScenarioOptions = {
    credentials,
    events: scenario.events === undefined ? defaultFakeEvents() : scenario.events.map(eventOptions),
    tokenTtlSeconds: scenario.tokens?.ttlSeconds ?? defaultTokenTtlSeconds,
    invalidatePreviousToken: scenario.tokens?.invalidatePreviousToken ?? false,
    registrantDailyAddLimit: scenario.registrantLimits?.addsPerDay ?? defaultRegistrantDailyAddLimit,
    registrantLimitScope: scenario.registrantLimits?.scope ?? "perEvent",
  };
  if (scenario.apps !== undefined) {
    options.apps = scenario.apps.map((app) => ({ clientId: app.clientId, clientSecret: app.clientSecret, scopes: app.scopes ?? allGrantedScopes() }));
  }
  if (scenario.seed !== undefined) options.seed = scenario.seed;
  if (scenario.registrantLimits?.statusChangesPerDay !== undefined) options.registrantDailyStatusChangeLimit = scenario.registrantLimits.statusChangesPerDay;
  if (scenario.rateLimits !== undefined) {
    const { plan, perSecond, perDay, headers } = scenario.rateLimits;
    const limits = resolveRateLimits(plan, { ...(perSecond === undefined ? {} : { perSecond: definedOnly(perSecond) }), ...(perDay === undefined ? {} : { perDay: definedOnly(perDay) }), headers });
    if (limits !== undefined) options.rateLimits = limits;
  }
  if (scenario.faults !== undefined) options.faults = faultOptions(scenario.faults);
  const removed = scenario.removedRegistrants;
  if (removed?.cancelledListing !== undefined) options.cancelledListing = removed.cancelledListing;
  if (removed?.reapproval !== undefined) options.reapproval = removed.reapproval;
  return options;
}

function eventOptions(event: Scenario["events"] extends (infer E)[] | undefined ? E : never): FakeZoomEvent {
  const result: FakeZoomEvent = {
    kind: event.kind,
    id: event.id,
    type: event.type,
    topic: event.topic,
    approvalType: event.approvalType,
    hostEmail: event.hostEmail,
    startTime: event.startTime,
    over: event.over,
  };
  if (event.registrationType !== undefined) result.registrationType = event.registrationType;
  if (event.capacity !== undefined) result.capacity = event.capacity;
  if (event.occurrences !== undefined) {
    // Zoom's occurrence ids are the occurrence's start in epoch milliseconds.
    result.occurrences = event.occurrences.map((occurrence) => ({
      occurrence_id: occurrence.occurrence_id ?? String(Date.parse(occurrence.start_time)),
      start_time: occurrence.start_time,
      duration: occurrence.duration,
    }));
  }
  if (event.registrationQuestions !== undefined) {
    const form: FakeRegistrationQuestions = {
      questions: event.registrationQuestions.questions,
      custom_questions: event.registrationQuestions.custom_questions.map((question) =>
        question.answers === undefined ? { title: question.title, type: question.type, required: question.required } : { ...question, answers: question.answers },
      ),
    };
    result.registrationQuestions = form;
  }
  return result;
}

function faultOptions(faults: NonNullable<Scenario["faults"]>): FakeFaults {
  const result: FakeFaults = {};
  if (faults.latency !== undefined) result.latency = definedOnly<FakeLatency>(faults.latency as FakeLatency);
  if (faults.serverErrorRates !== undefined) result.serverErrorRates = definedOnly(faults.serverErrorRates);
  if (faults.dropRates !== undefined) result.dropRates = definedOnly(faults.dropRates);
  if (faults.slow !== undefined) result.slow = faults.slow;
  if (faults.includeTokenEndpoint !== undefined) result.includeTokenEndpoint = faults.includeTokenEndpoint;
  return result;
}

/** zod's optional keys may hold `undefined`; the options' may not (exactOptionalPropertyTypes). */
function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** One line: where (`events[1].type`) and what was expected. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return "invalid";
  const where = issue.path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text === "" ? String(key) : `${text}.${String(key)}`), "");
  let what = issue.message;
  if (issue.code === "unrecognized_keys") what = `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
  else if (issue.code === "invalid_value") what = `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
  else if (issue.code === "invalid_union" && issue.errors.length > 0) what = "not one of the accepted shapes";
  return where === "" ? what : `${where}: ${what}`;
}
