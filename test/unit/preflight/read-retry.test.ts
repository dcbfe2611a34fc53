import type { MockAgent } from "undici";
import { describe, expect, it } from "vitest";
import { mockAgentEachTest } from "../../helpers/mock-agent.js";
import { createS2SProvider } from "../../../src/auth/s2s.js";
import { ApiError, AuthError, NetworkError, RateLimitError, ZoomUnavailableError } from "../../../src/errors.js";
import { readRetryOptions, retryRead } from "../../../src/preflight/read-retry.js";
import { rejected } from "../../helpers/thrown.js";
import { SkippingClock } from "../../helpers/skipping-clock.js";

const NOW_MS = Date.UTC(2030, 0, 1, 2, 30, 0);
const details = (status: number) => ({ method: "GET", path: "/meetings/123", status, code: status === 429 ? 429 : undefined, zoomMessage: status === 429 ? "Too many requests" : "Internal Server Error", trackingId: undefined });
const serverError = (): ApiError => new ApiError(details(500));
const perSecond = (retryAtMs?: number): RateLimitError => new RateLimitError(details(429), "qps", retryAtMs);
const daily = (): RateLimitError => new RateLimitError(details(429), "daily", NOW_MS + 3_600_000);
const refused = (): NetworkError => new NetworkError("GET", "/meetings/123", "connection refused", false);

/** A read that fails with each of `failures` in turn, then answers "event". */
function scripted(failures: readonly Error[]): { read: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    read: () => {
      const failure = failures[calls];
      calls += 1;
      return failure === undefined ? Promise.resolve("event") : Promise.reject(failure);
    },
  };
}

const times = (n: number, make: () => Error): Error[] => Array.from({ length: n }, make);

describe("readRetryOptions", () => {
  it("gives a read 5 attempts and 5 waits for per-second 429s", () => {
    expect(readRetryOptions).toMatchObject({ maxRetries: 4, maxThrottledRetries: 5 });
  });
});

describe("retryRead", () => {
  it.each([
    { what: "one 500", failures: [serverError()], sleptMs: [500] },
    { what: "a dropped connection", failures: [new NetworkError("GET", "/meetings/123", "connection reset", true)], sleptMs: [500] },
    { what: "a per-second 429 without Retry-After (the throttle fallback)", failures: [perSecond()], sleptMs: [1000] },
    { what: "a per-second 429 with Retry-After", failures: [perSecond(NOW_MS + 2500)], sleptMs: [2500] },
    // Transient waits at random 0.5: half of 1, 2, 4, 8 s.
    { what: "four 500s", failures: times(4, serverError), sleptMs: [500, 1000, 2000, 4000] },
    { what: "five per-second 429s", failures: times(5, () => perSecond()), sleptMs: [1000, 1000, 1000, 1000, 1000] },
  ])("answers after $what, waiting as the policy says", async ({ failures, sleptMs }) => {
    const clock = new SkippingClock(NOW_MS);
    await expect(retryRead(scripted(failures).read, { clock, random: () => 0.5 })).resolves.toBe("event");
    expect(clock.sleptMs).toEqual(sleptMs);
  });

  it.each([
    { what: "five 500s in a row", failures: times(5, serverError), attempts: 5 },
    { what: "Zoom unreachable (connection refused, 5 times)", failures: times(5, refused), attempts: 5 },
    { what: "six per-second 429s in a row", failures: times(6, () => perSecond()), attempts: 6 },
    { what: "a per-second 429 asking for more than a minute", failures: [perSecond(NOW_MS + 120_000)], attempts: 1 },
  ])("ends $what in ZoomUnavailableError, the last failure as its cause", async ({ failures, attempts }) => {
    const script = scripted(failures);
    const error = await rejected(ZoomUnavailableError, () => retryRead(script.read, { clock: new SkippingClock(NOW_MS), random: () => 0.5 }));
    expect(script.calls()).toBe(attempts);
    expect(error.cause).toBe(failures.at(-1));
    expect(error.message).toBe(`Zoom is unreachable or failing: ${(failures.at(-1) as Error).message} (after ${attempts} attempts)`);
  });

  it.each([
    { what: "a daily-limit 429", error: daily() },
    { what: "refused credentials", error: new AuthError("refused", 401, 124) },
    { what: "a 404", error: new ApiError({ ...details(404), code: 3001, zoomMessage: "Meeting does not exist" }) },
    { what: "a bug", error: new TypeError("x is undefined") },
  ])("passes $what through unchanged, at once", async ({ error }) => {
    const script = scripted([error]);
    const clock = new SkippingClock(NOW_MS);
    await expect(retryRead(script.read, { clock, random: () => 0.5 })).rejects.toBe(error);
    expect(script.calls()).toBe(1);
    expect(clock.sleptMs).toEqual([]);
  });

  it("logs each retry, so a nightly log shows Zoom's trouble even when the read succeeds", async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (object: unknown) => void warnings.push(object) };
    await retryRead(scripted([serverError()]).read, { clock: new SkippingClock(NOW_MS), random: () => 0.5, logger: logger as never });
    expect(warnings).toEqual([{ attempt: 1, delayMs: 500, error: "GET /meetings/123 failed: 500 Internal Server Error" }]);
  });
});

describe("retryRead of the S2S token", () => {
  const OAUTH_ORIGIN = "https://zoom.us";
  let agent: MockAgent;
  mockAgentEachTest((fresh) => (agent = fresh));

  const endpoint = () => agent.get(OAUTH_ORIGIN).intercept({ path: "/oauth/token", method: "POST" });
  const grant = { access_token: "tok-1", token_type: "bearer", expires_in: 3600, scope: "meeting:read:meeting:admin" };
  function getToken(clock: SkippingClock): Promise<string> {
    const tokens = createS2SProvider({ accountId: "acct", clientId: "client", clientSecret: "secret", oauthUrl: `${OAUTH_ORIGIN}/oauth/token`, dispatcher: agent, clock });
    return retryRead(() => tokens.getToken(), { clock, random: () => 0.5 });
  }

  it.each([
    { what: "a 503", status: 503, body: "Service Unavailable", headers: {} },
    { what: "a per-second 429", status: 429, body: { code: 429, message: "Too many requests" }, headers: {} },
  ])("fetches the token again after $what", async ({ status, body, headers }) => {
    endpoint().reply(status, body, { headers });
    endpoint().reply(200, grant);
    await expect(getToken(new SkippingClock(NOW_MS))).resolves.toBe("tok-1");
  });

  it("gives up with ZoomUnavailableError when the token endpoint keeps answering 503", async () => {
    endpoint().reply(503, "Service Unavailable").times(5);
    const error = await rejected(ZoomUnavailableError, () => getToken(new SkippingClock(NOW_MS)));
    expect(error.message).toMatch(/^Zoom is unreachable or failing: POST https:\/\/zoom\.us\/oauth\/token failed: 503 .* \(after 5 attempts\)$/);
    expect(error.cause).toBeInstanceOf(ApiError);
  });

  it("does not retry credentials the token endpoint refuses", async () => {
    endpoint().reply(400, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
    await rejected(AuthError, () => getToken(new SkippingClock(NOW_MS)));
  });
});
