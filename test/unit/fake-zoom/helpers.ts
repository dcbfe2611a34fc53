import jwt from "jsonwebtoken";
import { ManualClock } from "../../../src/shared/clock.js";
import { FakeZoom } from "../../../src/fake-zoom/fake-zoom.js";
import { defaultFakeCredentials } from "../../../src/fake-zoom/defaults.js";
import type { FakeRequest, FakeResponse, FakeZoomOptions } from "../../../src/fake-zoom/types.js";

/** A Tuesday noon, UTC: far from midnight, so only tests that mean to cross a day do. */
export const startMs = Date.parse("2029-06-05T12:00:00Z");
export const origin = "http://127.0.0.1:4010";

export function fakeWithClock(options: FakeZoomOptions = {}): { fake: FakeZoom; clock: ManualClock } {
  const clock = new ManualClock(startMs);
  return { fake: new FakeZoom({ clock, seed: 7, ...options }), clock };
}

export function request(method: string, pathAndQuery: string, init: { body?: unknown; headers?: Record<string, string> } = {}): FakeRequest {
  const { body } = init;
  return {
    method,
    url: new URL(pathAndQuery, origin),
    headers: { ...init.headers },
    body: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
  };
}

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
}

const { accountId, clientId, clientSecret, apiKey, apiSecret } = defaultFakeCredentials;

export function tokenRequest(query = `grant_type=account_credentials&account_id=${accountId}`, authorization = basicAuth(clientId, clientSecret)): FakeRequest {
  return request("POST", `/oauth/token?${query}`, { headers: { authorization } });
}

export function bodyOf(response: FakeResponse): Record<string, unknown> {
  return JSON.parse(response.body ?? "null") as Record<string, unknown>;
}

/** A live S2S token from `fake`. */
export function issueToken(fake: FakeZoom): string {
  const response = fake.handle(tokenRequest());
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.body ?? ""}`);
  return bodyOf(response).access_token as string;
}

export function signJwt(payload: object, secret = apiSecret): string {
  return jwt.sign(payload, secret, { algorithm: "HS256", noTimestamp: true });
}

/** A JWT-app token valid for an hour from `nowMs`. */
export function jwtFor(nowMs: number): string {
  return signJwt({ iss: apiKey, exp: Math.floor(nowMs / 1000) + 3600 });
}

/** An API request with a bearer token. */
export function api(token: string, method: string, pathAndQuery: string, body?: unknown): FakeRequest {
  return request(method, pathAndQuery, { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
}

export function person(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: `person${n}@example.com`, first_name: `First${n}`, last_name: `Last${n}`, ...extra };
}
