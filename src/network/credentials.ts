import { ConfigError } from "../errors.js";

/** Zoom's hosts; configurable because Zoom for Government and API gateways use others (docs/zoom-facts.md). */
export const defaultApiUrl = "https://api.zoom.us/v2";
export const defaultOAuthUrl = "https://zoom.us/oauth/token";

export type Credentials =
  | { scheme: "s2s"; accountId: string; clientId: string; clientSecret: string; oauthUrl: string; apiUrl: string | undefined }
  | { scheme: "jwt"; apiKey: string; apiSecret: string; apiUrl: string };

const s2sVariables = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"] as const;
const jwtVariables = ["ZOOM_API_KEY", "ZOOM_API_SECRET"] as const;

/**
 * Picks the authentication scheme from the environment. Server-to-Server OAuth wins when both are
 * set: it is what Zoom accepts today (JWT apps were retired on 2023-09-08). Half-set credentials are
 * an error naming exactly what is missing, before any input is read.
 */
export function resolveCredentials(env: Readonly<Record<string, string | undefined>>): Credentials {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === "" ? undefined : raw;
  };
  const missing = (names: readonly string[]): string[] => names.filter((name) => value(name) === undefined);
  const s2sMissing = missing(s2sVariables);
  const jwtMissing = missing(jwtVariables);
  const apiUrl = value("ZOOM_API_URL");

  if (s2sMissing.length === 0) {
    return {
      scheme: "s2s",
      accountId: value("ZOOM_ACCOUNT_ID") ?? "",
      clientId: value("ZOOM_CLIENT_ID") ?? "",
      clientSecret: value("ZOOM_CLIENT_SECRET") ?? "",
      oauthUrl: checkUrl("ZOOM_OAUTH_URL", value("ZOOM_OAUTH_URL") ?? defaultOAuthUrl),
      apiUrl: apiUrl === undefined ? undefined : checkUrl("ZOOM_API_URL", apiUrl),
    };
  }
  if (jwtMissing.length === 0 && s2sMissing.length === s2sVariables.length) {
    return {
      scheme: "jwt",
      apiKey: value("ZOOM_API_KEY") ?? "",
      apiSecret: value("ZOOM_API_SECRET") ?? "",
      apiUrl: checkUrl("ZOOM_API_URL", apiUrl ?? defaultApiUrl),
    };
  }
  if (s2sMissing.length < s2sVariables.length) {
    throw new ConfigError(`Server-to-Server OAuth credentials are incomplete: ${s2sMissing.join(", ")} not set`, {
      hint: "set all three of ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET (environment or .env); see .env.example",
    });
  }
  if (jwtMissing.length < jwtVariables.length) {
    throw new ConfigError(`JWT credentials are incomplete: ${jwtMissing.join(", ")} not set`, {
      hint: "set both ZOOM_API_KEY and ZOOM_API_SECRET, or use Server-to-Server OAuth (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)",
    });
  }
  throw new ConfigError("no Zoom credentials: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET", {
    hint: "create a Server-to-Server OAuth app (README, 'With your Zoom account'), or use --dry-run to check a file without sending",
  });
}

function checkUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: ${JSON.stringify(raw)}`, { hint: `set ${name} to a full https:// URL` });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${name} must be an http(s) URL, got ${url.protocol}`, { hint: `set ${name} to a full https:// URL` });
  }
  return raw.replace(/\/+$/, "");
}
