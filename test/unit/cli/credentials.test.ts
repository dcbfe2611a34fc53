import { describe, expect, it } from "vitest";
import { resolveCredentials } from "../../../src/network/credentials.js";
import { ConfigError } from "../../../src/errors.js";

const s2s = { ZOOM_ACCOUNT_ID: "acc", ZOOM_CLIENT_ID: "cid", ZOOM_CLIENT_SECRET: "s3cret" };
const jwt = { ZOOM_API_KEY: "key", ZOOM_API_SECRET: "jwt-s3cret" };

describe("resolveCredentials", () => {
  it("picks Server-to-Server OAuth when its three variables are set", () => {
    expect(resolveCredentials(s2s)).toMatchObject({ scheme: "s2s", accountId: "acc", oauthUrl: "https://zoom.us/oauth/token", apiUrl: undefined });
  });

  it("prefers Server-to-Server OAuth when both schemes are set", () => {
    expect(resolveCredentials({ ...s2s, ...jwt }).scheme).toBe("s2s");
  });

  it("picks JWT with Zoom's API base when only the key and secret are set", () => {
    expect(resolveCredentials(jwt)).toEqual({ scheme: "jwt", apiKey: "key", apiSecret: "jwt-s3cret", apiUrl: "https://api.zoom.us/v2" });
  });

  it("takes the endpoints from ZOOM_API_URL and ZOOM_OAUTH_URL without a trailing slash", () => {
    expect(resolveCredentials({ ...s2s, ZOOM_API_URL: "http://127.0.0.1:9/v2/", ZOOM_OAUTH_URL: "http://127.0.0.1:9/oauth/token" })).toMatchObject({
      apiUrl: "http://127.0.0.1:9/v2",
      oauthUrl: "http://127.0.0.1:9/oauth/token",
    });
  });

  it.each([
    [{ ZOOM_ACCOUNT_ID: "acc" }, /ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET not set/],
    [{ ...s2s, ZOOM_CLIENT_SECRET: "  " }, /ZOOM_CLIENT_SECRET not set/],
    [{ ZOOM_API_KEY: "key" }, /ZOOM_API_SECRET not set/],
    [{}, /no Zoom credentials/],
    [{ ...s2s, ZOOM_API_URL: "not a url" }, /ZOOM_API_URL is not a URL/],
    [{ ...s2s, ZOOM_OAUTH_URL: "ftp://x/y" }, /ZOOM_OAUTH_URL must be an http\(s\) URL/],
  ])("refuses %j naming what is wrong", (env, message) => {
    expect(() => resolveCredentials(env)).toThrow(ConfigError);
    expect(() => resolveCredentials(env)).toThrow(message);
  });

  it("never puts a secret in its error message", () => {
    try {
      resolveCredentials({ ZOOM_CLIENT_SECRET: "s3cret", ZOOM_API_SECRET: "jwt-s3cret" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toMatch(/s3cret/);
    }
  });
});
