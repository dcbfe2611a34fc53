import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { ConfigError, NetworkError } from "../../../src/errors.js";
import { DEFAULT_USER_AGENT, describeTransportError, transportError } from "../../../src/zoom/transport.js";

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

  it("says a request a proxy would not tunnel never reached Zoom", () => {
    const error = transportError("POST", "/meetings/1/registrants", tunnelRefused(502));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).requestSent).toBe(false);
  });
});
