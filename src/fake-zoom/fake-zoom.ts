/**
 * The fake Zoom's core: `handle(request) -> response`, synchronous, no HTTP framework. Adapters
 * (node-server.ts, msw.ts) only translate to and from it, so both answer alike and the plain one stays
 * fast. Behaviour follows /work/shared/zoom-api/README.md (the facts page) and Zoom's OpenAPI doc.
 *
 * One request goes: route -> (API) bearer auth -> interceptors' `beforeRoute` -> the route's handler
 * -> interceptors' `afterRoute` -> tracking id. Rate limits, faults and scenarios are interceptors.
 */
import { ConfigError } from "../errors.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { AccessTokenStore, JwtVerifier, basicCredentials, bearerToken } from "./auth.js";
import {
  defaultFakeCredentials,
  defaultFakeEvents,
  defaultRegistrantDailyAddLimit,
  defaultTokenTtlSeconds,
  meetingRegistrantCapacity,
} from "./defaults.js";
import { EventRegistrants, isRecurring } from "./event-registrants.js";
import { IdSource } from "./random.js";
import {
  apiRouteNotFound,
  eventNotFound,
  invalidAccessToken,
  invalidEventId,
  jsonResponse,
  oauthError,
  zoomError,
} from "./responses.js";
import { matchRoute } from "./routes.js";
import type {
  FakeCredentials,
  FakeExchange,
  FakeLedger,
  FakeRequest,
  FakeResponse,
  FakeZoomEvent,
  FakeZoomInterceptor,
  FakeZoomOptions,
} from "./types.js";

/**
 * The scopes a Server-to-Server app needs for zoomreg (facts page, "Authentication"), granular and
 * classic, space separated as Zoom sends them.
 */
const grantedScopes = [
  "meeting:write:registrant:admin",
  "meeting:write:batch_registrants:admin",
  "meeting:read:list_registrants:admin",
  "meeting:read:list_registration_questions:admin",
  "meeting:read:meeting:admin",
  "webinar:write:registrant:admin",
  "webinar:write:batch_registrants:admin",
  "webinar:read:list_registrants:admin",
  "webinar:read:list_registration_questions:admin",
  "webinar:read:webinar:admin",
].join(" ");

const defaultSeed = 0x2f00d;

interface ResolvedOptions {
  credentials: FakeCredentials;
  events: readonly FakeZoomEvent[];
  clock: Clock;
  seed: number;
  tokenTtlSeconds: number;
  registrantDailyAddLimit: number;
  interceptors: readonly FakeZoomInterceptor[];
}

/** Everything `reset()` throws away. */
interface FakeZoomState {
  ids: IdSource;
  tokens: AccessTokenStore;
  jwt: JwtVerifier;
  /** Keyed by `meeting:<id>` / `webinar:<id>`. */
  events: Map<string, EventRegistrants>;
  requestsByRoute: Map<string, number>;
  tokensIssued: number;
  rateLimitedByKind: Map<string, number>;
}

export class FakeZoom {
  private readonly options: ResolvedOptions;
  private state: FakeZoomState;

  constructor(options: FakeZoomOptions = {}) {
    const events = options.events ?? defaultFakeEvents();
    events.forEach(checkEvent);
    const keys = new Set(events.map((event) => eventKey(event.kind, event.id)));
    if (keys.size !== events.length) throw new ConfigError("fake Zoom events: two events share a kind and an id");
    const tokenTtlSeconds = options.tokenTtlSeconds ?? defaultTokenTtlSeconds;
    if (!(tokenTtlSeconds > 0)) throw new ConfigError(`fake Zoom tokenTtlSeconds ${tokenTtlSeconds}: expected a positive number`);
    const registrantDailyAddLimit = options.registrantDailyAddLimit ?? defaultRegistrantDailyAddLimit;
    if (!Number.isInteger(registrantDailyAddLimit) || registrantDailyAddLimit < 1) {
      throw new ConfigError(`fake Zoom registrantDailyAddLimit ${registrantDailyAddLimit}: expected a positive integer`);
    }
    this.options = {
      credentials: { ...(options.credentials ?? defaultFakeCredentials) },
      events: structuredClone(events),
      clock: options.clock ?? systemClock,
      seed: options.seed ?? defaultSeed,
      tokenTtlSeconds,
      registrantDailyAddLimit,
      interceptors: options.interceptors ?? [],
    };
    this.state = this.freshState();
  }

  /** Answers one request. Never throws: a bug in the fake is a 500 that names it. */
  handle(request: FakeRequest): FakeResponse {
    let response: FakeResponse;
    try {
      response = this.dispatch(request);
    } catch (error) {
      response = zoomError(500, 500, `fake Zoom failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Every Zoom answer carries one; clients keep it for support (facts page, "Add body"). A copy, so
    // an interceptor may answer with one shared response object.
    return { ...response, headers: { ...response.headers, "x-zm-trackingid": this.state.ids.trackingId() } };
  }

  /** A snapshot of what the fake saw, as plain JSON-able data. */
  ledger(): FakeLedger {
    const events: FakeLedger["events"] = {};
    for (const [key, registrants] of this.state.events) events[key] = registrants.ledgerEntries();
    return {
      events,
      totals: {
        requestsByRoute: Object.fromEntries(this.state.requestsByRoute),
        tokensIssued: this.state.tokensIssued,
        rateLimitedByKind: Object.fromEntries(this.state.rateLimitedByKind),
      },
    };
  }

  /**
   * Back to the state of a new fake built from the same options: registrants, counters, ledger, issued
   * tokens (clients fetch a new one on 401, as against Zoom) and the seeded id stream.
   */
  reset(): void {
    this.state = this.freshState();
    for (const interceptor of this.options.interceptors) interceptor.reset?.();
  }

  private freshState(): FakeZoomState {
    const { seed, credentials, registrantDailyAddLimit } = this.options;
    const ids = new IdSource(seed);
    const events = new Map<string, EventRegistrants>();
    for (const event of this.options.events) {
      const capacity = event.capacity ?? (event.kind === "meeting" ? meetingRegistrantCapacity : undefined);
      events.set(eventKey(event.kind, event.id), new EventRegistrants(event, { ids, dailyAddLimit: registrantDailyAddLimit, capacity }));
    }
    return {
      ids,
      tokens: new AccessTokenStore(),
      jwt: new JwtVerifier(credentials),
      events,
      requestsByRoute: new Map(),
      tokensIssued: 0,
      rateLimitedByKind: new Map(),
    };
  }

  private dispatch(request: FakeRequest): FakeResponse {
    const route = matchRoute(request.method, request.url.pathname);
    // The fake's own routes sit outside the pipeline: reading the ledger must not change it.
    if (route.name === "ledger") return jsonResponse(200, this.ledger());
    if (route.name === "reset") {
      this.reset();
      return jsonResponse(200, { reset: true });
    }

    const nowMs = this.options.clock.now();
    const { state } = this;
    state.requestsByRoute.set(route.template, (state.requestsByRoute.get(route.template) ?? 0) + 1);

    const isApi = route.name !== "token" && route.name !== "notFound";
    if (isApi && !this.isAuthorized(request.headers.authorization, nowMs)) return invalidAccessToken();

    const exchange: FakeExchange = {
      request,
      route,
      nowMs,
      recordRateLimited: (kind) => {
        // Bound to the state of this request: a reset mid-request must not count into the new one.
        state.rateLimitedByKind.set(kind, (state.rateLimitedByKind.get(kind) ?? 0) + 1);
      },
    };
    const { interceptors } = this.options;
    let response: FakeResponse | undefined;
    for (const interceptor of interceptors) {
      response = interceptor.beforeRoute?.(exchange);
      if (response !== undefined) break;
    }
    response ??= this.route(exchange);
    for (const interceptor of interceptors) {
      if (interceptor.afterRoute !== undefined) response = interceptor.afterRoute(exchange, response);
    }
    return response;
  }

  private route(exchange: FakeExchange): FakeResponse {
    const { request, route, nowMs } = exchange;
    switch (route.name) {
      case "token":
        return this.issueToken(request, nowMs);
      case "addRegistrant":
      case "listRegistrants":
      case "registrationQuestions":
      case "getEvent":
        return this.eventRoute(exchange);
      case "unknownApi":
        return apiRouteNotFound();
      default:
        // Off the API Zoom serves web pages; a JSON 404 is enough for a client that strayed.
        return zoomError(404, 404, "Not Found.");
    }
  }

  private eventRoute({ request, route, nowMs, recordRateLimited }: FakeExchange): FakeResponse {
    const kind = route.kind ?? "meeting";
    const eventId = route.eventId ?? "";
    if (!/^\d{1,16}$/.test(eventId)) return invalidEventId(kind);
    const registrants = this.state.events.get(eventKey(kind, eventId));
    if (registrants === undefined) return eventNotFound(kind, eventId);
    const query = request.url.searchParams;
    switch (route.name) {
      case "addRegistrant":
        return registrants.add(request.body, query, nowMs, recordRateLimited);
      case "listRegistrants":
        return registrants.list(query, nowMs);
      case "registrationQuestions":
        return registrants.questions();
      default:
        return registrants.describe();
    }
  }

  private isAuthorized(authorization: string | undefined, nowMs: number): boolean {
    const token = bearerToken(authorization);
    if (token === undefined) return false;
    return this.state.tokens.isLive(token, nowMs) || this.state.jwt.isValid(token, nowMs);
  }

  /**
   * `POST /oauth/token`, Server-to-Server OAuth: Basic client credentials, `grant_type=account_credentials`
   * and `account_id`, each in the query string or the form body (facts page, "Authentication").
   */
  private issueToken(request: FakeRequest, nowMs: number): FakeResponse {
    const { credentials, tokenTtlSeconds } = this.options;
    const query = request.url.searchParams;
    const form = new URLSearchParams(request.body);
    const param = (name: string): string | null => query.get(name) ?? form.get(name);

    const client = basicCredentials(request.headers.authorization);
    // Zoom answers bad client credentials with 400 and this body (seen in the wild, e.g.
    // github.com/JubaerHossain/zoom-laravel/issues/3), not with RFC 6749's 401.
    if (client === undefined || client.clientId !== credentials.clientId || client.clientSecret !== credentials.clientSecret) {
      return oauthError(400, "invalid_client", "Invalid client_id or client_secret");
    }
    if (param("grant_type") !== "account_credentials") return oauthError(400, "unsupported_grant_type", "unsupported grant type");
    // Unconfirmed wording: Zoom answers a wrong account id with a 400 (github.com/Jericho/ZoomNet/issues/272)
    // whose body no primary source quotes; the fake uses OAuth's `invalid_request`.
    if (param("account_id") !== credentials.accountId) return oauthError(400, "invalid_request", "Invalid account_id");

    const accessToken = this.state.ids.accessToken();
    this.state.tokens.add(accessToken, nowMs + tokenTtlSeconds * 1000);
    this.state.tokensIssued += 1;
    return jsonResponse(200, {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: tokenTtlSeconds,
      scope: grantedScopes,
      // Zoom sends the account's regional API host; the fake sends itself, so a client that follows
      // `api_url` stays on the fake.
      api_url: request.url.origin,
    });
  }
}

function eventKey(kind: string, eventId: string): string {
  return `${kind}:${eventId}`;
}

/** Registration works on meeting types 2 and 8 and webinar types 5 and 9 (facts page, "Endpoints"). */
function checkEvent(event: FakeZoomEvent): void {
  const where = `fake Zoom ${event.kind} ${event.id}`;
  if (!/^\d{1,16}$/.test(event.id) || !Number.isSafeInteger(Number(event.id))) {
    throw new ConfigError(`${where}: the id must be digits below 2^53`);
  }
  const types = event.kind === "meeting" ? [2, 8] : [5, 9];
  if (!types.includes(event.type)) throw new ConfigError(`${where}: type ${event.type} is not a registrable ${event.kind} type (${types.join(" or ")})`);
  if (Number.isNaN(Date.parse(event.startTime))) throw new ConfigError(`${where}: startTime ${event.startTime} is not an ISO-8601 time`);
  if (isRecurring(event) && (event.occurrences ?? []).length === 0) throw new ConfigError(`${where}: a recurring event needs occurrences`);
  if (event.capacity !== undefined && !(Number.isInteger(event.capacity) && event.capacity >= 0)) {
    throw new ConfigError(`${where}: capacity ${event.capacity} must be a non-negative integer`);
  }
}
