/**
 * Bearer tokens for a Server-to-Server OAuth app (docs/zoom-facts.md, "Authentication";
 * https://developers.zoom.us/docs/internal-apps/s2s-oauth/): `POST https://zoom.us/oauth/token` with
 * Basic auth and `grant_type=account_credentials&account_id=...`. There is no refresh token, so a new
 * token is fetched `refreshEarlyMs` before the old one expires. One token per run, fetched by one
 * request however many workers ask at once (single-flight): historically a new token could invalidate
 * the previous one, and N workers fetching N tokens would each spend the others'.
 *
 * The token endpoint lives on another host than the API (zoom.us, not api.zoom.us), so undici keeps
 * it in a pool of its own: a token fetch never queues behind the API requests waiting for it (octokit:
 * "should not deadlock concurrent auth requests").
 */
import type { Dispatcher } from "undici";
import { ApiError, AuthError, RateLimitError } from "../errors.js";
import type { ApiErrorDetails } from "../errors.js";
import type { Clock } from "../shared/clock.js";
import { parseRetryAfter } from "../zoom/retry-after.js";
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, headerValue, readBody, transportError } from "../zoom/transport.js";
import { getGlobalDispatcher } from "../zoom/undici.js";
import type { ReadBody } from "../zoom/transport.js";
import { effectiveRefreshEarlyMs, waitFor } from "./token-provider.js";
import type { TokenProvider } from "./token-provider.js";

export interface S2SProviderOptions {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** `https://zoom.us/oauth/token`; other hosts for Zoom for Government. */
  oauthUrl: string;
  /** Defaults to undici's global dispatcher; tests pass a MockAgent. */
  dispatcher?: Dispatcher;
  clock: Clock;
  refreshEarlyMs?: number;
  /** Headers timeout and body timeout, each. */
  timeoutMs?: number;
}

const DEFAULT_REFRESH_EARLY_MS = 60_000;
/** Zoom's tokens last an hour (`expires_in: 3600`); used only when the answer leaves it out. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;
const CHECK_CREDENTIALS = "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET, and that the Server-to-Server OAuth app is activated";

interface CurrentToken {
  token: string;
  refreshAtMs: number;
}

export function createS2SProvider(options: S2SProviderOptions): TokenProvider {
  const refreshEarlyMs = options.refreshEarlyMs ?? DEFAULT_REFRESH_EARLY_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoint = new URL(options.oauthUrl);
  // For messages: the endpoint without its query (never a secret in a message, even a query one).
  const endpointLabel = `${endpoint.origin}${endpoint.pathname}`;
  let current: CurrentToken | undefined;
  let info: { scopes: readonly string[] | undefined; expiresAtMs: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let apiBase: string | undefined;

  async function fetchToken(): Promise<string> {
    const startedAtMs = options.clock.now();
    let response: Dispatcher.ResponseData;
    let read: ReadBody;
    try {
      // The dispatcher's own request(), as the client's: undici's top-level request() is its index, ~85 ms to load.
      response = await (options.dispatcher ?? getGlobalDispatcher()).request({
        origin: endpoint.origin,
        path: `${endpoint.pathname}${endpoint.search}`,
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "user-agent": DEFAULT_USER_AGENT,
        },
        body: new URLSearchParams({ grant_type: "account_credentials", account_id: options.accountId }).toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      read = await readBody(response);
    } catch (error) {
      throw transportError("POST", endpointLabel, error);
    }
    const status = response.statusCode;
    if (status < 200 || status >= 300) throw refusal(status, response.headers, read, startedAtMs);

    const answer = (typeof read.json === "object" && read.json !== null ? read.json : {}) as Record<string, unknown>;
    const { access_token: token, expires_in: expiresInSeconds, api_url: apiUrl, scope } = answer;
    if (typeof token !== "string" || token === "") {
      throw new ApiError(details(status, response.headers, `answered without an access_token (${read.description})`));
    }
    const lifetimeMs =
      (typeof expiresInSeconds === "number" && expiresInSeconds > 0 ? expiresInSeconds : DEFAULT_EXPIRES_IN_SECONDS) * 1000;
    // Counted from when the request started: the token cannot outlive that by more than expires_in.
    current = { token, refreshAtMs: startedAtMs + lifetimeMs - effectiveRefreshEarlyMs(refreshEarlyMs, lifetimeMs) };
    info = { scopes: typeof scope === "string" ? scope.split(/\s+/).filter((s) => s !== "") : undefined, expiresAtMs: startedAtMs + lifetimeMs };
    if (typeof apiUrl === "string" && apiUrl !== "") apiBase = `${apiUrl.replace(/\/+$/, "")}/v2`;
    return token;
  }

  function details(status: number, headers: Dispatcher.ResponseData["headers"], zoomMessage: string): ApiErrorDetails {
    return {
      method: "POST",
      path: endpointLabel,
      status,
      code: undefined,
      zoomMessage: redact(zoomMessage),
      trackingId: headerValue(headers, "x-zm-trackingid"),
    };
  }

  /**
   * The token endpoint's refusals look like `400 {"reason":"Invalid client_id or client_secret",
   * "error":"invalid_client"}`: the credentials (or the app's state) are wrong, and retrying cannot help.
   */
  function refusal(status: number, headers: Dispatcher.ResponseData["headers"], read: ReadBody, nowMs: number): Error {
    const { reason, error } = (typeof read.json === "object" && read.json !== null ? read.json : {}) as Record<string, unknown>;
    const said = [typeof error === "string" ? error : undefined, typeof reason === "string" ? reason : undefined]
      .filter((part) => part !== undefined && part.trim() !== "")
      .join(": ");
    const zoomSaid = said === "" ? read.description : said;
    if (status === 429) {
      return new RateLimitError(details(status, headers, zoomSaid), "qps", parseRetryAfter(headerValue(headers, "retry-after"), nowMs));
    }
    if (status >= 500) return new ApiError(details(status, headers, zoomSaid));
    const check = status === 400 || status === 401 || status === 403 ? CHECK_CREDENTIALS : "check the OAuth token URL";
    return new AuthError(`Zoom's token endpoint refused the credentials (${status} ${redact(zoomSaid)}): ${check}`, status);
  }

  /** Zoom's reason never holds the secret today; this keeps it so if an endpoint ever echoes it back. */
  function redact(text: string): string {
    const oneLine = text.replace(/\s+/g, " ").trim().slice(0, 300);
    return options.clientSecret === "" ? oneLine : oneLine.split(options.clientSecret).join("[redacted]");
  }

  return {
    scheme: "s2s",
    getToken(signal?: AbortSignal): Promise<string> {
      if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
      if (current !== undefined && options.clock.now() < current.refreshAtMs) return Promise.resolve(current.token);
      // The shared fetch ignores every caller's signal: one worker giving up must not fail the others.
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return waitFor(inFlight, signal);
    },
    invalidate(token: string): void {
      // A late 401 for an older token must not throw away the newer one another worker fetched.
      if (current?.token === token) current = undefined;
    },
    apiBaseUrl: () => apiBase,
    tokenInfo: () => info,
  };
}
