import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { noProxySettings, proxySettingsFromEnv } from "../../../src/cli/proxy.js";
import { createDispatcher, openZoomSession } from "../../../src/cli/zoom-session.js";
import { startForwardProxy, type ForwardProxy } from "../../helpers/forward-proxy.js";

let server: Server | undefined;
let proxy: ForwardProxy | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  process.env = { ...savedEnv };
  await proxy?.close();
  proxy = undefined;
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A server answering 200 "hello" on 127.0.0.1: the "Zoom" of these tests. */
async function hello(): Promise<string> {
  server = createServer((_req, res) => res.end("hello"));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const timeouts = { connections: 2, timeoutMs: 5_000 };

describe("the session's dispatcher", () => {
  it("goes through the proxy the settings name", async () => {
    const origin = await hello();
    proxy = await startForwardProxy();
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url }) });
    const answer = await request(`${origin}/v2/users/me`, { dispatcher });
    expect(await answer.body.text()).toBe("hello");
    expect(proxy.requests).toEqual(["GET /v2/users/me"]);
    await dispatcher.close();
  });

  it("never reads process.env: only the CLI's environment, passed in, decides", async () => {
    const origin = await hello();
    proxy = await startForwardProxy();
    process.env.HTTP_PROXY = proxy.url;
    process.env.http_proxy = proxy.url;
    const dispatcher = createDispatcher({ ...timeouts, proxy: noProxySettings });
    const answer = await request(`${origin}/direct`, { dispatcher });
    expect(await answer.body.text()).toBe("hello");
    expect(proxy.requests).toEqual([]);
    expect(proxy.tunnels).toBe(0);
    await dispatcher.close();
  });

  it("sends a NO_PROXY host directly", async () => {
    const origin = await hello();
    proxy = await startForwardProxy();
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }) });
    await (await request(`${origin}/direct`, { dispatcher })).body.text();
    expect(proxy.tunnels).toBe(0);
    await dispatcher.close();
  });

  it("gives the proxy its credentials from the URL", async () => {
    const origin = await hello();
    proxy = await startForwardProxy({ requireCredentials: "ops:p@ss word" });
    const url = new URL(proxy.url);
    url.username = "ops";
    url.password = "p@ss word";
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: url.href }) });
    expect(await (await request(`${origin}/x`, { dispatcher })).body.text()).toBe("hello");
    expect(proxy.credentials).toEqual(["ops:p@ss word"]);
    await dispatcher.close();
  });
});

describe("openZoomSession", () => {
  it("reads the proxy from the environment it is given", async () => {
    const session = openZoomSession(
      { ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "c", ZOOM_CLIENT_SECRET: "s", https_proxy: "proxy.corp:3128", NO_PROXY: "intranet" },
      { connections: 1, timeoutMs: 1_000, userAgent: "test" },
    );
    expect(session.proxy).toMatchObject({ https: { url: "http://proxy.corp:3128", variable: "https_proxy" }, noProxy: "intranet" });
    await session.close();
  });
});
