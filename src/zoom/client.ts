/**
 * The Zoom REST client: one HTTP request per call (plus, at most, one replay with a fresh token), and a
 * typed error for every answer that is not the expected one. It never retries and never waits: the
 * pool asks `classifyFailure` and decides (octokit's split between the request and the policy).
 */
import { getGlobalDispatcher } from "./undici.js";
import type { Dispatcher } from "undici";
import { ApiError, ConfigError, NetworkError, type PerSecondLimit } from "../errors.js";
import type { Clock } from "../shared/clock.js";
import { errorFromAnswer, parseZoomErrorBody, perSecondLimitOf, shouldReplayWithFreshToken } from "./answer.js";
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, headerValue, readBody, transportError } from "./transport.js";
import type { ReadBody } from "./transport.js";

export type EventKind = "meeting" | "webinar";

/** `id` is a digit string: meeting and webinar ids are int64 in Zoom's document and may exceed 2^53. */
export interface EventRef {
  kind: EventKind;
  id: string;
}

export interface AddRegistrantResult {
  registrantId: string;
  /** Absent while the registrant awaits manual approval (docs/zoom-facts.md, "Add body"). */
  joinUrl: string | undefined;
  participantPinCode: string | undefined;
  topic: string | undefined;
  /** `x-zm-trackingid`: Zoom support asks for it. */
  trackingId: string | undefined;
  status: number;
  /** The per-second limit the answer's headers reported, for pacing. */
  perSecondLimit?: PerSecondLimit | undefined;
}

/** One person in a batch answer, matched back to its row by email. */
export interface BatchRegistrantResult {
  email: string;
  registrantId: string;
  joinUrl: string | undefined;
  participantPinCode: string | undefined;
}

export interface AddBatchResult {
  registrants: BatchRegistrantResult[];
  trackingId: string | undefined;
  status: number;
  perSecondLimit?: PerSecondLimit | undefined;
}

export interface ListedRegistrant {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  join_url?: string;
  status?: string;
}

export interface ListRegistrantsResult {
  registrants: ListedRegistrant[];
  /** Undefined on the last page (Zoom sends an empty string there). */
  nextPageToken: string | undefined;
  totalRecords: number | undefined;
  trackingId: string | undefined;
}

export interface EventInfo {
  /** Meeting 2/8 or webinar 5/9 take registrants (docs/zoom-facts.md). */
  type: number;
  /** `settings.approval_type`: 0 automatic, 1 manual, 2 no registration. */
  approvalType: number | undefined;
  registrationType: number | undefined;
  topic: string | undefined;
  raw: unknown;
}

/**
 * The event's registration form, in Zoom's own shape (`GET .../registrants/questions`, OpenAPI doc
 * `meetingRegistrantsQuestionsGet` / `webinarRegistrantsQuestionsGet`): the standard fields it shows
 * and its custom questions. Zoom leaves out `required` when false and `answers` on short questions;
 * both are filled in here so callers need not.
 */
export interface RegistrationQuestions {
  /** `field_name` is the add body's key (`city`, `org`, `no_of_employees`, ...). */
  questions: { field_name: string; required: boolean }[];
  /**
   * `type`: `short` (free text) or `single` on meetings; `short`, `single_radio`, `single_dropdown`
   * or `multiple` on webinars. `answers` lists the choices (empty for `short`).
   */
  custom_questions: { title: string; type: string; required: boolean; answers: string[] }[];
}

/**
 * Where the client's bearer tokens come from: a token function and a way to drop one Zoom refused. The
 * client knows no auth scheme (S2S, JWT): src/auth provides this, tests a stub.
 */
export interface TokenSource {
  getToken(signal?: AbortSignal): Promise<string>;
  invalidate(token: string): void;
}

export interface ZoomClientOptions {
  /** Called for every request: the S2S token response may bring the account's regional host. */
  baseUrl: () => string;
  tokens: TokenSource;
  /** Defaults to undici's global dispatcher; tests pass a MockAgent. */
  dispatcher?: Dispatcher;
  /** Headers timeout and body timeout, each, per request. */
  timeoutMs?: number;
  clock: Clock;
  userAgent?: string;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface Answer {
  status: number;
  json: Record<string, unknown>;
  trackingId: string | undefined;
  perSecondLimit: PerSecondLimit | undefined;
}

/** What `PUT .../registrants/status` can do to a registrant. */
export type RegistrantAction = "approve" | "cancel" | "deny";

/** Zoom's rate-limit labels: each API's cost class, with a per-second budget per account (docs/zoom-facts.md). */
export type RateLimitLabel = "Light" | "Medium" | "Heavy";

export class ZoomClient {
  private readonly sentAtMs: Record<RateLimitLabel, number[]> = { Light: [], Medium: [], Heavy: [] };
  private readonly baseUrl: () => string;
  private lastBase: { baseUrl: string; origin: string; basePath: string } | undefined;
  private readonly tokens: TokenSource;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly userAgent: string;
  private requestGuard: ((event: EventRef) => void) | undefined;

  constructor(options: ZoomClientOptions) {
    this.baseUrl = options.baseUrl;
    this.tokens = options.tokens;
    this.dispatcher = options.dispatcher;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.clock = options.clock;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  }

  /**
   * Runs right before each request leaves, as late as it can be, with the request's event: a throw
   * sends nothing, and the call rejects with what it threw (a push whose lock another run took over:
   * issue 17; each event of a run has its own lock: issue 20).
   */
  guardRequests(guard: (event: EventRef) => void): void {
    this.requestGuard = guard;
  }

  /** `POST /meetings/{id}/registrants` or `/webinars/{id}/registrants` (Light label). */
  async addRegistrant(
    event: EventRef,
    body: object,
    options: { occurrenceIds?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<AddRegistrantResult> {
    const path = `${eventPath(event)}/registrants`;
    const occurrenceIds = options.occurrenceIds ?? [];
    // Zoom takes one comma-separated value; each id is encoded, the commas between them are not.
    const query = occurrenceIds.length === 0 ? "" : `occurrence_ids=${occurrenceIds.map(encodeURIComponent).join(",")}`;
    const answer = await this.call(event, "Light", "POST", path, query, body, options.signal);
    const { registrant_id: registrantId, join_url: joinUrl, participant_pin_code: pin, topic } = answer.json;
    if (typeof registrantId !== "string" || registrantId === "") {
      // Zoom answered 2xx but the data is wrong: not a transport failure, and not retried.
      throw this.wrongData("POST", path, answer, "answered without a registrant_id");
    }
    return {
      registrantId,
      joinUrl: nonEmptyString(joinUrl),
      // An integer in Zoom's document: kept as text, like every id here.
      participantPinCode: typeof pin === "number" || typeof pin === "string" ? String(pin) : undefined,
      topic: nonEmptyString(topic),
      trackingId: answer.trackingId,
      status: answer.status,
      perSecondLimit: answer.perSecondLimit,
    };
  }

  /**
   * `POST /meetings/{id}/batch_registrants` or `/webinars/{id}/batch_registrants` (Heavy label): at most
   * 30 people, each only email and names; meeting type 2 / webinar type 5 only (docs/zoom-facts.md, "batch
   * add"). Success is 201 in the current document, 200 in an older edition: any 2xx is accepted.
   */
  async addBatchRegistrants(
    event: EventRef,
    body: { registrants: readonly { email: string; first_name: string; last_name?: string }[]; auto_approve?: boolean; registrants_confirmation_email?: boolean },
    options: { signal?: AbortSignal } = {},
  ): Promise<AddBatchResult> {
    const path = `${eventPath(event)}/batch_registrants`;
    const answer = await this.call(event, "Heavy", "POST", path, "", body, options.signal);
    const { registrants } = answer.json;
    if (!Array.isArray(registrants)) throw this.wrongData("POST", path, answer, "answered without a registrants list");
    const results: BatchRegistrantResult[] = [];
    for (const entry of registrants as unknown[]) {
      if (!isRecord(entry) || typeof entry.email !== "string" || typeof entry.registrant_id !== "string") continue;
      const pin = entry.participant_pin_code;
      results.push({
        email: entry.email,
        registrantId: entry.registrant_id,
        joinUrl: nonEmptyString(entry.join_url),
        participantPinCode: typeof pin === "number" || typeof pin === "string" ? String(pin) : undefined,
      });
    }
    return { registrants: results, trackingId: answer.trackingId, status: answer.status, perSecondLimit: answer.perSecondLimit };
  }

  /** `GET .../registrants?status=&page_size=&next_page_token=` (Medium label; the token lives 15 min). */
  async listRegistrants(
    event: EventRef,
    options: { status?: "approved" | "pending" | "denied"; pageSize?: number; nextPageToken?: string; signal?: AbortSignal },
  ): Promise<ListRegistrantsResult> {
    const path = `${eventPath(event)}/registrants`;
    const query = buildQuery({
      status: options.status,
      page_size: options.pageSize === undefined ? undefined : String(options.pageSize),
      next_page_token: options.nextPageToken,
    });
    const answer = await this.call(event, "Medium", "GET", path, query, undefined, options.signal);
    const { registrants, next_page_token: nextPageToken, total_records: totalRecords } = answer.json;
    if (!Array.isArray(registrants)) throw this.wrongData("GET", path, answer, "answered without a registrants list");
    const listed = registrants.map((entry: unknown, index) => {
      const registrant = toListedRegistrant(entry);
      if (registrant === undefined) throw this.wrongData("GET", path, answer, `registrants[${index}] lacks an id or an email`);
      return registrant;
    });
    return {
      registrants: listed,
      nextPageToken: nonEmptyString(nextPageToken),
      totalRecords: typeof totalRecords === "number" ? totalRecords : undefined,
      trackingId: answer.trackingId,
    };
  }

  /**
   * `PUT .../registrants/status` (Medium label): approve, cancel or deny at most 30 registrants, named
   * by id and email; 204 with no body. Zoom allows 10 status changes a day per registrant
   * (docs/zoom-facts.md, "Rate limits").
   */
  async updateRegistrantStatus(
    event: EventRef,
    body: { action: RegistrantAction; registrants: readonly { id: string; email: string }[] },
    options: { signal?: AbortSignal } = {},
  ): Promise<{ status: number; trackingId: string | undefined; perSecondLimit?: PerSecondLimit | undefined }> {
    const answer = await this.call(event, "Medium", "PUT", `${eventPath(event)}/registrants/status`, "", body, options.signal);
    return { status: answer.status, trackingId: answer.trackingId, perSecondLimit: answer.perSecondLimit };
  }

  /**
   * `GET .../registrants/{registrantId}` (Light label): one registrant of any status, with the join_url
   * once approved; what an approval's row needs, since the status call answers 204 with no body.
   */
  async getRegistrant(event: EventRef, registrantId: string, options: { signal?: AbortSignal } = {}): Promise<ListedRegistrant & { trackingId: string | undefined }> {
    const path = `${eventPath(event)}/registrants/${encodeURIComponent(registrantId)}`;
    const answer = await this.call(event, "Light", "GET", path, "", undefined, options.signal);
    const registrant = toListedRegistrant(answer.json);
    if (registrant === undefined) throw this.wrongData("GET", path, answer, "answered without an id or an email");
    return { ...registrant, trackingId: answer.trackingId };
  }

  /**
   * `DELETE .../registrants/{registrantId}` (Light label): 204. How a registrant Zoom will not approve
   * again gets back in: deleted, then added afresh (docs/zoom-facts.md, "Bringing people back").
   */
  async deleteRegistrant(event: EventRef, registrantId: string, options: { signal?: AbortSignal } = {}): Promise<{ status: number; trackingId: string | undefined }> {
    const answer = await this.call(event, "Light", "DELETE", `${eventPath(event)}/registrants/${encodeURIComponent(registrantId)}`, "", undefined, options.signal);
    return { status: answer.status, trackingId: answer.trackingId };
  }

  /** `GET /meetings/{id}` or `/webinars/{id}` (Light label): type and registration settings. */
  async getEvent(event: EventRef, options: { signal?: AbortSignal } = {}): Promise<EventInfo> {
    const path = eventPath(event);
    const answer = await this.call(event, "Light", "GET", path, "", undefined, options.signal);
    const { type, settings, topic } = answer.json;
    if (typeof type !== "number") throw this.wrongData("GET", path, answer, "answered without the event type");
    const settingsRecord = isRecord(settings) ? settings : {};
    return {
      type,
      approvalType: numberOrUndefined(settingsRecord.approval_type),
      registrationType: numberOrUndefined(settingsRecord.registration_type),
      topic: nonEmptyString(topic),
      raw: answer.json,
    };
  }

  /**
   * `GET /meetings/{id}/registrants/questions` or `/webinars/{id}/registrants/questions` (Light label):
   * the registration form every add is checked against (docs/zoom-facts.md, "Add body": a custom question's
   * title must match the event's). Both lists are optional in the doc's schema: absent means empty.
   */
  async getRegistrationQuestions(event: EventRef, options: { signal?: AbortSignal } = {}): Promise<RegistrationQuestions> {
    const path = `${eventPath(event)}/registrants/questions`;
    const answer = await this.call(event, "Light", "GET", path, "", undefined, options.signal);
    const { questions = [], custom_questions: customQuestions = [] } = answer.json;
    if (!Array.isArray(questions)) throw this.wrongData("GET", path, answer, "answered with questions that are not a list");
    if (!Array.isArray(customQuestions)) throw this.wrongData("GET", path, answer, "answered with custom_questions that are not a list");
    // Strict on shape: a question skipped here would be a required answer nobody checks before sending.
    const standard = questions.map((entry: unknown, index) => {
      if (!isRecord(entry) || typeof entry.field_name !== "string" || entry.field_name === "") {
        throw this.wrongData("GET", path, answer, `questions[${index}] lacks a field_name`);
      }
      return { field_name: entry.field_name, required: entry.required === true };
    });
    const custom = customQuestions.map((entry: unknown, index) => {
      if (!isRecord(entry) || typeof entry.title !== "string" || entry.title === "") {
        throw this.wrongData("GET", path, answer, `custom_questions[${index}] lacks a title`);
      }
      const answers = Array.isArray(entry.answers) ? entry.answers.filter((choice): choice is string => typeof choice === "string") : [];
      return { title: entry.title, type: typeof entry.type === "string" ? entry.type : "short", required: entry.required === true, answers };
    });
    return { questions: standard, custom_questions: custom };
  }

  /**
   * One request, and one replay when Zoom refused the token itself (401 or code 124). This replay is
   * authentication, not the retry policy: Zoom did not execute a request it refused for its token, so
   * the replay spends none of the registrant's 3 daily adds. Scope errors (4700/4711) are not
   * replayed: a fresh token has the same scopes.
   */
  private async call(event: EventRef, label: RateLimitLabel, method: Method, path: string, query: string, body: object | undefined, signal: AbortSignal | undefined): Promise<Answer> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.token(method, path, signal);
      this.noteSent(label);
      const { status, headers, read } = await this.exchange(event, method, path, query, body, token, signal);
      const trackingId = headerValue(headers, "x-zm-trackingid");
      if (status === 204 && (method === "PUT" || method === "DELETE")) return { status, json: {}, trackingId, perSecondLimit: perSecondLimitOf(headers) };
      if (status >= 200 && status < 300) {
        if (!read.isJson || !isRecord(read.json)) {
          throw new ApiError({ method, path, status, code: undefined, zoomMessage: `answered with a ${read.description}`, trackingId });
        }
        return { status, json: read.json, trackingId, perSecondLimit: perSecondLimitOf(headers) };
      }
      if (attempt === 1 && shouldReplayWithFreshToken(status, parseZoomErrorBody(read.json).code)) {
        this.tokens.invalidate(token);
        continue;
      }
      throw errorFromAnswer({ method, path, status, headers, body: read, nowMs: this.clock.now() });
    }
  }

  private async token(method: Method, path: string, signal: AbortSignal | undefined): Promise<string> {
    try {
      return await this.tokens.getToken(signal);
    } catch (error) {
      // The add itself was never sent: say so, or the push would count a registrant's add that did
      // not happen (a 5xx or 429 of the token endpoint is not the add's). AuthError and the caller's
      // abort pass through unchanged.
      if (error instanceof NetworkError || error instanceof ApiError) {
        throw new NetworkError(method, path, `getting an access token failed: ${error.message}`, false, { cause: error });
      }
      throw error;
    }
  }

  private async exchange(
    event: EventRef,
    method: Method,
    path: string,
    query: string,
    body: object | undefined,
    token: string,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; headers: Dispatcher.ResponseData["headers"]; read: ReadBody }> {
    const { origin, basePath } = this.splitBaseUrl(this.baseUrl());
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Dispatcher.ResponseData;
    this.requestGuard?.(event);
    try {
      // The dispatcher's own request(): undici's top-level request(url) parses the URL string into a
      // URL object on every call, ~2% of a single add's CPU at 2,700 adds a second.
      response = await (this.dispatcher ?? getGlobalDispatcher()).request({
        origin,
        path: `${basePath}${path}${query === "" ? "" : `?${query}`}`,
        method,
        headers,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      throw transportFailure(method, path, error, signal);
    }
    try {
      return { status: response.statusCode, headers: response.headers, read: await readBody(response) };
    } catch (error) {
      // The status line arrived, so Zoom received the request: whatever failed, it may have been executed.
      throw transportFailure(method, path, error, signal, true);
    }
  }

  /** `https://api.zoom.us/v2/` as origin `https://api.zoom.us` and base path `/v2`, parsed once per base URL. */
  private splitBaseUrl(baseUrl: string): { origin: string; basePath: string } {
    if (this.lastBase?.baseUrl !== baseUrl) {
      let parsed: URL;
      try {
        parsed = new URL(baseUrl);
      } catch {
        throw new ConfigError(`the Zoom API URL ${JSON.stringify(baseUrl)} is not a URL`, { hint: "set ZOOM_API_URL to e.g. https://api.zoom.us/v2, or unset it" });
      }
      this.lastBase = { baseUrl, origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, "") };
    }
    return this.lastBase;
  }

  /**
   * When the requests of `label` made in the last second left (epoch ms): Zoom counts a label's
   * budget per account over a rolling second, so a push's lanes start with the preflight's reads in
   * their window rather than add a full second of their own on top (docs/zoom-facts.md, "Rate limits").
   */
  requestsSentAtMs(label: RateLimitLabel): number[] {
    const sinceMs = this.clock.now() - 1000;
    return this.sentAtMs[label].filter((atMs) => atMs > sinceMs);
  }

  private noteSent(label: RateLimitLabel): void {
    const sent = this.sentAtMs[label];
    sent.push(this.clock.now());
    // A second's worth at most: more than any plan's per-second limit.
    if (sent.length > 100) sent.shift();
  }

  private wrongData(method: Method, path: string, answer: Answer, what: string): ApiError {
    return new ApiError({ method, path, status: answer.status, code: undefined, zoomMessage: what, trackingId: answer.trackingId });
  }
}

/**
 * A request that got no usable answer. The caller's own abort is rethrown as its reason (the caller
 * asked to stop; that is not a transport failure).
 */
function transportFailure(method: Method, path: string, error: unknown, signal: AbortSignal | undefined, answered = false): unknown {
  if (signal?.aborted === true) return signal.reason;
  return transportError(method, path, error, answered);
}

function eventPath(event: EventRef): string {
  return `/${event.kind === "meeting" ? "meetings" : "webinars"}/${encodeURIComponent(event.id)}`;
}

function buildQuery(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${encodeURIComponent(value)}`]))
    .join("&");
}

function toListedRegistrant(entry: unknown): ListedRegistrant | undefined {
  if (!isRecord(entry) || typeof entry.id !== "string" || typeof entry.email !== "string") return undefined;
  const registrant: ListedRegistrant = { id: entry.id, email: entry.email };
  for (const key of ["first_name", "last_name", "join_url", "status"] as const) {
    const value = entry[key];
    if (typeof value === "string") registrant[key] = value;
  }
  return registrant;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}
