import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { ConfigError, NetworkError } from "../../../src/errors.js";
import { DEFAULT_USER_AGENT, describeTransportError, ProxyRefusal, transportError } from "../../../src/zoom/transport.js";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("describeTransportError", () => {
  it.each([
    ["a refused connection", withCode("connect ECONNREFUSED 127.0.0.1:443", "ECONNREFUSED"), false],
    ["a name that does not resolve", withCode("getaddrinfo ENOTFOUND api.zoom.us", "ENOTFOUND"), false],
    ["a connect timeout", new errors.ConnectTimeoutError(), false],
    ["a certificate that does not match", withCode("Hostname/IP does not match", "ERR_TLS_CERT_ALTNAME_INVALID"), false],
    ["a refused connection wrapped in a cause", new Error("fetch failed", { cause: withCode("connect ECONNREFUSED", "ECONNREFUSED") }), false],
    ["a reset connection", withCode("read ECONNRESET", "ECONNRESET"), true],
    ["a headers timeout", new errors.HeadersTimeoutError(), true],
    ["a body timeout", new errors.BodyTimeoutError(), true],
    ["a socket closed mid-answer", new errors.SocketError("other side closed"), true],
    ["an error without a code", new Error("something odd"), true],
  ])("says whether %s may have reached Zoom", (_label, error, requestSent) => {
    expect(describeTransportError(error).requestSent).toBe(requestSent);
  });

  it("names the error code in the reason", () => {
    expect(describeTransportError(withCode("socket hang up", "ECONNRESET")).reason).toBe("ECONNRESET socket hang up");
  });
});

describe("DEFAULT_USER_AGENT", () => {
  it("carries the package version", () => {
    expect(DEFAULT_USER_AGENT).toMatch(/^zoomreg\/\d+\.\d+\.\d+/);
  });
});

describe("transportError", () => {
  const tunnelRefused = (status: number) => new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`);

  it("turns a proxy that asks for credentials into a ConfigError naming the fix", () => {
    const error = transportError("POST", "/meetings/1/registrants", tunnelRefused(407));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("POST /meetings/1/registrants failed: the proxy asks for credentials (407 Proxy Authentication Required)");
  });

  it("says a request the proxy could not tunnel for now (503) never reached Zoom, to be retried", () => {
    const error = transportError("POST", "/meetings/1/registrants", tunnelRefused(503));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).requestSent).toBe(false);
  });

  const proxy = { url: "http://ops:***@proxy:3128", variable: "HTTPS_PROXY" };
  it.each([
    [403, "refused to pass it on to api.zoom.us:443 (403 Forbidden)"],
    [501, "could not pass it on to api.zoom.us:443 (501 Not Implemented)"],
    [502, "could not pass it on to api.zoom.us:443 (502 Bad Gateway)"],
  ])("turns the proxy's own %i into a ConfigError naming the proxy and the host", (status, said) => {
    const error = transportError("POST", "/meetings/1/registrants", new ProxyRefusal(status, proxy, "api.zoom.us:443"));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`POST /meetings/1/registrants failed: the proxy http://ops:***@proxy:3128 (HTTPS_PROXY) ${said}; Zoom never saw it`);
    expect((error as ConfigError).hint).toBe("ask whoever runs the proxy to allow api.zoom.us:443, check HTTPS_PROXY, or name the host in NO_PROXY to connect directly");
  });

  it("names the variable to put credentials in when the proxy asks for them", () => {
    const error = transportError("GET", "/meetings/1", new ProxyRefusal(407, { url: "http://proxy:3128", variable: "http_proxy" }, "127.0.0.1:9090"));
    expect(error.message).toBe("GET /meetings/1 failed: the proxy http://proxy:3128 (http_proxy) asks for credentials (407 Proxy Authentication Required)");
    expect((error as ConfigError).hint).toBe("put the proxy's user and password in http_proxy (http://user:password@proxy:3128), or ask for access");
  });

  it("reads undici's own word for a 407 when it forwards without a tunnel", () => {
    expect(transportError("GET", "/x", new Error("Proxy Authentication Required (407)"))).toBeInstanceOf(ConfigError);
  });
});
