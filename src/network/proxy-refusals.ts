/**
 * Tells a forward proxy's own refusals from Zoom's answers, where only the dispatcher knows a proxy was
 * in the way. A refused tunnel (https) arrives as undici's "Proxy response (403) !== 200" error; a
 * plain-http request, forwarded without a tunnel, gets the proxy's page as if it were Zoom's answer:
 * a refusal status without Zoom's `x-zm-trackingid`, which every Zoom answer carries (docs/zoom-facts.md,
 * "Add body"). Both become a ProxyRefusal naming the proxy, which src/zoom/transport.ts turns into a
 * ConfigError (exit 2) rather than a Zoom outage retried until exit 5.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";
import type { Dispatcher } from "undici";
import { PROXY_REFUSAL_STATUSES, ProxyRefusal, proxyRefusalStatus } from "../zoom/transport.js";
import { proxyFor, redactProxyUrl, type ProxySettings } from "./proxy.js";

/** The dispatcher, with each proxied request's proxy refusals raised as ProxyRefusal errors. */
export function withProxyRefusals(dispatcher: Dispatcher, settings: ProxySettings): Dispatcher {
  if (settings.http === undefined && settings.https === undefined) return dispatcher;
  return dispatcher.compose((dispatch) => (options, handler) => {
    const target = new URL(String(options.origin));
    const choice = proxyFor(settings, target);
    if (choice === undefined) return dispatch(options, handler);
    const proxy = { url: redactProxyUrl(choice.url), variable: choice.variable };
    return dispatch(options, new ProxyAnswerHandler(handler, proxy, target));
  });
}

/** A proxy's own answer to a forwarded request: a refusal status, and not from Zoom. */
export function isProxyOwnAnswer(statusCode: number, headers: IncomingHttpHeaders): boolean {
  return PROXY_REFUSAL_STATUSES.has(statusCode) && headers["x-zm-trackingid"] === undefined;
}

/** Passes everything through to `inner`, except the proxy's own answers and errors, raised as ProxyRefusal. */
class ProxyAnswerHandler implements Dispatcher.DispatchHandler {
  private refusal: ProxyRefusal | undefined;
  private ended = false;

  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly proxy: { url: string; variable: string },
    private readonly target: URL,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: Duplex): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    // Only a forwarded (plain-http) request can get the proxy's page as its answer; a tunnel's answers are the far end's.
    if (this.target.protocol === "http:" && isProxyOwnAnswer(statusCode, headers)) {
      this.refusal = new ProxyRefusal(statusCode, this.proxy, this.target.host);
      return;
    }
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.refusal === undefined && !this.ended) this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    if (this.ended) return;
    this.ended = true;
    if (this.refusal !== undefined) this.inner.onResponseError?.(controller, this.refusal);
    else this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    if (this.ended) return;
    this.ended = true;
    const status = this.refusal?.status ?? proxyRefusalStatus(error);
    this.inner.onResponseError?.(controller, status === undefined ? error : new ProxyRefusal(status, this.proxy, this.target.host, { cause: error }));
  }
}
