/**
 * The msw adapter: msw 2 request handlers over the same core, for projects that already mock with
 * msw. msw does not intercept undici's own `request`/`Agent` (only the global fetch and node:http), so
 * `startMswFakeZoom` serves the handlers over real sockets: node:http in front, msw's `getResponse`
 * choosing the handler. It is slower than `startFakeZoom` (msw's matching and the Fetch objects: ~1,900
 * against ~12,900 requests/s for bare node:http, measured on this project's machine); use it to check
 * that the handlers behave, and the plain server for load.
 *
 * Faults: a delayed answer waits in the resolver; a dropped one is `HttpResponse.error()` (fetch
 * rejects in-process; `startMswFakeZoom` destroys the socket).
 *
 * Kept out of index.ts's static imports: loading msw takes ~0.6 s, which the CLI and the plain server
 * should not pay.
 */
import { getResponse, http, HttpResponse, type RequestHandler } from "msw";
import { FakeZoom } from "./fake-zoom.js";
import { listen, readBody } from "./http-server.js";
import { runningFakeZoom } from "./node-server.js";
import type { RunningFakeZoom, StartFakeZoomOptions } from "./types.js";

/**
 * Handlers answering from `fake`. With `baseUrl`, they take every path under it; without, they take
 * the fake's paths (`/oauth/token`, `/v2/...`, `/__fake/...`) on any origin, so code pointed at
 * `https://zoom.us/oauth/token` and `https://api.zoom.us/v2` reaches the fake through `setupServer`.
 */
export function fakeZoomHandlers(fake: FakeZoom, baseUrl?: string): RequestHandler[] {
  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = fake.handle({ method: request.method, url: new URL(request.url), headers, body: await request.text() });
    const { fault } = answer;
    if (fault !== undefined && fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    // msw's way to say "the network failed": fetch rejects; startMswFakeZoom destroys the socket.
    if (fault?.kind === "drop") return HttpResponse.error();
    return new HttpResponse(answer.body ?? null, { status: answer.status, headers: answer.headers });
  };
  if (baseUrl !== undefined) return [http.all(`${baseUrl.replace(/\/+$/, "")}/*`, resolver)];
  return [http.all("*/oauth/token", resolver), http.all("*/v2/*", resolver), http.all("*/__fake/*", resolver)];
}

/** Headers a proxy must not forward (RFC 9110 section 7.6.1), plus the ones the Request sets itself. */
const unforwardedHeaders = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"]);

export async function startMswFakeZoom(options: StartFakeZoomOptions = {}): Promise<RunningFakeZoom> {
  const { port = 0, host = "127.0.0.1", ...fakeOptions } = options;
  const fake = new FakeZoom(fakeOptions);
  let handlers: RequestHandler[] = [];
  const server = await listen(host, port, (request, response, baseUrl) => {
    readBody(request, (body) => {
      const method = request.method ?? "GET";
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || unforwardedHeaders.has(name)) continue;
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const fetchRequest = new Request(new URL(request.url ?? "/", baseUrl), {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body }),
      });
      void answerThroughMsw(handlers, fetchRequest).then(async (answer) => {
        if (answer.type === "error") {
          request.socket.destroy();
          return;
        }
        const text = await answer.text();
        const outgoing: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          outgoing[name] = value;
        });
        outgoing["content-length"] = String(Buffer.byteLength(text));
        response.writeHead(answer.status, outgoing);
        response.end(text);
      });
    });
  });
  handlers = fakeZoomHandlers(fake, server.url);
  return runningFakeZoom(server.url, fake, () => server.close());
}

/** msw answers undefined when no handler matches; the catch-all handler makes that a bug, shown as a 500. */
async function answerThroughMsw(handlers: RequestHandler[], request: Request): Promise<Response> {
  try {
    const answer = await getResponse(handlers, request);
    return answer ?? Response.json({ code: 500, message: `fake Zoom (msw): no handler for ${request.method} ${request.url}` }, { status: 500 });
  } catch (error) {
    return Response.json({ code: 500, message: `fake Zoom (msw) failed: ${error instanceof Error ? error.message : String(error)}` }, { status: 500 });
  }
}
