/**
 * The small pieces shared by everything that talks HTTP through undici (the Zoom client and the S2S
 * token provider): reading a header, reading a body whatever it holds, and telling whether a failed
 * request ever left the machine.
 */
import { createRequire } from "node:module";
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { ConfigError, NetworkError } from "../errors.js";

/** Per request, headers and body each: long enough for Zoom on a bad day, short enough to notice a hang. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** `zoomreg/<version>`, read once from package.json (two levels up from both src/zoom and dist/zoom). */
export const DEFAULT_USER_AGENT = `zoomreg/${readVersion()}`;

function readVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)("../../package.json") as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

/** One header's value (the first, when repeated); undici gives lowercase names. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export interface ReadBody {
  /** The parsed JSON, or `undefined` when the body is empty or not JSON. */
  json: unknown;
  /** `true` when the body parsed as JSON. */
  isJson: boolean;
  /** What came back instead of JSON, for messages: `non-JSON body (text/html, 512 bytes)`. */
  description: string;
}

/**
 * Reads the whole body, always: an unread undici body holds its connection until it is collected
 * (undici's README, "Garbage Collection"). A body that fails mid-read throws (a transport failure).
 */
export async function readBody(response: Dispatcher.ResponseData): Promise<ReadBody> {
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const contentType = headerValue(response.headers, "content-type")?.split(";")[0]?.trim() || "no content-type";
  const description = bytes.length === 0 ? "empty body" : `non-JSON body (${contentType}, ${bytes.length} bytes)`;
  if (bytes.length === 0) return { json: undefined, isJson: false, description };
  try {
    return { json: JSON.parse(bytes.toString("utf8")) as unknown, isJson: true, description: "JSON body" };
  } catch {
    return { json: undefined, isJson: false, description };
  }
}

/**
 * Error codes meaning the request never reached the server: the name did not resolve, the connection
 * was refused or timed out, or TLS failed before a byte of the request was written. Anything else (a
 * reset, a headers or body timeout, a socket closed mid-answer) may come after Zoom received the
 * request, so the add may have happened.
 */
const NEVER_SENT_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Describes a transport failure in a few words and says whether the request may have been sent. */
export function describeTransportError(error: unknown): { reason: string; requestSent: boolean } {
  const code = errorCode(error) ?? errorCode(error instanceof Error ? error.cause : undefined);
  const message = error instanceof Error ? error.message : String(error);
  const reason = code === undefined || message.includes(code) ? message : `${code} ${message}`;
  // A proxy that would not tunnel never passed the request on to Zoom.
  const refusedByProxy = proxyRefusalStatus(error) !== undefined;
  return { reason: reason.split("\n")[0] ?? reason, requestSent: !refusedByProxy && (code === undefined || !NEVER_SENT_CODES.has(code)) };
}

/** The status a forward proxy answered instead of opening the tunnel (undici: "Proxy response (407) !== 200 when HTTP Tunneling"). */
export function proxyRefusalStatus(error: unknown): number | undefined {
  const match = /^Proxy response \((\d{3})\)/.exec(error instanceof Error ? error.message : "");
  return match === null ? undefined : Number(match[1]);
}

/**
 * The error for a request that got no answer from Zoom: a proxy that wants credentials is the
 * configuration's to fix (exit 2), not a Zoom outage to wait out; anything else is a NetworkError.
 */
export function transportError(method: string, path: string, error: unknown, answered = false): NetworkError | ConfigError {
  if (proxyRefusalStatus(error) === 407) {
    return new ConfigError(`${method} ${path} failed: the proxy asks for credentials (407 Proxy Authentication Required)`, {
      cause: error,
      hint: "put the proxy's user and password in HTTPS_PROXY (http://user:password@proxy:3128), or ask for access",
    });
  }
  const { reason, requestSent } = describeTransportError(error);
  return new NetworkError(method, path, reason, answered || requestSent, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
