/**
 * The fake Zoom's core: `handle(request) -> response`, synchronous, no HTTP framework. Adapters
 * (node-server.ts, msw.ts) only translate to and from it, so both answer alike and the plain one stays
 * fast. Behaviour follows docs/zoom-facts.md and Zoom's OpenAPI doc.
 *
 * One request goes: route -> (API) bearer auth -> scopes -> `beforeRoute` of the scripted faults, the
 * fault injector, the rate limiter and the caller's interceptors -> the route's handler -> `afterRoute`
 * in the opposite order -> tracking id. The fake's own routes (`/__fake/...`) skip all of it.
 */
import { ConfigError } from "../errors.js";
import { systemClock } from "../shared/clock.js";
import { AccessTokenStore, JwtVerifier, basicCredentials, bearerToken, type TokenGrant } from "./auth.js";
import { DailyCounter } from "./counters.js";
import {
  defaultFakeCredentials,
  defaultFakeEvents,
  defaultRegistrantDailyAddLimit,
  defaultRegistrantDailyStatusChangeLimit,
  defaultTokenTtlSeconds,
  meetingRegistrantCapacity,
} from "./defaults.js";
import { parseEventChange } from "./event-changes.js";
import { EventRegistrants, isRecurring, zoomTime } from "./event-registrants.js";
import { FaultInjector, hasFaults } from "./faults.js";
import { MovableClock } from "./movable-clock.js";
import { IdSource } from "./random.js";
import { RateLimiter } from "./rate-limits.js";
import {
  apiRouteNotFound,
  eventNotFound,
  invalidAccessToken,
  invalidEventId,
  jsonResponse,
  missingScopes,
  oauthError,
  zoomError,
} from "./responses.js";
import { matchRoute } from "./routes.js";
import { allGrantedScopes, hasScopeFor, missingScopesMessage } from "./scopes.js";
import { ScriptedFaults } from "./scripted-faults.js";
import { parseJsonObject } from "./validation.js";
import type {
  CancelledListing,
  EventKind,
  FakeApp,
  FakeCredentials,
  FakeEventChange,
  FakeExchange,
  FakeFaults,
  FakeLedger,
  FakeRateLimits,
  FakeRequest,
  FakeResponse,
  FakeZoomEvent,
  FakeZoomInterceptor,
  FakeZoomOptions,
  FaultScript,
  HostAction,
  Reapproval,
  RegistrantLimitScope,
  RouteMatch,
} from "./types.js";

const defaultSeed = 0x2f00d;
/** The fault stream's seed differs from the ids' so that injecting faults never changes an id. */
const faultSeedMask = 0x0fa17;

interface ResolvedOptions {
  credentials: FakeCredentials;
  apps: readonly FakeApp[];
  events: readonly FakeZoomEvent[];
  seed: number;
  tokenTtlSeconds: number;
  invalidatePreviousToken: boolean;
  registrantDailyAddLimit: number;
  registrantLimitScope: RegistrantLimitScope;
  registrantDailyStatusChangeLimit: number;
  cancelledListing: CancelledListing;
  reapproval: Reapproval;
  rateLimits: FakeRateLimits | undefined;
  faults: FakeFaults | undefined;
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
  faultsInjectedByKind: Map<string, number>;
}

export class FakeZoom {
  private readonly options: ResolvedOptions;
  private readonly clock: MovableClock;
  private readonly rateLimiter: RateLimiter;
  private readonly faultInjector: FaultInjector | undefined;
  private readonly scriptedFaults: ScriptedFaults;
  /** Run in this order before the handler and in the opposite order after it. */
  private readonly pipeline: readonly FakeZoomInterceptor[];
  private state: FakeZoomState;

  constructor(options: FakeZoomOptions = {}) {
    const events = options.events ?? defaultFakeEvents();
    events.forEach(checkEvent);
    const keys = new Set(events.map((event) => eventKey(event.kind, event.id)));
    if (keys.size !== events.length) throw new ConfigError("fake Zoom events: two events share a kind and an id");
    const tokenTtlSeconds = options.tokenTtlSeconds ?? defaultTokenTtlSeconds;
    if (!(tokenTtlSeconds > 0)) throw new ConfigError(`fake Zoom tokenTtlSeconds ${tokenTtlSeconds}: expected a positive number`);
    const registrantDailyAddLimit = positiveInteger("registrantDailyAddLimit", options.registrantDailyAddLimit ?? defaultRegistrantDailyAddLimit);
    const registrantDailyStatusChangeLimit = positiveInteger(
      "registrantDailyStatusChangeLimit",
      options.registrantDailyStatusChangeLimit ?? defaultRegistrantDailyStatusChangeLimit,
    );
    const credentials = { ...(options.credentials ?? defaultFakeCredentials) };
    const apps = options.apps ?? [{ clientId: credentials.clientId, clientSecret: credentials.clientSecret, scopes: allGrantedScopes() }];
    if (apps.length === 0) throw new ConfigError("fake Zoom apps: at least one app is needed");
    if (new Set(apps.map((app) => app.clientId)).size !== apps.length) throw new ConfigError("fake Zoom apps: two apps share a client id");
    const seed = options.seed ?? defaultSeed;
    this.options = {
      credentials,
      apps: structuredClone(apps),
      events: structuredClone(events),
      seed,
      tokenTtlSeconds,
      invalidatePreviousToken: options.invalidatePreviousToken ?? false,
      registrantDailyAddLimit,
      registrantLimitScope: options.registrantLimitScope ?? "perEvent",
      registrantDailyStatusChangeLimit,
      cancelledListing: options.cancelledListing ?? "denied",
      reapproval: options.reapproval ?? "approves",
      rateLimits: options.rateLimits === undefined ? undefined : structuredClone(options.rateLimits),
      faults: options.faults === undefined ? undefined : structuredClone(options.faults),
      interceptors: options.interceptors ?? [],
    };
    this.clock = new MovableClock(options.clock ?? systemClock);
    this.rateLimiter = new RateLimiter(this.options.rateLimits);
    this.faultInjector = hasFaults(this.options.faults) ? new FaultInjector(this.options.faults, seed ^ faultSeedMask) : undefined;
    this.scriptedFaults = new ScriptedFaults((label) => this.rateLimiter.perSecondLimited(label));
    // Scripts first: a test that scripts a fault must get it, whatever the seeded draw or the budget says.
    this.pipeline = [this.scriptedFaults, ...(this.faultInjector === undefined ? [] : [this.faultInjector]), this.rateLimiter, ...this.options.interceptors];
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
    // Every Zoom answer carries one; clients keep it for support (docs/zoom-facts.md, "Add body"). A copy, so
    // an interceptor may answer with one shared response object.
    return { ...response, headers: { ...response.headers, "x-zm-trackingid": this.state.ids.trackingId() } };
  }

  /** The credentials that work: the account, its first app and the JWT key pair. Made up, printable. */
  get credentials(): Readonly<FakeCredentials> {
    const [app] = this.options.apps;
    return { ...this.options.credentials, clientId: app?.clientId ?? "", clientSecret: app?.clientSecret ?? "" };
  }

  /** The fake's time in epoch ms: the injected clock plus whatever `advanceClock`/`setClock` added. */
  now(): number {
    return this.clock.now();
  }

  /** Moves the fake's time forward (as `POST /__fake/clock {advanceMs}` does). */
  advanceClock(deltaMs: number): void {
    this.clock.advance(deltaMs);
  }

  /** Moves the fake's time forward to `epochMs` (as `POST /__fake/clock {setIso}` does). */
  setClock(epochMs: number): void {
    this.clock.setTo(epochMs);
  }

  /**
   * Makes the next `count` requests of `route` answer `answer` (as `POST /__fake/faults` does), after
   * any script already queued for that route. Throws a ConfigError for a bad script.
   */
  scriptFaults(script: FaultScript): void {
    this.scriptedFaults.add(script);
  }

  /** The scripts still to come, with what is left of each: `[]` once all were spent. */
  scriptedFaultsLeft(): FaultScript[] {
    return this.scriptedFaults.left();
  }

  /**
   * A host's change to an event from the next request on (as `POST /__fake/events/{kind}/{id}` does):
   * registration off (`approvalType: 2`), a new capacity, the event over. Undone by `reset()`.
   * Throws a ConfigError for an unknown event or a bad change.
   */
  updateEvent(kind: EventKind, eventId: string, change: FakeEventChange): void {
    const where = `fake Zoom ${kind} ${eventId}`;
    const registrants = this.state.events.get(eventKey(kind, eventId));
    if (registrants === undefined) throw new ConfigError(`${where}: no such event`);
    registrants.apply(parseEventChange(where, change));
  }

  /**
   * A host's hand in Zoom's web portal: approve, deny, cancel or delete the registrant with this email,
   * outside the API (no scopes, no limits, nothing counted). Throws a ConfigError for an unknown event
   * or registrant.
   */
  hostChangesRegistrant(kind: EventKind, eventId: string, email: string, action: HostAction): void {
    const where = `fake Zoom ${kind} ${eventId}`;
    const registrants = this.state.events.get(eventKey(kind, eventId));
    if (registrants === undefined) throw new ConfigError(`${where}: no such event`);
    if (!registrants.hostChanges(email, action)) throw new ConfigError(`${where}: no registrant ${email}`);
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
        faultsInjectedByKind: Object.fromEntries(this.state.faultsInjectedByKind),
        peakRequestsPerSecondByLabel: this.rateLimiter.peaks(),
      },
    };
  }

  /**
   * Back to the state of a new fake built from the same options: registrants, counters, ledger, issued
   * tokens (clients fetch a new one on 401, as against Zoom), rate windows, the seeded streams, scripted
   * faults and events changed at run time. The clock stays where it is: time does not go back.
   */
  reset(): void {
    this.state = this.freshState();
    this.scriptedFaults.reset();
    this.rateLimiter.reset();
    this.faultInjector?.reset();
    for (const interceptor of this.options.interceptors) interceptor.reset?.();
  }

  private freshState(): FakeZoomState {
    const { seed, credentials, registrantDailyAddLimit, registrantLimitScope, registrantDailyStatusChangeLimit, cancelledListing, reapproval } = this.options;
    const ids = new IdSource(seed);
    const events = new Map<string, EventRegistrants>();
    const sharedAddLimiter = registrantLimitScope === "acrossEvents" ? new DailyCounter(registrantDailyAddLimit) : undefined;
    for (const event of this.options.events) {
      const capacity = event.capacity ?? (event.kind === "meeting" ? meetingRegistrantCapacity : undefined);
      events.set(
        eventKey(event.kind, event.id),
        // A copy: `updateEvent` changes the desk's event, and reset must find the options as given.
        new EventRegistrants(structuredClone(event), {
          ids,
          addLimiter: sharedAddLimiter ?? new DailyCounter(registrantDailyAddLimit),
          statusLimiter: new DailyCounter(registrantDailyStatusChangeLimit),
          capacity,
          cancelledListing,
          reapproval,
        }),
      );
    }
    return {
      ids,
      tokens: new AccessTokenStore(),
      jwt: new JwtVerifier(credentials),
      events,
      requestsByRoute: new Map(),
      tokensIssued: 0,
      rateLimitedByKind: new Map(),
      faultsInjectedByKind: new Map(),
    };
  }

  private dispatch(request: FakeRequest): FakeResponse {
    const route = matchRoute(request.method, request.url.pathname);
    // The fake's own routes sit outside the pipeline: reading the ledger must not change it, and
    // neither faults nor rate limits ever reach them.
    switch (route.name) {
      case "ledger":
        return jsonResponse(200, this.ledger());
      case "reset":
        this.reset();
        return jsonResponse(200, { reset: true });
      case "getClock":
        return this.clockAnswer();
      case "setClock":
        return this.moveClock(request.body);
      case "getFaults":
        return jsonResponse(200, { scripts: this.scriptedFaultsLeft() });
      case "scriptFaults":
        return this.refusingBadInput(() => this.addScript(request.body));
      case "updateEvent":
        return this.refusingBadInput(() => this.changeEvent(route, request.body));
      default:
        break;
    }

    const nowMs = this.clock.now();
    const { state } = this;
    state.requestsByRoute.set(route.template, (state.requestsByRoute.get(route.template) ?? 0) + 1);

    const isApi = route.name !== "token" && route.name !== "notFound";
    if (isApi) {
      const grant = this.grantFor(request.headers.authorization, nowMs);
      if (grant === undefined) return invalidAccessToken();
      // `null` is a JWT-app token: those apps had the whole account's access, no scopes.
      if (grant !== null && route.operationId !== undefined && !hasScopeFor(route.operationId, grant.scopes)) {
        return missingScopes(missingScopesMessage(route.operationId));
      }
    }

    this.rateLimiter.observe(route.label, nowMs);

    const exchange: FakeExchange = {
      request,
      route,
      nowMs,
      // Both bound to the state of this request: a reset mid-request must not count into the new one.
      recordRateLimited: (kind) => {
        state.rateLimitedByKind.set(kind, (state.rateLimitedByKind.get(kind) ?? 0) + 1);
      },
      recordFault: (kind) => {
        state.faultsInjectedByKind.set(kind, (state.faultsInjectedByKind.get(kind) ?? 0) + 1);
      },
    };
    const { pipeline } = this;
    let response: FakeResponse | undefined;
    for (const interceptor of pipeline) {
      response = interceptor.beforeRoute?.(exchange);
      if (response !== undefined) break;
    }
    response ??= this.route(exchange);
    for (let index = pipeline.length - 1; index >= 0; index -= 1) {
      const interceptor = pipeline[index] as FakeZoomInterceptor;
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
      case "batchAddRegistrants":
      case "listRegistrants":
      case "updateRegistrantStatus":
      case "registrationQuestions":
      case "getEvent":
      case "getRegistrant":
      case "deleteRegistrant":
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
      case "batchAddRegistrants":
        return registrants.batchAdd(request.body, nowMs, recordRateLimited);
      case "listRegistrants":
        return registrants.list(query, nowMs);
      case "updateRegistrantStatus":
        return registrants.updateStatus(request.body, nowMs, recordRateLimited);
      case "registrationQuestions":
        return registrants.questions();
      case "getRegistrant":
        return registrants.registrant(route.registrantId ?? "");
      case "deleteRegistrant":
        return registrants.delete(route.registrantId ?? "");
      default:
        return registrants.describe();
    }
  }

  /** The grant of a live S2S token, `null` for a valid JWT-app token, undefined for anything else. */
  private grantFor(authorization: string | undefined, nowMs: number): TokenGrant | null | undefined {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    const grant = this.state.tokens.lookup(token, nowMs);
    if (grant !== undefined) return grant;
    return this.state.jwt.isValid(token, nowMs) ? null : undefined;
  }

  /**
   * `POST /oauth/token`, Server-to-Server OAuth: Basic client credentials, `grant_type=account_credentials`
   * and `account_id`, each in the query string or the form body (docs/zoom-facts.md, "Authentication").
   */
  private issueToken(request: FakeRequest, nowMs: number): FakeResponse {
    const { credentials, tokenTtlSeconds, apps, invalidatePreviousToken } = this.options;
    const query = request.url.searchParams;
    const form = new URLSearchParams(request.body);
    const param = (name: string): string | null => query.get(name) ?? form.get(name);

    const client = basicCredentials(request.headers.authorization);
    const app = client === undefined ? undefined : apps.find((candidate) => candidate.clientId === client.clientId);
    // Zoom answers bad client credentials with 400 and this body (seen in the wild, e.g.
    // github.com/JubaerHossain/zoom-laravel/issues/3), not with RFC 6749's 401.
    if (client === undefined || app === undefined || client.clientSecret !== app.clientSecret) {
      return oauthError(400, "invalid_client", "Invalid client_id or client_secret");
    }
    if (param("grant_type") !== "account_credentials") return oauthError(400, "unsupported_grant_type", "unsupported grant type");
    // Unconfirmed wording: Zoom answers a wrong account id with a 400 (github.com/Jericho/ZoomNet/issues/272)
    // whose body no primary source quotes; the fake uses OAuth's `invalid_request`.
    if (param("account_id") !== credentials.accountId) return oauthError(400, "invalid_request", "Invalid account_id");

    const accessToken = this.state.ids.accessToken();
    this.state.tokens.add(accessToken, { clientId: app.clientId, scopes: new Set(app.scopes), expiresAtMs: nowMs + tokenTtlSeconds * 1000 }, invalidatePreviousToken);
    this.state.tokensIssued += 1;
    return jsonResponse(200, {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: tokenTtlSeconds,
      // Space separated, as Zoom sends them.
      scope: app.scopes.join(" "),
      // Zoom sends the account's regional API host; the fake sends itself, so a client that follows
      // `api_url` stays on the fake.
      api_url: request.url.origin,
    });
  }

  private clockAnswer(): FakeResponse {
    const nowMs = this.clock.now();
    return jsonResponse(200, { now: zoomTime(nowMs), nowMs, aheadMs: this.clock.aheadMs });
  }

  /** `POST /__fake/clock` with `{"advanceMs": n}` or `{"setIso": "2030-01-16T00:00:00Z"}`. */
  private moveClock(body: string): FakeResponse {
    const parsed = parseJsonObject(body);
    const { advanceMs, setIso } = parsed ?? {};
    return this.refusingBadInput(() => {
      if (typeof advanceMs === "number" && setIso === undefined) this.clock.advance(advanceMs);
      else if (typeof setIso === "string" && advanceMs === undefined) this.clock.setTo(Date.parse(setIso));
      else return zoomError(400, 300, 'Expected {"advanceMs": <milliseconds>} or {"setIso": "<ISO-8601 time>"}.');
      return this.clockAnswer();
    });
  }

  /** `POST /__fake/faults` with `{"route", "count", "answer"}`: answers every script still to come. */
  private addScript(body: string): FakeResponse {
    const parsed = parseJsonObject(body);
    if (parsed === undefined) return zoomError(400, 300, 'Expected a JSON object {"route", "count", "answer"}.');
    this.scriptedFaults.add(parsed);
    return jsonResponse(200, { scripts: this.scriptedFaultsLeft() });
  }

  /** `POST /__fake/events/{kind}/{id}` with `{"approvalType"?, "capacity"?, "over"?}`: answers the event's new settings. */
  private changeEvent(route: RouteMatch, body: string): FakeResponse {
    const kind = route.kind ?? "meeting";
    const eventId = route.eventId ?? "";
    const registrants = this.state.events.get(eventKey(kind, eventId));
    if (registrants === undefined) return eventNotFound(kind, eventId);
    const parsed = parseJsonObject(body);
    if (parsed === undefined) return zoomError(400, 300, 'Expected a JSON object {"approvalType"?, "capacity"?, "over"?}.');
    this.updateEvent(kind, eventId, parsed);
    return jsonResponse(200, { kind, id: eventId, ...registrants.changeableSettings() });
  }

  /** The fake's own routes answer a bad body 400 code 300 with the ConfigError's one line. */
  private refusingBadInput(answer: () => FakeResponse): FakeResponse {
    try {
      return answer();
    } catch (error) {
      if (error instanceof ConfigError) return zoomError(400, 300, error.message);
      throw error;
    }
  }
}

function eventKey(kind: string, eventId: string): string {
  return `${kind}:${eventId}`;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`fake Zoom ${name} ${value}: expected a positive integer`);
  return value;
}

/** Registration works on meeting types 2 and 8 and webinar types 5 and 9 (docs/zoom-facts.md, "Endpoints"). */
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
