import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { noProxySettings, proxySettingsFromEnv } from "../../../src/network/proxy.js";
import { createDispatcher, openZoomSession } from "../../../src/network/zoom-session.js";
import { ProxyRefusal } from "../../../src/zoom/transport.js";
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

/** A server answering 200 "hello" on 127.0.0.1: the "Zoom" of these tests (`status`: its own answer instead, Zoom-style). */
async function hello(status = 200): Promise<string> {
  server = createServer((_req, res) => res.writeHead(status, { "x-zm-trackingid": "v=2.0;rid=test" }).end("hello"));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const timeouts = { connections: 2, timeoutMs: 5_000 };

describe("the session's dispatcher", () => {
  it("goes through the proxy the settings name, forwarding a plain-http request without a tunnel", async () => {
    const origin = await hello();
    proxy = await startForwardProxy({ refuseConnect: true });
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url }) });
    const answer = await request(`${origin}/v2/users/me`, { dispatcher });
    expect(await answer.body.text()).toBe("hello");
    expect(proxy.requests).toEqual(["GET /v2/users/me"]);
    expect([proxy.tunnels, proxy.refused]).toEqual([0, 0]);
    await dispatcher.close();
  });

  it("raises the proxy's own refusal of a forwarded request as a ProxyRefusal naming the proxy, its password hidden", async () => {
    const origin = await hello();
    proxy = await startForwardProxy({ refuseAll: 403 });
    const url = proxy.url.replace("http://", "http://ops:hunter2@");
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: url }) });
    const error = await request(`${origin}/v2/users/me`, { dispatcher }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProxyRefusal);
    expect(error).toMatchObject({ status: 403, proxy: { url: proxy.url.replace("http://", "http://ops:***@"), variable: "HTTP_PROXY" }, target: new URL(origin).host });
    await dispatcher.close();
  });

  it("passes Zoom's own 403 through a proxy as Zoom's answer (it carries Zoom's tracking id)", async () => {
    const origin = await hello(403);
    proxy = await startForwardProxy();
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url }) });
    const answer = await request(`${origin}/v2/users/me`, { dispatcher });
    expect([answer.statusCode, await answer.body.text()]).toEqual([403, "hello"]);
    await dispatcher.close();
  });

  it("raises a forwarded request's 407 as a ProxyRefusal", async () => {
    const origin = await hello();
    proxy = await startForwardProxy({ requireCredentials: "ops:hunter2" });
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url }) });
    const error = await request(`${origin}/v2/users/me`, { dispatcher }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: "ProxyRefusal", status: 407 });
    await dispatcher.close();
  });

  it("raises a refused tunnel as a ProxyRefusal naming the proxy", async () => {
    proxy = await startForwardProxy({ refuseConnect: true });
    const dispatcher = createDispatcher({ ...timeouts, proxy: proxySettingsFromEnv({ HTTPS_PROXY: proxy.url }) });
    const error = await request("https://zoom.invalid/oauth/token", { dispatcher }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: "ProxyRefusal", status: 403, proxy: { variable: "HTTPS_PROXY" }, target: "zoom.invalid" });
    expect(proxy.refused).toBe(1);
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
