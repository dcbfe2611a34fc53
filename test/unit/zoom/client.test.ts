import type { MockAgent } from "undici";
import { beforeEach, describe, expect, it } from "vitest";
import { mockAgentEachTest } from "../../helpers/mock-agent.js";
import type { TokenProvider } from "../../../src/auth/token-provider.js";
import { ApiError, AuthError, NetworkError, RateLimitError } from "../../../src/errors.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { ZoomClient } from "../../../src/zoom/client.js";
import type { EventRef } from "../../../src/zoom/client.js";
import { rejected } from "../../helpers/thrown.js";

const ORIGIN = "https://api.zoom.us";
const BASE_URL = `${ORIGIN}/v2`;
const NOW_MS = Date.UTC(2025, 11, 12, 15, 30, 0);
const MEETING: EventRef = { kind: "meeting", id: "85746065123" };
const ADD_PATH = "/v2/meetings/85746065123/registrants";
const PERSON = { email: "ada@example.com", first_name: "Ada", auto_approve: true };

/** Hands out token-1, then token-2 once token-1 is invalidated, and so on. */
function fakeTokens(options: { failWith?: Error } = {}): TokenProvider & { invalidated: string[] } {
  let generation = 1;
  const invalidated: string[] = [];
  return {
    scheme: "s2s",
    invalidated,
    getToken: () => (options.failWith === undefined ? Promise.resolve(`token-${generation}`) : Promise.reject(options.failWith)),
    invalidate(token) {
      invalidated.push(token);
      if (token === `token-${generation}`) generation += 1;
    },
    apiBaseUrl: () => undefined,
    tokenInfo: () => undefined,
  };
}

let agent: MockAgent;
let clock: ManualClock;

mockAgentEachTest((fresh) => (agent = fresh), { enableCallHistory: true });
beforeEach(() => {
  clock = new ManualClock(NOW_MS);
});

function client(tokens: TokenProvider = fakeTokens(), baseUrl = () => BASE_URL): ZoomClient {
  return new ZoomClient({ baseUrl, tokens, dispatcher: agent, clock, userAgent: "zoomreg/9.9.9" });
}

function intercept(path = ADD_PATH, method = "POST") {
  return agent.get(ORIGIN).intercept({ path, method });
}

function calls() {
  return agent.getCallHistory()?.calls() ?? [];
}

const failure = (promise: Promise<unknown>): Promise<unknown> => rejected(Error, () => promise);

describe("ZoomClient.addRegistrant", () => {
  it("posts the person as JSON with the bearer token and the user agent", async () => {
    intercept().reply(201, { registrant_id: "r1", join_url: "https://zoom.us/w/1?tk=x" });
    await client().addRegistrant(MEETING, PERSON);
    const call = calls()[0];
    expect(call?.method).toBe("POST");
    expect(call?.headers).toMatchObject({ authorization: "Bearer token-1", "content-type": "application/json", "user-agent": "zoomreg/9.9.9" });
    expect(JSON.parse(String(call?.body))).toEqual(PERSON);
  });

  it("returns the registrant id, join url, pin as text, topic, status and tracking id", async () => {
    intercept().reply(
      201,
      { id: 85746065123, registrant_id: "r1", join_url: "https://zoom.us/w/1?tk=x", participant_pin_code: 123456, topic: "Launch", start_time: "2025-12-20T10:00:00Z" },
      { headers: { "x-zm-trackingid": "v=2.0;clid=us06;rid=T1" } },
    );
    await expect(client().addRegistrant(MEETING, PERSON)).resolves.toEqual({
      registrantId: "r1",
      joinUrl: "https://zoom.us/w/1?tk=x",
      participantPinCode: "123456",
      topic: "Launch",
      trackingId: "v=2.0;clid=us06;rid=T1",
      status: 201,
    });
  });

  it("leaves the join url undefined while approval is pending", async () => {
    intercept().reply(201, { registrant_id: "r1", topic: "Launch" });
    await expect(client().addRegistrant(MEETING, PERSON)).resolves.toMatchObject({ registrantId: "r1", joinUrl: undefined });
  });

  it("posts to the webinar endpoint for a webinar", async () => {
    intercept("/v2/webinars/99289110036/registrants").reply(201, { registrant_id: "r1" });
    await client().addRegistrant({ kind: "webinar", id: "99289110036" }, PERSON);
    expect(calls()[0]?.path).toBe("/v2/webinars/99289110036/registrants");
  });

  it("sends occurrence ids as one comma-separated query value", async () => {
    intercept(`${ADD_PATH}?occurrence_ids=1648194360000,1648367160000`).reply(201, { registrant_id: "r1" });
    await client().addRegistrant(MEETING, PERSON, { occurrenceIds: ["1648194360000", "1648367160000"] });
    expect(calls()[0]?.fullUrl).toBe(`${BASE_URL}/meetings/85746065123/registrants?occurrence_ids=1648194360000,1648367160000`);
  });

  it("URL-encodes the event id", async () => {
    intercept("/v2/meetings/12%2F..%2F3/registrants").reply(201, { registrant_id: "r1" });
    await client().addRegistrant({ kind: "meeting", id: "12/../3" }, PERSON);
    expect(calls()[0]?.path).toBe("/v2/meetings/12%2F..%2F3/registrants");
  });

  it("asks for the base URL on every request", async () => {
    const bases = ["https://api.zoom.us/v2", "https://eu01api.zoom.us/v2/"];
    intercept().reply(201, { registrant_id: "r1" });
    agent.get("https://eu01api.zoom.us").intercept({ path: ADD_PATH, method: "POST" }).reply(201, { registrant_id: "r2" });
    const zoom = client(fakeTokens(), () => bases.shift() ?? "unused");
    await zoom.addRegistrant(MEETING, PERSON);
    await expect(zoom.addRegistrant(MEETING, PERSON)).resolves.toMatchObject({ registrantId: "r2" });
  });

  it("reports a 2xx without a registrant_id as an ApiError, not a transport failure", async () => {
    intercept().reply(201, { id: 85746065123 }, { headers: { "x-zm-trackingid": "T2" } });
    const error = await failure(client().addRegistrant(MEETING, PERSON));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 201, trackingId: "T2", message: "POST /meetings/85746065123/registrants failed: 201 answered without a registrant_id" });
  });

  it("reports a 2xx whose body is not JSON as an ApiError", async () => {
    intercept().reply(201, "<html>ok</html>", { headers: { "content-type": "text/html" } });
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ status: 201, zoomMessage: "answered with a non-JSON body (text/html, 15 bytes)" });
  });

  it("turns a validation error into an ApiError with the field errors and tracking id", async () => {
    intercept().reply(400, { code: 300, message: "Validation Failed.", errors: [{ field: "email", message: "Invalid field." }] }, { headers: { "x-zm-trackingid": "T3" } });
    const error = await failure(client().addRegistrant(MEETING, PERSON));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ method: "POST", path: "/meetings/85746065123/registrants", status: 400, code: 300, trackingId: "T3", fieldErrors: [{ field: "email", message: "Invalid field." }] });
  });

  it("names the path without host or query in the error", async () => {
    intercept(`${ADD_PATH}?occurrence_ids=1`).reply(404, { code: 3001, message: "Meeting does not exist: 85746065123." });
    const error = await failure(client().addRegistrant(MEETING, PERSON, { occurrenceIds: ["1"] }));
    expect((error as Error).message).toBe("POST /meetings/85746065123/registrants failed: 404 code 3001 Meeting does not exist: 85746065123.");
  });

  it("turns a 503 into an ApiError the retry policy sees as transient", async () => {
    intercept().reply(503, { code: 503, message: "Service Unavailable" });
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ name: "ApiError", status: 503 });
  });

  it("describes an error body that is not JSON", async () => {
    intercept().reply(502, "x".repeat(512), { headers: { "content-type": "text/html; charset=utf-8" } });
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ status: 502, zoomMessage: "non-JSON body (text/html, 512 bytes)" });
  });
});

describe("ZoomClient token refusals", () => {
  it("replays once with a fresh token after a 401", async () => {
    const tokens = fakeTokens();
    intercept().reply(401, { code: 124, message: "Invalid access token." });
    intercept().reply(201, { registrant_id: "r1" });
    await expect(client(tokens).addRegistrant(MEETING, PERSON)).resolves.toMatchObject({ registrantId: "r1" });
    expect(tokens.invalidated).toEqual(["token-1"]);
    expect(calls().map((call) => (call.headers as Record<string, string>).authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("replays after code 124 even when the status is not 401", async () => {
    intercept().reply(400, { code: 124, message: "Invalid access token." });
    intercept().reply(201, { registrant_id: "r1" });
    await expect(client().addRegistrant(MEETING, PERSON)).resolves.toMatchObject({ registrantId: "r1" });
  });

  it("gives up with an AuthError after a second 401", async () => {
    intercept().reply(401, { code: 124, message: "Invalid access token." });
    intercept().reply(401, { code: 124, message: "Invalid access token." });
    const error = await failure(client().addRegistrant(MEETING, PERSON));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, code: 124 });
    expect(calls()).toHaveLength(2);
  });

  it("does not replay when the token lacks scopes, and names them", async () => {
    const tokens = fakeTokens();
    intercept().reply(400, { code: 4711, message: "Invalid access token, does not contain scopes:[meeting:write:registrant:admin]." });
    const error = await failure(client(tokens).addRegistrant(MEETING, PERSON));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain("meeting:write:registrant:admin");
    expect(tokens.invalidated).toEqual([]);
  });

  it("never puts the token in an error message", async () => {
    intercept().reply(401, { code: 124, message: "Invalid access token." });
    intercept().reply(401, { code: 124, message: "Invalid access token." });
    const error = (await failure(client().addRegistrant(MEETING, PERSON))) as AuthError;
    expect(`${error.message} ${error.hint ?? ""}`).not.toMatch(/token-\d/);
  });
});

describe("ZoomClient rate limits", () => {
  it("reads a per-second 429 with headers", async () => {
    intercept().reply(429, { code: 429, message: "You have reached the maximum per-second rate limit for this API." }, { headers: { "x-ratelimit-type": "QPS", "retry-after": "1" } });
    const error = await failure(client().addRegistrant(MEETING, PERSON));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ scope: "qps", retryAtMs: NOW_MS + 1_000 });
  });

  it("reads a daily 429 with headers and an ISO-8601 Retry-After", async () => {
    intercept().reply(429, { code: 429, message: "Too many requests" }, { headers: { "x-ratelimit-type": "Daily-limit", "retry-after": "2025-12-13T00:00:00Z" } });
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ scope: "daily", retryAtMs: Date.UTC(2025, 11, 13) });
  });

  it("reads a daily 429 without headers from its message and waits for 00:00 UTC", async () => {
    intercept().reply(429, { code: 429, message: "You have reached the maximum daily rate limit for this API." });
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ scope: "daily", retryAtMs: Date.UTC(2025, 11, 13) });
  });

  it("defers a registrant whose daily adds are spent", async () => {
    intercept().reply(429, { code: 429, message: "You have exceeded the daily rate limit of (3) for Add meeting registrant API requests for the registrant (ada@example.com)." });
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ scope: "registrant-daily", retryAtMs: Date.UTC(2025, 11, 13) });
  });
});

describe("ZoomClient transport failures", () => {
  it("says the request was not sent when the connection was refused", async () => {
    intercept().replyWithError(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" }));
    const error = await failure(client().addRegistrant(MEETING, PERSON));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ method: "POST", path: "/meetings/85746065123/registrants", requestSent: false });
  });

  it("says the request may have been sent when the connection dropped", async () => {
    intercept().replyWithError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    await expect(client().addRegistrant(MEETING, PERSON)).rejects.toMatchObject({ name: "NetworkError", requestSent: true });
  });

  it("says the add was not sent when the token could not be fetched", async () => {
    const tokens = fakeTokens({ failWith: new NetworkError("POST", "https://zoom.us/oauth/token", "read ECONNRESET", true) });
    const error = await failure(client(tokens).addRegistrant(MEETING, PERSON));
    expect(error).toMatchObject({ name: "NetworkError", path: "/meetings/85746065123/registrants", requestSent: false });
    expect(calls()).toHaveLength(0);
  });

  it("lets an AuthError from the token provider through unchanged", async () => {
    const refused = new AuthError("Zoom's token endpoint refused the credentials", 400);
    await expect(client(fakeTokens({ failWith: refused })).addRegistrant(MEETING, PERSON)).rejects.toBe(refused);
  });

  it("rejects with the caller's abort reason, not a NetworkError", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    controller.abort(reason);
    await expect(client().addRegistrant(MEETING, PERSON, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("ZoomClient.listRegistrants", () => {
  it("asks for one page by status and maps the registrants", async () => {
    intercept("/v2/meetings/85746065123/registrants?status=pending&page_size=300&next_page_token=abc%2B1", "GET").reply(
      200,
      {
        page_size: 300,
        total_records: 2,
        next_page_token: "def",
        registrants: [
          { id: "r1", email: "ada@example.com", first_name: "Ada", status: "pending", join_url: "https://zoom.us/w/1" },
          { id: "r2", email: "bob@example.com", last_name: "Lee", participant_pin_code: 1 },
        ],
      },
      { headers: { "x-zm-trackingid": "T4" } },
    );
    const page = await client().listRegistrants(MEETING, { status: "pending", pageSize: 300, nextPageToken: "abc+1" });
    expect(page).toEqual({
      registrants: [
        { id: "r1", email: "ada@example.com", first_name: "Ada", status: "pending", join_url: "https://zoom.us/w/1" },
        { id: "r2", email: "bob@example.com", last_name: "Lee" },
      ],
      nextPageToken: "def",
      totalRecords: 2,
      trackingId: "T4",
    });
    expect(calls()[0]?.fullUrl).toContain("next_page_token=abc%2B1");
  });

  it("ends paging when Zoom sends an empty next_page_token", async () => {
    intercept("/v2/meetings/85746065123/registrants", "GET").reply(200, { next_page_token: "", registrants: [] });
    await expect(client().listRegistrants(MEETING, {})).resolves.toMatchObject({ nextPageToken: undefined, registrants: [] });
  });

  it("reports a registrant without an email as wrong data", async () => {
    intercept("/v2/meetings/85746065123/registrants", "GET").reply(200, { registrants: [{ id: "r1" }] });
    await expect(client().listRegistrants(MEETING, {})).rejects.toMatchObject({ name: "ApiError", zoomMessage: "registrants[0] lacks an id or an email" });
  });
});

describe("ZoomClient.getEvent", () => {
  it("reads the type and registration settings", async () => {
    const meeting = { id: 85746065123, type: 2, topic: "Launch", settings: { approval_type: 0, registration_type: 1 } };
    intercept("/v2/meetings/85746065123", "GET").reply(200, meeting);
    await expect(client().getEvent(MEETING)).resolves.toEqual({ type: 2, approvalType: 0, registrationType: 1, topic: "Launch", raw: meeting });
  });

  it("reports an event without a type as wrong data", async () => {
    intercept("/v2/webinars/99289110036", "GET").reply(200, { topic: "Launch" });
    await expect(client().getEvent({ kind: "webinar", id: "99289110036" })).rejects.toMatchObject({ name: "ApiError", status: 200 });
  });
});

describe("ZoomClient.requestsSentAtMs", () => {
  it("tells when the last second's requests of a label left, so the push's gates count them", async () => {
    intercept("/v2/meetings/85746065123", "GET").reply(200, { type: 2 });
    intercept().reply(201, { registrant_id: "r1", join_url: "https://zoom.us/w/1" });
    const zoom = client();
    await zoom.getEvent(MEETING);
    await clock.advance(400);
    await zoom.addRegistrant(MEETING, PERSON);
    expect(zoom.requestsSentAtMs("Light")).toEqual([NOW_MS, NOW_MS + 400]);
    expect(zoom.requestsSentAtMs("Heavy")).toEqual([]);
    await clock.advance(700);
    expect(zoom.requestsSentAtMs("Light")).toEqual([NOW_MS + 400]);
  });
});

describe("ZoomClient.updateRegistrantStatus", () => {
  const STATUS_PATH = "/v2/meetings/85746065123/registrants/status";

  it("PUTs the action and the registrants and takes Zoom's 204 without a body", async () => {
    intercept(STATUS_PATH, "PUT").reply(204, "");
    const answer = await client().updateRegistrantStatus(MEETING, { action: "cancel", registrants: [{ id: "r1", email: "ada@example.com" }] });
    expect(answer.status).toBe(204);
    expect(JSON.parse(String(calls()[0]?.body))).toEqual({ action: "cancel", registrants: [{ id: "r1", email: "ada@example.com" }] });
    expect(calls()[0]?.method).toBe("PUT");
  });

  it("counts a status change against the Medium label", async () => {
    intercept(STATUS_PATH, "PUT").reply(204, "");
    const zoom = client();
    await zoom.updateRegistrantStatus(MEETING, { action: "approve", registrants: [{ id: "r1", email: "ada@example.com" }] });
    expect(zoom.requestsSentAtMs("Medium")).toEqual([NOW_MS]);
  });

  it("turns Zoom's refusal into an ApiError naming the call", async () => {
    intercept(STATUS_PATH, "PUT").reply(404, { code: 3001, message: "Meeting does not exist: 85746065123." });
    const error = await failure(client().updateRegistrantStatus(MEETING, { action: "deny", registrants: [{ id: "r1", email: "ada@example.com" }] }));
    expect(String(error)).toMatch(/PUT \/meetings\/85746065123\/registrants\/status failed: 404 code 3001/);
  });
});
