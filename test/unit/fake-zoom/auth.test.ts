import { describe, expect, it } from "vitest";
import { defaultEventIds, defaultFakeCredentials } from "../../../src/fake-zoom/defaults.js";
import { api, basicAuth, bodyOf, fakeWithClock, issueToken, jwtFor, request, signJwt, startMs, tokenRequest } from "./helpers.js";

const { accountId, clientId, clientSecret, apiKey } = defaultFakeCredentials;
const meetingPath = `/v2/meetings/${defaultEventIds.meeting}`;

describe("POST /oauth/token", () => {
  it("issues a bearer token whose api_url is the fake's own origin", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(tokenRequest());
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toMatchObject({ token_type: "bearer", expires_in: 3600, api_url: "http://127.0.0.1:4010" });
  });

  it("grants the scopes zoomreg needs", () => {
    const { fake } = fakeWithClock();
    const scopes = String(bodyOf(fake.handle(tokenRequest())).scope).split(" ");
    expect(scopes).toEqual(expect.arrayContaining(["meeting:write:registrant:admin", "webinar:read:list_registrants:admin"]));
  });

  it("takes grant_type and account_id from a form body", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(
      request("POST", "/oauth/token", {
        headers: { authorization: basicAuth(clientId, clientSecret), "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=account_credentials&account_id=${accountId}`,
      }),
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ["a wrong client secret", basicAuth(clientId, "wrong")],
    ["a wrong client id", basicAuth("wrong", clientSecret)],
    ["no Basic credentials", "Bearer something"],
  ])("refuses %s as Zoom does: 400 invalid_client", (_name, authorization) => {
    const { fake } = fakeWithClock();
    const response = fake.handle(tokenRequest(undefined, authorization));
    expect([response.status, bodyOf(response)]).toEqual([400, { reason: "Invalid client_id or client_secret", error: "invalid_client" }]);
  });

  it("refuses a wrong account_id with invalid_request", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(tokenRequest("grant_type=account_credentials&account_id=someone-else"));
    expect([response.status, bodyOf(response)]).toEqual([400, { reason: "Invalid account_id", error: "invalid_request" }]);
  });

  it("refuses another grant type with unsupported_grant_type", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(tokenRequest(`grant_type=client_credentials&account_id=${accountId}`));
    expect([response.status, bodyOf(response).error]).toEqual([400, "unsupported_grant_type"]);
  });

  it("never echoes the client secret", () => {
    const { fake } = fakeWithClock();
    const response = fake.handle(tokenRequest(undefined, basicAuth(clientId, "my-secret-value")));
    expect(response.body).not.toContain("my-secret-value");
  });
});

describe("bearer authentication on /v2", () => {
  it("accepts a live S2S token", () => {
    const { fake } = fakeWithClock();
    expect(fake.handle(api(issueToken(fake), "GET", meetingPath)).status).toBe(200);
  });

  it("refuses an S2S token once its lifetime has passed", async () => {
    const { fake, clock } = fakeWithClock({ tokenTtlSeconds: 60 });
    const token = issueToken(fake);
    await clock.advance(60_000);
    const response = fake.handle(api(token, "GET", meetingPath));
    expect([response.status, bodyOf(response)]).toEqual([401, { code: 124, message: "Invalid access token." }]);
  });

  it("still accepts an S2S token a moment before it expires", async () => {
    const { fake, clock } = fakeWithClock({ tokenTtlSeconds: 60 });
    const token = issueToken(fake);
    await clock.advance(59_999);
    expect(fake.handle(api(token, "GET", meetingPath)).status).toBe(200);
  });

  it("keeps earlier tokens valid when a new one is issued", () => {
    const { fake } = fakeWithClock();
    const first = issueToken(fake);
    issueToken(fake);
    expect(fake.handle(api(first, "GET", meetingPath)).status).toBe(200);
  });

  it("accepts a JWT signed with the API secret whose iss is the API key", () => {
    const { fake } = fakeWithClock();
    expect(fake.handle(api(jwtFor(startMs), "GET", meetingPath)).status).toBe(200);
  });

  it.each([
    ["an expired JWT", signJwt({ iss: apiKey, exp: Math.floor(startMs / 1000) - 1 })],
    ["a JWT signed with another secret", signJwt({ iss: apiKey, exp: Math.floor(startMs / 1000) + 60 }, "not-the-secret")],
    ["a JWT from another API key", signJwt({ iss: "other-key", exp: Math.floor(startMs / 1000) + 60 })],
    ["a JWT without exp", signJwt({ iss: apiKey })],
    ["a token the fake never issued", "made-up-token"],
  ])("refuses %s with 401 code 124", (_name, token) => {
    const { fake } = fakeWithClock();
    const response = fake.handle(api(token, "GET", meetingPath));
    expect([response.status, bodyOf(response)]).toEqual([401, { code: 124, message: "Invalid access token." }]);
  });

  it("refuses a JWT it once accepted after the JWT's exp has passed", async () => {
    const { fake, clock } = fakeWithClock();
    const token = jwtFor(startMs);
    fake.handle(api(token, "GET", meetingPath));
    await clock.advance(3600_000);
    expect(fake.handle(api(token, "GET", meetingPath)).status).toBe(401);
  });

  it("refuses a request without an Authorization header", () => {
    const { fake } = fakeWithClock();
    expect(fake.handle(request("GET", meetingPath)).status).toBe(401);
  });

  it("checks the token before telling whether a path exists", () => {
    const { fake } = fakeWithClock();
    expect(fake.handle(request("GET", "/v2/users/me")).status).toBe(401);
  });
});

describe("invalidatePreviousToken", () => {
  it("makes a new token invalidate the app's previous one, as Zoom did until 2023", () => {
    const { fake } = fakeWithClock({ invalidatePreviousToken: true });
    const first = issueToken(fake);
    const second = issueToken(fake);
    expect([fake.handle(api(first, "GET", meetingPath)).status, fake.handle(api(second, "GET", meetingPath)).status]).toEqual([401, 200]);
  });
});
