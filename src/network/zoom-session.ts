import type { Dispatcher } from "undici";
import { EnvHttpProxyAgent } from "../zoom/undici.js";
import { createJwtProvider, createS2SProvider, type TokenProvider } from "../auth/index.js";
import { systemClock } from "../shared/clock.js";
import { ZoomClient } from "../zoom/index.js";
import { defaultApiUrl, resolveCredentials, type Credentials } from "./credentials.js";
import { proxySettingsFromEnv, type ProxySettings } from "./proxy.js";
import { withProxyRefusals } from "./proxy-refusals.js";

/** Credentials, one token provider and one client over one connection pool: what every command that talks to Zoom needs. */
export interface ZoomSession {
  credentials: Credentials;
  tokens: TokenProvider;
  client: ZoomClient;
  /** The proxies the token and the API go through (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  proxy: ProxySettings;
  close(): Promise<void>;
}

export interface ZoomSessionOptions {
  connections: number;
  timeoutMs: number;
  userAgent: string;
  /** Default: read from `env`, the CLI's environment (proxy.ts). */
  proxy?: ProxySettings;
}

export function openZoomSession(env: Readonly<Record<string, string | undefined>>, options: ZoomSessionOptions): ZoomSession {
  const credentials = resolveCredentials(env);
  const proxy = options.proxy ?? proxySettingsFromEnv(env);
  const dispatcher = createDispatcher({ ...options, proxy });
  const tokens: TokenProvider =
    credentials.scheme === "s2s"
      ? createS2SProvider({
          accountId: credentials.accountId,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          oauthUrl: credentials.oauthUrl,
          dispatcher,
          clock: systemClock,
        })
      : createJwtProvider({ apiKey: credentials.apiKey, apiSecret: credentials.apiSecret, clock: systemClock });
  const apiUrl = credentials.apiUrl;
  const client = new ZoomClient({
    // ZOOM_API_URL wins; else the S2S token's api_url (the account's region); else Zoom's default.
    baseUrl: () => apiUrl ?? tokens.apiBaseUrl() ?? defaultApiUrl,
    tokens,
    dispatcher,
    timeoutMs: options.timeoutMs,
    clock: systemClock,
    userAgent: options.userAgent,
  });
  return { credentials, tokens, client, proxy, close: () => dispatcher.close() };
}

/**
 * One dispatcher for the token and the API: direct, or through the proxy the settings name. Every
 * setting is passed explicitly ("" for none), so undici never falls back to process.env. Plain-http
 * targets (a gateway, the fake) are forwarded as absolute-URI requests, not tunnelled: a default squid
 * refuses CONNECT to any port but 443 (`proxyTunnel: false`, undici's ProxyAgent); https always tunnels.
 */
export function createDispatcher(options: { connections: number; timeoutMs: number; proxy: ProxySettings }): Dispatcher {
  const agent = new EnvHttpProxyAgent({
    connections: options.connections,
    keepAliveTimeout: 10_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    httpProxy: options.proxy.http?.url ?? "",
    httpsProxy: options.proxy.https?.url ?? "",
    noProxy: options.proxy.noProxy,
    proxyTunnel: false,
  });
  return withProxyRefusals(agent, options.proxy);
}
