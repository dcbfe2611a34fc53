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

/**
 * A forward proxy answered a request itself instead of passing it on to Zoom: it refused to open the
 * tunnel, or (plain http, forwarded) answered with its own page. The dispatcher that knows the proxy
 * settings (src/network/proxy-refusals.ts) raises it; `proxy` is already redacted.
 */
export class ProxyRefusal extends Error {
  constructor(
    readonly status: number,
    readonly proxy: { url: string; variable: string },
    /** `host:port` the request was for. */
    readonly target: string,
    options?: ErrorOptions,
  ) {
    super(`Proxy response (${status}) from ${proxy.url} for ${target}`, options);
    this.name = "ProxyRefusal";
  }
}

/** The status a forward proxy answered instead of opening the tunnel (undici: "Proxy response (407) !== 200 when HTTP Tunneling"). */
export function proxyRefusalStatus(error: unknown): number | undefined {
  if (error instanceof ProxyRefusal) return error.status;
  const message = error instanceof Error ? error.message : "";
  // undici's forwarding (proxyTunnel: false) says a 407 its own way.
  if (message === "Proxy Authentication Required (407)") return 407;
  const match = /^Proxy response \((\d{3})\)/.exec(message);
  return match === null ? undefined : Number(match[1]);
}

/**
 * A proxy's refusals that waiting cannot fix: it forbids the host or port (403; a default squid
 * tunnels only to 443), wants credentials (407), or will not or cannot pass this request on (501, 502).
 * Its 503 and 504 say the way to Zoom is down for now: those stay network failures, retried.
 */
export const PROXY_REFUSAL_STATUSES: ReadonlySet<number> = new Set([403, 407, 501, 502]);

/**
 * The error for a request that got no answer from Zoom: a proxy that refuses it is the configuration's
 * to fix (exit 2, naming the proxy), not a Zoom outage to wait out; anything else is a NetworkError.
 */
export function transportError(method: string, path: string, error: unknown, answered = false): NetworkError | ConfigError {
  const refusal = proxyRefusalStatus(error);
  if (refusal !== undefined && PROXY_REFUSAL_STATUSES.has(refusal)) return proxyRefusalError(method, path, refusal, error);
  const { reason, requestSent } = describeTransportError(error);
  return new NetworkError(method, path, reason, answered || requestSent, { cause: error });
}

const statusTexts: Record<number, string> = { 403: "Forbidden", 407: "Proxy Authentication Required", 501: "Not Implemented", 502: "Bad Gateway" };

function proxyRefusalError(method: string, path: string, status: number, error: unknown): ConfigError {
  const known = error instanceof ProxyRefusal ? error : undefined;
  const proxy = known === undefined ? "the proxy" : `the proxy ${known.proxy.url} (${known.proxy.variable})`;
  const variable = known?.proxy.variable ?? "HTTPS_PROXY";
  const target = known?.target ?? "the Zoom host";
  const answer = `${status} ${statusTexts[status] ?? ""}`.trim();
  if (status === 407) {
    return new ConfigError(`${method} ${path} failed: ${proxy} asks for credentials (${answer})`, {
      cause: error,
      hint: `put the proxy's user and password in ${variable} (http://user:password@proxy:3128), or ask for access`,
    });
  }
  const did = status === 403 ? "refused to pass it on to" : "could not pass it on to";
  return new ConfigError(`${method} ${path} failed: ${proxy} ${did} ${target} (${answer}); Zoom never saw it`, {
    cause: error,
    hint: `ask whoever runs the proxy to allow ${target}, check ${variable}, or name the host in NO_PROXY to connect directly`,
  });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
