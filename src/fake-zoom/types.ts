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
 * time) and webinar types 5 (webinar) and 9 (recurring webinar, fixed time): see docs/zoom-facts.md.
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
  /**
   * What `GET .../registrants/questions` returns, in Zoom's own shape (paste Zoom's answer here); empty
   * lists when absent. Adds are checked against it: a required standard field left out, a required
   * custom question unanswered or a custom question title the event lacks is a 400 code 300.
   */
  registrationQuestions?: FakeRegistrationQuestions;
  /**
   * Zoom's `settings.registration_type` for recurring events: 1 register once for all occurrences
   * (the default), 2 register for each occurrence, 3 register once and choose occurrences. Reported by
   * `GET` only: the fake does not enforce it.
   */
  registrationType?: 1 | 2 | 3;
  /** The event has ended: adds answer 400 code 3038 (OpenAPI doc, batch and webinar add errors). */
  over?: boolean;
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

/**
 * A Server-to-Server OAuth app on the fake account: its client credentials and the scopes it was
 * granted. A call whose operation needs a scope the app's token lacks gets 400 code 4711.
 */
export interface FakeApp {
  clientId: string;
  clientSecret: string;
  /**
   * Granular (`meeting:write:registrant:admin`) or classic (`meeting:write:admin`) scopes: an
   * operation accepts any of the scopes listed under its `x-granular-scopes` or `x-macro-scopes`.
   */
  scopes: readonly string[];
}

/** Per-second budgets (per account, per label) and daily budgets (per account, per label, per UTC day). */
export interface FakeRateLimits {
  /** Requests per rolling second; a label left out is not limited. */
  perSecond: Partial<Record<RateLimitLabel, number>>;
  /** Requests per UTC day; a label left out has no daily cap. */
  perDay: Partial<Record<RateLimitLabel, number>>;
  /**
   * Send `X-RateLimit-*` (and `Retry-After` on daily limits). False mimics the answers where Zoom
   * leaves them out, so only the message tells a per-second limit from a daily one (docs/zoom-facts.md).
   */
  headers: boolean;
}

/** A latency distribution, drawn per request from the seeded stream; every draw is clamped to [minMs, maxMs]. */
export type FakeLatency =
  | { distribution: "uniform"; minMs: number; maxMs: number }
  | { distribution: "normal"; meanMs: number; stdDevMs: number; minMs?: number; maxMs?: number }
  | { distribution: "lognormal"; medianMs: number; sigma: number; minMs?: number; maxMs?: number };

/** Faults, drawn per request from a stream seeded by the fake's seed, so a run repeats exactly. */
export interface FakeFaults {
  latency?: FakeLatency;
  /** Shares (0..1) of requests answered 500 or 503 instead of being executed. */
  serverErrorRates?: { "500"?: number; "503"?: number };
  /**
   * Shares of connections destroyed without an answer: `beforeExecuting` (nothing happened) and
   * `afterExecuting` (the add happened, then the answer was lost): a client cannot tell which.
   */
  dropRates?: { beforeExecuting?: number; afterExecuting?: number };
  /** A share of requests executed, then answered only after `delayMs`: past a client's timeout. */
  slow?: { rate: number; delayMs: number };
  /** Faults hit /v2 only, unless this is set; the fake's own /__fake routes never see any. */
  includeTokenEndpoint?: boolean;
}

/**
 * Which adds count toward a registrant's daily limit: the same email on the same event (`perEvent`,
 * what Zoom documents) or on any event of the account (`acrossEvents`, reported, unconfirmed).
 */
export type RegistrantLimitScope = "perEvent" | "acrossEvents";

/** See {@link FakeZoomOptions.cancelledListing}. */
export type CancelledListing = "denied" | "unlisted";

/** See {@link FakeZoomOptions.reapproval}. */
export type Reapproval = "approves" | "ignores" | "refuses";

/** What a host does to one registrant by hand in Zoom's web portal (`FakeZoom.hostChangesRegistrant`). */
export type HostAction = "approve" | "deny" | "cancel" | "delete";

export interface FakeZoomOptions {
  credentials?: FakeCredentials;
  /** The account's S2S apps; by default one app with `credentials`' client id and secret and every scope. */
  apps?: FakeApp[];
  events?: FakeZoomEvent[];
  clock?: Clock;
  /** Seeds every id, token and tracking id, so two fakes with one seed answer byte for byte alike. */
  seed?: number;
  /** Lifetime of an S2S access token; Zoom's is 3600. */
  tokenTtlSeconds?: number;
  /**
   * A new token for an app invalidates that app's previous one, as Zoom did until 2023 (docs/zoom-facts.md:
   * "Historically a new token could invalidate the previous one"). Off by default, as Zoom is today.
   */
  invalidatePreviousToken?: boolean;
  /** Adds of one email to one event per UTC day; Zoom's is 3. */
  registrantDailyAddLimit?: number;
  /** `perEvent` (default) or `acrossEvents`. */
  registrantLimitScope?: RegistrantLimitScope;
  /** Status changes of one registrant per UTC day; Zoom's is 10 (docs/zoom-facts.md, "Rate limits"). */
  registrantDailyStatusChangeLimit?: number;
  /**
   * Where a cancelled registration shows (unconfirmed: docs/zoom-facts.md, "Bringing people back"):
   * in the `denied` list (the default), or in no list at all (`unlisted`; a GET of its id still finds
   * it, as denied: the document's status enum has no "cancelled").
   */
  cancelledListing?: CancelledListing;
  /**
   * What `approve` does to a denied or cancelled registrant (unconfirmed, same section): `approves`
   * (the default), `ignores` (204, nothing changes) or `refuses` (400 code 300).
   */
  reapproval?: Reapproval;
  /** The account's API budgets; none by default (every request passes, peaks are still measured). */
  rateLimits?: FakeRateLimits;
  faults?: FakeFaults;
  /**
   * Hooks around every routed request, run after the scripted faults and the built-in fault injector
   * and rate limiter (which `faults` and `rateLimits` configure) and before the route's handler.
   */
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
  /**
   * How the adapter must deliver this answer, when not at once: after `delayMs` of real time, or not
   * at all (`drop`: destroy the connection after `delayMs`). The core cannot sleep or close sockets; the
   * adapters can. In-process callers of `handle` read it to see what a client would have seen.
   */
  fault?: FakeDelivery;
}

export type FakeDelivery = { kind: "delay"; delayMs: number } | { kind: "drop"; delayMs: number };

/**
 * Zoom labels each API by cost and counts its per-second budget per label (docs/zoom-facts.md, "Rate limits").
 * Routes off the API (the token endpoint, the fake's own routes) carry no label.
 */
export type RateLimitLabel = "Light" | "Medium" | "Heavy";

export type RouteName =
  | "token"
  | "addRegistrant"
  | "batchAddRegistrants"
  | "listRegistrants"
  | "updateRegistrantStatus"
  | "registrationQuestions"
  | "getEvent"
  | "getRegistrant"
  | "deleteRegistrant"
  | "unknownApi"
  | "ledger"
  | "reset"
  | "getClock"
  | "setClock"
  | "getFaults"
  | "scriptFaults"
  | "updateEvent"
  | "notFound";

/** The operations a fault script can target: the token endpoint and every /v2 route the fake serves. */
export type ScriptableRoute = Extract<
  RouteName,
  "token" | "getEvent" | "registrationQuestions" | "listRegistrants" | "addRegistrant" | "batchAddRegistrants" | "updateRegistrantStatus" | "getRegistrant" | "deleteRegistrant"
>;

/**
 * What a scripted request gets: `500` (Zoom's error body, not executed), `qps-429` (the rate limiter's
 * per-second 429, not executed), `drop-before` (no answer, not executed), `drop-after` (executed, no answer).
 */
export type ScriptedAnswer = "500" | "qps-429" | "drop-before" | "drop-after";

/** "The next `count` requests of `route` get `answer`": what `FakeZoom.scriptFaults` and `POST /__fake/faults` take. */
export interface FaultScript {
  route: ScriptableRoute;
  count: number;
  answer: ScriptedAnswer;
}

/** A host's change to an event while the fake runs (`FakeZoom.updateEvent`, `POST /__fake/events/{kind}/{id}`). */
export interface FakeEventChange {
  /** 2 turns registration off: the next add gets 400 code 3000. */
  approvalType?: 0 | 1 | 2;
  /** Registrants (not denied) the event holds from now on; at or below the count held, the next add is refused. */
  capacity?: number;
  /** True: the event has ended, adds get 400 code 3038. */
  over?: boolean;
}

export interface RouteMatch {
  name: RouteName;
  /** Method and path template, e.g. `POST /v2/meetings/{meetingId}/registrants`: the ledger's key. */
  template: string;
  label: RateLimitLabel | undefined;
  /** Set on event routes and on `POST /__fake/events/{kind}/{id}`. */
  kind?: EventKind;
  eventId?: string;
  /** Set on event routes: the operation in Zoom's OpenAPI document (its scopes, its schemas). */
  operationId?: string;
  /** Set on `GET .../registrants/{registrantId}`, decoded from the path. */
  registrantId?: string;
}

/** What an interceptor sees of one request once it is routed (and, for the API, authenticated). */
export interface FakeExchange {
  readonly request: FakeRequest;
  readonly route: RouteMatch;
  readonly nowMs: number;
  /** Counts a 429 the interceptor answers with, under its kind (`qps`, `daily`, ...). */
  readonly recordRateLimited: (kind: string) => void;
  /** Counts a fault the interceptor injected, under its kind (`500`, `drop-after`, ...). */
  readonly recordFault: (kind: string) => void;
}

/**
 * A hook around the route handlers. The built-in rate limiter answers 429 from `beforeRoute`; the
 * fault injector answers 5xx there and marks answers to delay or drop in `afterRoute`. `afterRoute`
 * hooks run in the opposite order of `beforeRoute` hooks. `reset` runs on `FakeZoom.reset()`.
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
  /** `cancelled`: cancelled after approval, listed as `denied` or not at all (`cancelledListing`). */
  status?: "approved" | "pending" | "denied" | "cancelled";
}

export interface FakeLedger {
  /** Keyed by `meeting:<id>` / `webinar:<id>`, then by lower-case email. */
  events: Record<string, Record<string, FakeLedgerEntry>>;
  totals: {
    /** Keyed by route template; the fake's own `/__fake` routes are not counted. */
    requestsByRoute: Record<string, number>;
    tokensIssued: number;
    /** 429s answered, by kind: `qps`, `daily` (the account's), `registrant-daily`, `status-daily`. */
    rateLimitedByKind: Record<string, number>;
    /**
     * Faults injected, by kind: `latency`, `500`, `503`, `drop-before`, `drop-after`, `slow`, and the
     * scripted ones as `scripted-<answer>` (`scripted-500`, `scripted-qps-429`, ...).
     */
    faultsInjectedByKind: Record<string, number>;
    /**
     * The most authenticated requests of each label received within any rolling second (429s
     * included): what a client's rate gate actually sent, whether or not a plan limits it.
     */
    peakRequestsPerSecondByLabel: Partial<Record<RateLimitLabel, number>>;
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
  /**
   * The variables that point zoomreg at this fake with its credentials (its first app's, Server-to-Server
   * OAuth): `push({ meeting, records, env: zoom.env })`, or a child process's environment.
   */
  env: FakeZoomEnv;
  close(): Promise<void>;
}

/** A type, not an interface, so that it is assignable to an environment record (`Record<string, string | undefined>`). */
export type FakeZoomEnv = {
  readonly ZOOM_API_URL: string;
  readonly ZOOM_OAUTH_URL: string;
  readonly ZOOM_ACCOUNT_ID: string;
  readonly ZOOM_CLIENT_ID: string;
  readonly ZOOM_CLIENT_SECRET: string;
};

export type StartFakeZoomOptions = FakeZoomOptions & { port?: number; host?: string };
