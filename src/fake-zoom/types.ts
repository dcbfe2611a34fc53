/**
 * The fake Zoom's vocabulary. The core speaks plain objects (`FakeRequest` in, `FakeResponse` out) so
 * the same logic serves a bare node:http server (fast: the default) and msw handlers (for people who
 * already mock with msw); neither adapter holds any Zoom behaviour.
 */
import type { Clock } from "../shared/clock.js";
import type { FakeZoom } from "./fake-zoom.js";

export type EventKind = "meeting" | "webinar";

/**
 * A registrable event. Zoom takes registrants on meeting types 2 (scheduled) and 8 (recurring, fixed
 * time) and webinar types 5 (webinar) and 9 (recurring webinar, fixed time): see the facts page.
 */
export interface FakeZoomEvent {
  kind: EventKind;
  /** A digit string, as Zoom ids are (they outgrow 32 bits; the fake keeps them below 2^53). */
  id: string;
  type: 2 | 8 | 5 | 9;
  topic: string;
  /** Zoom's `settings.approval_type`: 0 approves automatically, 1 waits for the host, 2 means no registration. */
  approvalType: 0 | 1 | 2;
  hostEmail: string;
  /** ISO-8601 UTC, e.g. `2030-01-15T17:00:00Z`. */
  startTime: string;
  /** Registrants (not denied) the event holds; meetings default to Zoom's 4,999, webinars to no limit. */
  capacity?: number;
  /** Recurring events (types 8 and 9) only. Zoom's occurrence ids are the start time in epoch ms. */
  occurrences?: { occurrence_id: string; start_time: string; duration: number }[];
  /** What `GET .../registrants/questions` returns; empty lists when absent. */
  registrationQuestions?: FakeRegistrationQuestions;
}

export interface FakeRegistrationQuestions {
  questions: { field_name: string; required: boolean }[];
  custom_questions: { title: string; type: "short" | "single"; required: boolean; answers?: string[] }[];
}

export interface FakeCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
  apiKey: string;
  apiSecret: string;
}

export interface FakeZoomOptions {
  credentials?: FakeCredentials;
  events?: FakeZoomEvent[];
  clock?: Clock;
  /** Seeds every id, token and tracking id, so two fakes with one seed answer byte for byte alike. */
  seed?: number;
  /** Lifetime of an S2S access token; Zoom's is 3600. */
  tokenTtlSeconds?: number;
  /** Adds of one email to one event per UTC day; Zoom's is 3. */
  registrantDailyAddLimit?: number;
  /** Hooks around every routed request: where rate limits, faults and scenarios plug in. */
  interceptors?: FakeZoomInterceptor[];
}

export interface FakeRequest {
  method: string;
  /** The full URL; the core reads its origin (for `api_url`), path and query. */
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Zoom labels each API by cost and counts its per-second budget per label (facts page, "Rate limits").
 * Routes off the API (the token endpoint, the fake's own routes) carry no label.
 */
export type RateLimitLabel = "Light" | "Medium" | "Heavy";

export type RouteName =
  | "token"
  | "addRegistrant"
  | "listRegistrants"
  | "registrationQuestions"
  | "getEvent"
  | "unknownApi"
  | "ledger"
  | "reset"
  | "notFound";

export interface RouteMatch {
  name: RouteName;
  /** Method and path template, e.g. `POST /v2/meetings/{meetingId}/registrants`: the ledger's key. */
  template: string;
  label: RateLimitLabel | undefined;
  /** Set on event routes. */
  kind?: EventKind;
  eventId?: string;
}

/** What an interceptor sees of one request once it is routed (and, for the API, authenticated). */
export interface FakeExchange {
  readonly request: FakeRequest;
  readonly route: RouteMatch;
  readonly nowMs: number;
  /** Counts a 429 the interceptor answers with, under its kind (`qps`, `daily`, ...). */
  readonly recordRateLimited: (kind: string) => void;
}

/**
 * A hook around the route handlers. A later rate limiter answers 429 from `beforeRoute`; a fault
 * injector replaces answers in `afterRoute`; a scenario does both. `reset` runs on `FakeZoom.reset()`.
 */
export interface FakeZoomInterceptor {
  /** Runs after authentication and before the handler; a response returned here is the answer. */
  beforeRoute?(exchange: FakeExchange): FakeResponse | undefined;
  /** Sees every answer to a routed request and returns it, or another. */
  afterRoute?(exchange: FakeExchange, response: FakeResponse): FakeResponse;
  reset?(): void;
}

/** One email on one event, as the fake saw it. */
export interface FakeLedgerEntry {
  /** Every add that reached the registrant limit check, across all days (429s included). */
  addAttempts: number;
  registered: boolean;
  registrantId?: string;
  /** Present once the registrant is approved. */
  joinUrl?: string;
  status?: "approved" | "pending" | "denied";
}

export interface FakeLedger {
  /** Keyed by `meeting:<id>` / `webinar:<id>`, then by lower-case email. */
  events: Record<string, Record<string, FakeLedgerEntry>>;
  totals: {
    /** Keyed by route template; the fake's own `/__fake` routes are not counted. */
    requestsByRoute: Record<string, number>;
    tokensIssued: number;
    /** 429s answered, by kind: `registrant-daily` here; interceptors add `qps`, `daily`, ... */
    rateLimitedByKind: Record<string, number>;
  };
}

/** What `startFakeZoom` and `startMswFakeZoom` resolve to. */
export interface RunningFakeZoom {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** `url + "/v2"`. */
  apiUrl: string;
  /** `url + "/oauth/token"`. */
  oauthUrl: string;
  fake: FakeZoom;
  close(): Promise<void>;
}

export type StartFakeZoomOptions = FakeZoomOptions & { port?: number; host?: string };
