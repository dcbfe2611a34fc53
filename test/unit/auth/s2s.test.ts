import type { MockAgent } from "undici";
import { beforeEach, describe, expect, it } from "vitest";
import { mockAgentEachTest } from "../../helpers/mock-agent.js";
import { createS2SProvider } from "../../../src/auth/s2s.js";
import { ApiError, AuthError, NetworkError } from "../../../src/errors.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { rejected } from "../../helpers/thrown.js";

const OAUTH_ORIGIN = "https://zoom.us";
const OAUTH_PATH = "/oauth/token";
const ACCOUNT_ID = "acct-123";
const CLIENT_ID = "client-abc";
const CLIENT_SECRET = "s3cr3t-value";
const NOW_MS = Date.UTC(2025, 11, 12, 15, 30, 0);

let agent: MockAgent;
let clock: ManualClock;

mockAgentEachTest((fresh) => (agent = fresh), { enableCallHistory: true });
beforeEach(() => {
  clock = new ManualClock(NOW_MS);
});

function provider(options: { refreshEarlyMs?: number } = {}) {
  return createS2SProvider({
    accountId: ACCOUNT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    oauthUrl: `${OAUTH_ORIGIN}${OAUTH_PATH}`,
    dispatcher: agent,
    clock,
    ...options,
  });
}

function tokenEndpoint() {
  return agent.get(OAUTH_ORIGIN).intercept({ path: OAUTH_PATH, method: "POST" });
}

function grant(accessToken: string, extra: Record<string, unknown> = {}) {
  return { access_token: accessToken, token_type: "bearer", expires_in: 3600, scope: "meeting:write:registrant:admin", api_url: "https://api.zoom.us", ...extra };
}

function fetchCount(): number {
  return agent.getCallHistory()?.calls().length ?? 0;
}

const failure = (promise: Promise<unknown>): Promise<Error> => rejected(Error, () => promise);

describe("createS2SProvider", () => {
  it("sends the client id and secret as Basic auth and the account id in a form body", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    await provider().getToken();
    const call = agent.getCallHistory()?.firstCall();
    expect(call?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(Object.fromEntries(new URLSearchParams(String(call?.body)))).toEqual({ grant_type: "account_credentials", account_id: ACCOUNT_ID });
  });

  it("learns the regional API base from api_url", async () => {
    tokenEndpoint().reply(200, grant("tok-1", { api_url: "https://eu01api.zoom.us/" }));
    const tokens = provider();
    expect(tokens.apiBaseUrl()).toBeUndefined();
    await expect(tokens.getToken()).resolves.toBe("tok-1");
    expect(tokens.apiBaseUrl()).toBe("https://eu01api.zoom.us/v2");
  });

  it("fetches one token for ten concurrent callers", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    const tokens = provider();
    const all = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(all)).toEqual(new Set(["tok-1"]));
    expect(fetchCount()).toBe(1);
  });

  it("reuses the token until refresh-early before expiry", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    const tokens = provider({ refreshEarlyMs: 60_000 });
    await tokens.getToken();
    await clock.advance(3_540_000 - 1);
    await expect(tokens.getToken()).resolves.toBe("tok-1");
    expect(fetchCount()).toBe(1);
  });

  it("fetches a new token refresh-early before expiry", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    tokenEndpoint().reply(200, grant("tok-2"));
    const tokens = provider({ refreshEarlyMs: 60_000 });
    await tokens.getToken();
    await clock.advance(3_540_000);
    await expect(tokens.getToken()).resolves.toBe("tok-2");
  });

  it("renews a short-lived token at half its life when refresh-early exceeds it", async () => {
    tokenEndpoint().reply(200, grant("tok-1", { expires_in: 60 }));
    tokenEndpoint().reply(200, grant("tok-2", { expires_in: 60 }));
    const tokens = provider({ refreshEarlyMs: 120_000 });
    await tokens.getToken();
    await clock.advance(29_999);
    await expect(tokens.getToken()).resolves.toBe("tok-1");
    await clock.advance(1);
    await expect(tokens.getToken()).resolves.toBe("tok-2");
  });

  it("fetches exactly one new token after the current one is invalidated", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    tokenEndpoint().reply(200, grant("tok-2"));
    const tokens = provider();
    tokens.invalidate(await tokens.getToken());
    const after = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(after).toEqual(["tok-2", "tok-2", "tok-2"]);
    expect(fetchCount()).toBe(2);
  });

  it("keeps a newer token when a stale one is invalidated", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    tokenEndpoint().reply(200, grant("tok-2"));
    const tokens = provider();
    tokens.invalidate(await tokens.getToken());
    await expect(tokens.getToken()).resolves.toBe("tok-2");
    tokens.invalidate("tok-1"); // a late 401 from a worker still holding the old token
    await expect(tokens.getToken()).resolves.toBe("tok-2");
    expect(fetchCount()).toBe(2);
  });

  it("turns a refusal into an AuthError naming what to check and the status", async () => {
    tokenEndpoint().reply(400, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
    const error = await failure(provider().getToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toMatch(/400 invalid_client: Invalid client_id or client_secret/);
    expect(error.message).toMatch(/ZOOM_ACCOUNT_ID.*ZOOM_CLIENT_ID.*ZOOM_CLIENT_SECRET.*activated/);
    expect(error.message).not.toContain("\n");
  });

  it("never puts the secret in the message, even when the endpoint echoes it", async () => {
    tokenEndpoint().reply(401, { reason: `bad secret ${CLIENT_SECRET}`, error: "invalid_client" });
    const error = await failure(provider().getToken());
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(error.message).not.toContain(basic);
    expect(error.message).toContain("[redacted]");
  });

  it("turns a 5xx into an ApiError the retry policy sees as transient", async () => {
    tokenEndpoint().reply(503, "<html>down</html>", { headers: { "content-type": "text/html" } });
    const error = await failure(provider().getToken());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, path: "https://zoom.us/oauth/token" });
  });

  it("turns a transport failure into a NetworkError", async () => {
    tokenEndpoint().replyWithError(Object.assign(new Error("getaddrinfo ENOTFOUND zoom.us"), { code: "ENOTFOUND" }));
    const error = await failure(provider().getToken());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ requestSent: false });
  });

  it("reports a 200 without an access_token as an ApiError", async () => {
    tokenEndpoint().reply(200, { token_type: "bearer" });
    await expect(provider().getToken()).rejects.toMatchObject({ name: "ApiError", status: 200 });
  });

  it("fetches again after a failed fetch instead of keeping the failure", async () => {
    tokenEndpoint().reply(503, { reason: "busy" });
    tokenEndpoint().reply(200, grant("tok-1"));
    const tokens = provider();
    await failure(tokens.getToken());
    await expect(tokens.getToken()).resolves.toBe("tok-1");
  });

  it("lets one caller abort its wait without failing the others", async () => {
    tokenEndpoint().reply(200, grant("tok-1"));
    const tokens = provider();
    const controller = new AbortController();
    const reason = new Error("worker stopped");
    const aborted = tokens.getToken(controller.signal);
    const other = tokens.getToken();
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await expect(other).resolves.toBe("tok-1");
    expect(fetchCount()).toBe(1);
  });
});
