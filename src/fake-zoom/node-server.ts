/**
 * The fast adapter: the core behind a bare node:http server. No framework sits in between, because a
 * benchmark needs the fake to outrun the client (>= 3,000 requests/s; msw behind getResponse measured
 * ~1,900 here, plain node:http ~12,900).
 */
import { FakeZoom } from "./fake-zoom.js";
import { headerRecord, listen, readBody, writeFakeResponse } from "./http-server.js";
import type { RunningFakeZoom, StartFakeZoomOptions } from "./types.js";

export async function startFakeZoom(options: StartFakeZoomOptions = {}): Promise<RunningFakeZoom> {
  const { port = 0, host = "127.0.0.1", ...fakeOptions } = options;
  const fake = new FakeZoom(fakeOptions);
  const server = await listen(host, port, (request, response, baseUrl) => {
    readBody(request, (body) => {
      const answer = fake.handle({
        method: request.method ?? "GET",
        url: new URL(request.url ?? "/", baseUrl),
        headers: headerRecord(request.headers),
        body,
      });
      writeFakeResponse(response, answer);
    });
  });
  return runningFakeZoom(server.url, fake, () => server.close());
}

export function runningFakeZoom(url: string, fake: FakeZoom, close: () => Promise<void>): RunningFakeZoom {
  return { url, apiUrl: `${url}/v2`, oauthUrl: `${url}/oauth/token`, fake, close };
}
