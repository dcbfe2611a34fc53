import { describe, expect, it } from "vitest";
import {
  bypassesProxy,
  describeProxyRoutes,
  noProxySettings,
  proxyFor,
  proxyRoutes,
  proxySettingsFromEnv,
  redactProxyUrl,
} from "../../../src/network/proxy.js";
import { ConfigError } from "../../../src/errors.js";

const zoomUrls = ["https://zoom.us/oauth/token", "https://api.zoom.us/v2"];

describe("proxySettingsFromEnv", () => {
  it("reads nothing when no variable is set", () => {
    expect(proxySettingsFromEnv({})).toEqual(noProxySettings);
  });

  it("takes HTTPS_PROXY for https and HTTP_PROXY for http, and falls back to HTTP_PROXY for https", () => {
    expect(proxySettingsFromEnv({ HTTPS_PROXY: "http://secure:3128", HTTP_PROXY: "http://plain:3128" })).toMatchObject({
      http: { url: "http://plain:3128", variable: "HTTP_PROXY" },
      https: { url: "http://secure:3128", variable: "HTTPS_PROXY" },
    });
    expect(proxySettingsFromEnv({ HTTP_PROXY: "http://plain:3128" }).https).toEqual({ url: "http://plain:3128", variable: "HTTP_PROXY" });
    expect(proxySettingsFromEnv({ HTTPS_PROXY: "http://secure:3128" }).http).toBeUndefined();
  });

  it("prefers the lower-case forms, as undici and curl do, and treats an empty value as unset", () => {
    const settings = proxySettingsFromEnv({ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2", no_proxy: "", NO_PROXY: "internal.example" });
    expect(settings.https).toEqual({ url: "http://lower:1", variable: "https_proxy" });
    expect(settings).toMatchObject({ noProxy: "internal.example", noProxyVariable: "NO_PROXY" });
  });

  it("reads host:port without a scheme as an http proxy", () => {
    expect(proxySettingsFromEnv({ HTTPS_PROXY: "proxy.corp:3128" }).https?.url).toBe("http://proxy.corp:3128");
  });

  it.each(["socks5://proxy:1080", "ftp://proxy", "http://", "http://user:hunter2@"])("refuses %s in one line, without the password", (value) => {
    let thrown: unknown;
    try {
      proxySettingsFromEnv({ HTTPS_PROXY: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toMatch(/^HTTPS_PROXY is not an http\(s\) proxy URL: /);
    expect((thrown as ConfigError).hint).toMatch(/http:\/\/host:port/);
    expect((thrown as ConfigError).message).not.toContain("hunter2");
  });
});

describe("redactProxyUrl", () => {
  it.each([
    ["http://user:hunter2@proxy:3128", "http://user:***@proxy:3128"],
    ["http://user:p%40ss@proxy:3128/", "http://user:***@proxy:3128"],
    ["http://token-as-user@proxy:3128", "http://***@proxy:3128"],
    ["https://proxy.corp", "https://proxy.corp"],
    ["not a url user:hunter2@host", "***@host"],
  ])("%s -> %s", (raw, shown) => {
    expect(redactProxyUrl(raw)).toBe(shown);
  });
});

describe("bypassesProxy (undici's NO_PROXY rules)", () => {
  const url = (raw: string): URL => new URL(raw);
  it.each([
    ["", "https://api.zoom.us", false],
    ["*", "https://api.zoom.us", true],
    ["zoom.us", "https://api.zoom.us/v2", true],
    ["zoom.us", "https://zoom.us/oauth/token", true],
    [".zoom.us", "https://api.zoom.us", true],
    ["*.zoom.us", "https://api.zoom.us", true],
    ["myzoom.us", "https://zoom.us", false],
    ["api.zoom.us:443", "https://api.zoom.us", true],
    ["api.zoom.us:8443", "https://api.zoom.us", false],
    ["localhost, 127.0.0.1", "http://127.0.0.1:9999/v2", true],
    ["localhost", "http://127.0.0.1:9999/v2", false],
  ])("NO_PROXY=%j for %s: %s", (noProxy, target, direct) => {
    expect(bypassesProxy(noProxy, url(target))).toBe(direct);
  });

  it("sends a loopback address through the proxy when NO_PROXY does not name it (undici has no loopback default)", () => {
    const settings = proxySettingsFromEnv({ HTTP_PROXY: "http://127.0.0.1:3128" });
    expect(proxyFor(settings, url("http://127.0.0.1:9999/v2"))?.url).toBe("http://127.0.0.1:3128");
  });
});

describe("the check's network line", () => {
  it("says no proxy when none is set", () => {
    expect(describeProxyRoutes(proxyRoutes(noProxySettings, zoomUrls))).toBe("network: no proxy (HTTPS_PROXY and HTTP_PROXY not set) for zoom.us, api.zoom.us");
  });

  it("names the proxy without its password, and the variable it came from", () => {
    const settings = proxySettingsFromEnv({ HTTPS_PROXY: "http://ops:hunter2@proxy.corp:3128" });
    const line = describeProxyRoutes(proxyRoutes(settings, zoomUrls));
    expect(line).toBe("network: proxy http://ops:***@proxy.corp:3128 (HTTPS_PROXY) for zoom.us, api.zoom.us");
    expect(JSON.stringify(proxyRoutes(settings, zoomUrls))).not.toContain("hunter2");
  });

  it("says which Zoom hosts NO_PROXY sends directly", () => {
    const settings = proxySettingsFromEnv({ HTTPS_PROXY: "http://proxy.corp:3128", no_proxy: "api.zoom.us" });
    expect(describeProxyRoutes(proxyRoutes(settings, zoomUrls))).toBe("network: proxy http://proxy.corp:3128 (HTTPS_PROXY) for zoom.us; no proxy: no_proxy excludes api.zoom.us");
    expect(proxyRoutes(settings, zoomUrls)[1]).toEqual({ host: "api.zoom.us", proxy: null, variable: null, excludedBy: "no_proxy", unset: null });
  });

  it("says HTTP_PROXY alone is missing for an http:// Zoom (the fake)", () => {
    const settings = proxySettingsFromEnv({ HTTPS_PROXY: "http://proxy.corp:3128" });
    expect(describeProxyRoutes(proxyRoutes(settings, ["http://127.0.0.1:9999/oauth/token", "http://127.0.0.1:9999/v2"]))).toBe(
      "network: no proxy (HTTP_PROXY not set) for 127.0.0.1:9999",
    );
  });
});
