/**
 * The forward proxy a server reaches Zoom through, from HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their
 * lower-case forms, which win, as in undici and curl). Read here, from the CLI's environment, and
 * handed to the session as plain settings: undici's EnvHttpProxyAgent never reads process.env itself.
 *
 * Proxy URLs may carry a password (`http://user:pass@proxy:3128`): only `redactProxyUrl` output ever
 * goes into a message, a log line or a report.
 */
import { ConfigError } from "../errors.js";

/** One proxy URL and the variable that set it, for messages. */
export interface ProxyChoice {
  url: string;
  variable: string;
}

/** What EnvHttpProxyAgent needs: the proxy for http:// and for https:// targets, and the bypass list. */
export interface ProxySettings {
  http: ProxyChoice | undefined;
  /** HTTPS_PROXY, else HTTP_PROXY (as EnvHttpProxyAgent does). */
  https: ProxyChoice | undefined;
  /** The raw NO_PROXY list ("" when unset): comma or space separated hosts, `.suffix`, `*.suffix`, `host:port`, `*`. */
  noProxy: string;
  noProxyVariable: string | undefined;
}

export const noProxySettings: ProxySettings = { http: undefined, https: undefined, noProxy: "", noProxyVariable: undefined };

/** Reads the proxy variables; refuses (exit 2) a proxy value that is not an http(s) URL. */
export function proxySettingsFromEnv(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const http = proxyVariable(env, "HTTP_PROXY");
  const https = proxyVariable(env, "HTTPS_PROXY") ?? http;
  const noProxy = firstSet(env, "NO_PROXY");
  return { http, https, noProxy: noProxy?.value ?? "", noProxyVariable: noProxy?.variable };
}

function proxyVariable(env: Readonly<Record<string, string | undefined>>, name: string): ProxyChoice | undefined {
  const set = firstSet(env, name);
  return set === undefined ? undefined : { url: checkProxyUrl(set.variable, set.value), variable: set.variable };
}

/** The lower-case form first, as undici and curl read them; an empty value counts as unset. */
function firstSet(env: Readonly<Record<string, string | undefined>>, name: string): { variable: string; value: string } | undefined {
  for (const variable of [name.toLowerCase(), name]) {
    const value = env[variable]?.trim();
    if (value !== undefined && value !== "") return { variable, value };
  }
  return undefined;
}

/** `proxy:3128` means `http://proxy:3128`, as curl reads it; anything else must be an http(s) URL with a host. */
export function checkProxyUrl(variable: string, raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new ConfigError(`${variable} is not an http(s) proxy URL: ${redactRawUrl(raw)}`, {
      hint: `set ${variable} to http://host:port (or http://user:password@host:port), or unset it to connect directly`,
    });
  }
  return withScheme;
}

/** `http://user:***@proxy:3128`: the password (or a lone user name, often a token) never shown. */
export function redactProxyUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactRawUrl(raw);
  }
  const user = url.password !== "" ? `${url.username}:***@` : url.username !== "" ? "***@" : "";
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.protocol}//${user}${url.host}${path}`;
}

/** For a value that does not parse: whatever sits between `//` (or the start) and `@` is dropped. */
function redactRawUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, (_match, scheme: string | undefined) => `${scheme ?? ""}***@`);
}

const defaultPorts: Record<string, number> = { "http:": 80, "https:": 443 };

/**
 * Whether NO_PROXY sends a request to `target` directly: the rules of undici's EnvHttpProxyAgent
 * (`*` all; `host` and its subdomains; `.host` and `*.host` likewise; `host:port` that port only).
 */
export function bypassesProxy(noProxy: string, target: URL): boolean {
  const entries = noProxy.split(/[,\s]/).filter((entry) => entry !== "");
  if (entries.length === 0) return false;
  if (noProxy === "*") return true;
  // URL.host keeps an IPv6 address's brackets, as undici compares it.
  const hostname = target.host.replace(/:\d*$/, "").toLowerCase();
  const port = Number.parseInt(target.port, 10) || defaultPorts[target.protocol] || 0;
  return entries.some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed?.[1] ?? entry).replace(/^\*?\./, "").toLowerCase();
    const entryPort = parsed?.[2] === undefined ? 0 : Number.parseInt(parsed[2], 10);
    if (entryPort !== 0 && entryPort !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

/** The proxy a request to `target` goes through, or undefined when it connects directly. */
export function proxyFor(settings: ProxySettings, target: URL): ProxyChoice | undefined {
  const choice = target.protocol === "https:" ? settings.https : settings.http;
  if (choice === undefined || bypassesProxy(settings.noProxy, target)) return undefined;
  return choice;
}

/** One route per Zoom host: the proxy it goes through (redacted), or direct and why. */
export interface ProxyRoute {
  host: string;
  proxy: string | null;
  variable: string | null;
  /** The NO_PROXY variable when it is what sends this host directly. */
  excludedBy: string | null;
  /** The variables that, set, would have proxied this host (for "not set"). */
  unset: string | null;
}

export function proxyRoutes(settings: ProxySettings, zoomUrls: readonly string[]): ProxyRoute[] {
  const routes = new Map<string, ProxyRoute>();
  for (const raw of zoomUrls) {
    const target = new URL(raw);
    if (routes.has(target.host)) continue;
    const choice = target.protocol === "https:" ? settings.https : settings.http;
    const excluded = choice !== undefined && bypassesProxy(settings.noProxy, target);
    const used = choice !== undefined && !excluded;
    routes.set(target.host, {
      host: target.host,
      proxy: used ? redactProxyUrl(choice.url) : null,
      variable: used ? choice.variable : null,
      excludedBy: excluded ? (settings.noProxyVariable ?? "NO_PROXY") : null,
      unset: choice === undefined ? (target.protocol === "https:" ? "HTTPS_PROXY and HTTP_PROXY" : "HTTP_PROXY") : null,
    });
  }
  return [...routes.values()];
}

/**
 * The report's one network line: `network: proxy http://user:***@proxy:3128 (HTTPS_PROXY) for
 * zoom.us, api.zoom.us`, or `no proxy for ... (HTTPS_PROXY and HTTP_PROXY not set)`, and which Zoom
 * hosts NO_PROXY sends directly.
 */
export function describeProxyRoutes(routes: readonly ProxyRoute[]): string {
  const groups = new Map<string, string[]>();
  const add = (key: string, host: string): void => void groups.set(key, [...(groups.get(key) ?? []), host]);
  for (const route of routes) {
    if (route.proxy !== null) add(`proxy ${route.proxy} (${route.variable ?? ""}) for `, route.host);
    else if (route.excludedBy !== null) add(`no proxy: ${route.excludedBy} excludes `, route.host);
    else add(`no proxy (${route.unset ?? "HTTPS_PROXY and HTTP_PROXY"} not set) for `, route.host);
  }
  return `network: ${[...groups].map(([what, hosts]) => `${what}${hosts.join(", ")}`).join("; ")}`;
}
