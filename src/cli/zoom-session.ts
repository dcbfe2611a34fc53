import { Agent } from "undici";
import { createJwtProvider, createS2SProvider, type TokenProvider } from "../auth/index.js";
import { systemClock } from "../shared/clock.js";
import { ZoomClient } from "../zoom/index.js";
import { defaultApiUrl, resolveCredentials, type Credentials } from "./credentials.js";

/** Credentials, one token provider and one client over one connection pool: what every command that talks to Zoom needs. */
export interface ZoomSession {
  credentials: Credentials;
  tokens: TokenProvider;
  client: ZoomClient;
  close(): Promise<void>;
}

export function openZoomSession(
  env: Readonly<Record<string, string | undefined>>,
  options: { connections: number; timeoutMs: number; userAgent: string },
): ZoomSession {
  const credentials = resolveCredentials(env);
  const dispatcher = new Agent({
    connections: options.connections,
    keepAliveTimeout: 10_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
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
  return { credentials, tokens, client, close: () => dispatcher.close() };
}
