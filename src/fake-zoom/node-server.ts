/**
 * The fast adapter: the core behind a bare node:http server. No framework sits in between, because a
 * benchmark needs the fake to outrun the client (>= 3,000 requests/s; msw behind getResponse measured
 * ~1,900 here, plain node:http ~12,900). It also carries out the core's `fault` directives: it waits
 * (real time, a timer) before answering, or destroys the connection without an answer.
 */
import type { ServerResponse } from "node:http";
import { FakeZoom } from "./fake-zoom.js";
import { headerRecord, listen, readBody, writeFakeResponse } from "./http-server.js";
import type { FakeResponse, RunningFakeZoom, StartFakeZoomOptions } from "./types.js";

export async function startFakeZoom(options: StartFakeZoomOptions = {}): Promise<RunningFakeZoom> {
  const { port = 0, host = "127.0.0.1", ...fakeOptions } = options;
  const fake = new FakeZoom(fakeOptions);
  const delivery = new DelayedDelivery();
  const server = await listen(host, port, (request, response, baseUrl) => {
    readBody(request, (body) => {
      const answer = fake.handle({
        method: request.method ?? "GET",
        url: new URL(request.url ?? "/", baseUrl),
        headers: headerRecord(request.headers),
        body,
      });
      delivery.deliver(response, answer);
    });
  });
  return runningFakeZoom(server.url, fake, async () => {
    delivery.cancelAll();
    await server.close();
  });
}

/** Answers now, later, or never, as the core's `fault` says; pending timers die with the server. */
export class DelayedDelivery {
  private readonly pending = new Set<NodeJS.Timeout>();

  deliver(response: ServerResponse, answer: FakeResponse): void {
    const { fault } = answer;
    if (fault === undefined) {
      writeFakeResponse(response, answer);
      return;
    }
    const act = (): void => {
      // A drop: the client sees the connection close with no answer (after executing or not).
      if (fault.kind === "drop") response.socket?.destroy();
      else if (!response.destroyed) writeFakeResponse(response, answer);
    };
    if (fault.delayMs <= 0) {
      act();
      return;
    }
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      act();
    }, fault.delayMs);
    this.pending.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

export function runningFakeZoom(url: string, fake: FakeZoom, close: () => Promise<void>): RunningFakeZoom {
  const apiUrl = `${url}/v2`;
  const oauthUrl = `${url}/oauth/token`;
  const { accountId, clientId, clientSecret } = fake.credentials;
  const env = Object.freeze({ ZOOM_API_URL: apiUrl, ZOOM_OAUTH_URL: oauthUrl, ZOOM_ACCOUNT_ID: accountId, ZOOM_CLIENT_ID: clientId, ZOOM_CLIENT_SECRET: clientSecret });
  return { url, apiUrl, oauthUrl, fake, env, close };
}
