import { describe, expect, it } from "vitest";
import type { TokenProvider } from "../../../src/auth/token-provider.js";
import { ApiError, AuthError, NetworkError, RateLimitError, ZoomUnavailableError } from "../../../src/errors.js";
import { checkExitCode, credentialsProblem, probeOutcome, runCheck, type CheckDependencies } from "../../../src/preflight/check.js";
import type { EventRef } from "../../../src/zoom/client.js";
import { StubClient, invalidTokenError, meetingInfo, perSecondLimit, scopeError, zoomError } from "./helpers.js";
import { SkippingClock } from "../../helpers/skipping-clock.js";

const MEETING: EventRef = { kind: "meeting", id: "85746065" };

type TokenOutcome = { token: string } | { error: Error };

/** A token provider answering each fetch with the next outcome of a list (whose last then stays), or always with one. */
function tokens(outcomes: TokenOutcome | readonly TokenOutcome[] = { token: "fake_s2s.opaque" }): TokenProvider & { fetches: () => number } {
  const list = Array.isArray(outcomes) ? (outcomes as readonly TokenOutcome[]) : [outcomes as TokenOutcome];
  let fetches = 0;
  return {
    scheme: "s2s",
    fetches: () => fetches,
    getToken: () => {
      const outcome = list[Math.min(fetches, list.length - 1)] ?? { token: "fake_s2s.opaque" };
      fetches += 1;
      return "token" in outcome ? Promise.resolve(outcome.token) : Promise.reject(outcome.error);
    },
    invalidate: () => undefined,
    apiBaseUrl: () => undefined,
    tokenInfo: () => undefined,
  };
}

function deps(client: StubClient, provider: TokenProvider = tokens()): CheckDependencies {
  // Retries wait on a clock that skips ahead: a test never sleeps.
  return { client, tokens: provider, credentials: { scheme: "s2s", identity: "client-1" }, clock: new SkippingClock(Date.parse("2030-01-01T00:00:00Z")), random: () => 0.5 };
}

describe("probeOutcome", () => {
  it.each([
    { what: "a success of a read", operation: "readEvent" as const, outcome: { ok: true as const }, access: "ok", event: undefined },
    { what: "4711", operation: "readQuestions" as const, outcome: { ok: false as const, error: scopeError(["a:b", "a:b:admin"]) }, access: "missing-scope", event: undefined },
    { what: "401 code 124", operation: "readEvent" as const, outcome: { ok: false as const, error: invalidTokenError() }, access: "refused", event: undefined },
    { what: "a per-second 429", operation: "listRegistrants" as const, outcome: { ok: false as const, error: perSecondLimit() }, access: "unknown", event: undefined },
    { what: "Zoom failing through every retry", operation: "readEvent" as const, outcome: { ok: false as const, error: new ZoomUnavailableError("GET /meetings/1 failed: 503", { attempts: 5 }) }, access: "unavailable", event: undefined },
    { what: "3001", operation: "readEvent" as const, outcome: { ok: false as const, error: zoomError(404, 3001, "Meeting does not exist: 1.") }, access: "ok", event: "not-found" },
    { what: "3000 registration off", operation: "addRegistrant" as const, outcome: { ok: false as const, error: zoomError(400, 3000, "This meeting does not have registration as required: 1.") }, access: "ok", event: "registration-off" },
    { what: "3038", operation: "addRegistrant" as const, outcome: { ok: false as const, error: zoomError(400, 3038, "Meeting is over, you can not register now.") }, access: "ok", event: "over" },
    { what: "300 to the empty add", operation: "addRegistrant" as const, outcome: { ok: false as const, error: zoomError(400, 300, "Validation Failed.") }, access: "ok", event: "open" },
    { what: "300 to the empty batch", operation: "batchAdd" as const, outcome: { ok: false as const, error: zoomError(400, 300, "Validation Failed.") }, access: "ok", event: "open" },
    { what: "303 to a batch on a recurring meeting", operation: "batchAdd" as const, outcome: { ok: false as const, error: zoomError(400, 303, "This API can only be used for scheduled meeting(meeting type: 2).") }, access: "skipped", event: undefined },
    { what: "300 to a read", operation: "readQuestions" as const, outcome: { ok: false as const, error: zoomError(400, 300, "Invalid meeting ID.") }, access: "unknown", event: undefined },
  ])("reads $what on $operation as access $access, event $event", ({ operation, outcome, access, event }) => {
    const read = probeOutcome(operation, outcome);
    expect(read.access.state).toBe(access);
    expect(read.event).toBe(event);
  });

  it("keeps the scopes Zoom listed in a 4711", () => {
    const read = probeOutcome("readQuestions", { ok: false, error: scopeError(["meeting:read:list_registration_questions", "meeting:read:list_registration_questions:admin"]) });
    expect(read.access).toMatchObject({ zoomScopes: ["meeting:read:list_registration_questions", "meeting:read:list_registration_questions:admin"] });
  });

  it("lets a transport failure through: it is not an answer", () => {
    const error = new NetworkError("GET", "/meetings/1", "connection refused", false);
    expect(() => probeOutcome("readEvent", { ok: false, error })).toThrow(error);
  });
});

describe("checkExitCode", () => {
  it.each([
    { areas: [], code: 0 },
    { areas: ["event"], code: 2 },
    { areas: ["scopes"], code: 3 },
    { areas: ["credentials"], code: 3 },
    { areas: ["event", "scopes"], code: 3 },
    { areas: ["unavailable"], code: 5 },
    // What is known to need fixing comes before "run again later".
    { areas: ["event", "unavailable"], code: 2 },
    { areas: ["credentials", "unavailable"], code: 3 },
  ] as const)("exits $code for problems in $areas", ({ areas, code }) => {
    expect(checkExitCode(areas.map((area) => ({ area })))).toBe(code);
  });
});

describe("runCheck", () => {
  it("tries every call a push makes and finds nothing wrong with an open meeting", async () => {
    const client = new StubClient();
    const report = await runCheck(deps(client), MEETING);
    expect(client.calls).toEqual(["getEvent", "getRegistrationQuestions", "listRegistrants", "addRegistrant", "addBatchRegistrants", "updateRegistrantStatus", "getRegistrant", "deleteRegistrant"]);
    expect(report.access.map((check) => check.result.state)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(report).toMatchObject({ exitCode: 0, problems: [], over: false, credentials: { tokenObtained: true } });
    expect(report.needs?.required.map((column) => column.column)).toEqual(["email", "first_name"]);
  });

  it("reads the expiry of a JWT token from its exp claim", async () => {
    const jwtLike = `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from('{"exp":1900000000}').toString("base64url")}.sig`;
    const report = await runCheck(deps(new StubClient(), tokens({ token: jwtLike })), MEETING);
    expect(report.credentials.expiresAtMs).toBe(1_900_000_000_000);
  });

  it("stops at credentials the token endpoint refuses (exit 3), saying what to check once", async () => {
    const refusal = new AuthError(
      "Zoom's token endpoint refused the credentials (400 invalid_client: Invalid client_id or client_secret): check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET",
      400,
    );
    const client = new StubClient();
    const report = await runCheck(deps(client, tokens({ error: refusal })), MEETING);
    expect(client.calls).toEqual([]);
    expect(report.exitCode).toBe(3);
    expect(report.problems).toEqual([
      { area: "credentials", message: "Zoom's token endpoint refused the credentials (400 invalid_client: Invalid client_id or client_secret)", fix: "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET" },
    ]);
  });

  it("collects every missing scope into one fix (exit 3)", async () => {
    const client = new StubClient({
      getRegistrationQuestions: { error: scopeError(["meeting:read:list_registration_questions", "meeting:read:list_registration_questions:admin"]) },
      listRegistrants: { error: scopeError(["meeting:read:list_registrants", "meeting:read:list_registrants:admin"]) },
    });
    const report = await runCheck(deps(client), MEETING);
    expect(report.exitCode).toBe(3);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.fix).toMatch(/^add meeting:read:list_registration_questions:admin, meeting:read:list_registrants:admin to /);
  });

  it("offers --batch never when only the batch scope is missing", async () => {
    const client = new StubClient({ addBatchRegistrants: { error: scopeError(["meeting:write:batch_registrants", "meeting:write:batch_registrants:admin"]) } });
    const report = await runCheck(deps(client), MEETING);
    expect(report.problems[0]?.fix).toMatch(/; or push with --batch never$/);
  });

  it("skips the batch probe for a recurring meeting: push adds one by one there", async () => {
    const client = new StubClient({ getEvent: { value: meetingInfo({ type: 8 }) } });
    const report = await runCheck(deps(client), MEETING);
    expect(client.calls).not.toContain("addBatchRegistrants");
    expect(report.access.find((check) => check.operation === "batchAdd")?.result.state).toBe("skipped");
    expect(report.exitCode).toBe(0);
  });

  it("says once that the token was refused and tries nothing more", async () => {
    const client = new StubClient({ getEvent: { error: invalidTokenError() } });
    const report = await runCheck(deps(client), MEETING);
    expect(client.calls).toEqual(["getEvent"]);
    expect(report.access.map((check) => check.result.state)).toEqual(["refused", "skipped", "skipped", "skipped", "skipped", "skipped", "skipped", "skipped"]);
    expect(report.problems.map((problem) => problem.area)).toEqual(["credentials"]);
    expect(report.exitCode).toBe(3);
  });

  it.each([
    { what: "does not exist", answers: { getEvent: { error: zoomError(404, 3001, "Meeting does not exist: 85746065.") } }, message: /does not exist/ },
    { what: "has registration off", answers: { getEvent: { value: meetingInfo({ approvalType: 2 }) } }, message: /registration is off/ },
    { what: "is over", answers: { addRegistrant: { error: zoomError(400, 3038, "Meeting is over, you can not register now.") } }, message: /is over/ },
  ])("reports an event that $what with its fix (exit 2)", async ({ answers, message }) => {
    const report = await runCheck(deps(new StubClient(answers)), MEETING);
    expect(report.exitCode).toBe(2);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.message).toMatch(message);
    expect(report.problems[0]?.fix).not.toBe("");
  });

  it("warns, without failing, of a meeting that started in 2020 while Zoom still takes registrations (exit 0)", async () => {
    const report = await runCheck(deps(new StubClient({ getEvent: { value: meetingInfo({ raw: { start_time: "2020-01-15T17:00:00Z" } }) } })), MEETING);
    expect(report).toMatchObject({ exitCode: 0, problems: [], over: false, pastScheduledEnd: true });
    expect(report.warnings).toEqual([
      {
        message: 'meeting 85746065 "Launch" started at 2020-01-15T17:00:00Z and was scheduled to end at 2020-01-15T18:00:00Z; Zoom refuses registrations once it has ended (code 3038)',
        fix: "Zoom still takes registrations for it (the empty add got no 3038); if the meeting has ended, schedule a new one and push to its id",
      },
    ]);
  });

  it("fails, rather than warns, once Zoom says 3038 (exit 2)", async () => {
    const client = new StubClient({ getEvent: { value: meetingInfo({ raw: { start_time: "2020-01-15T17:00:00Z" } }) }, addRegistrant: { error: zoomError(400, 3038, "Meeting is over, you can not register now.") } });
    const report = await runCheck(deps(client), MEETING);
    expect(report.exitCode).toBe(2);
    expect(report.warnings).toEqual([]);
  });

  it("warns of nothing for a meeting ahead", async () => {
    const report = await runCheck(deps(new StubClient()), MEETING);
    expect(report).toMatchObject({ warnings: [], pastScheduledEnd: false });
  });

  it("knows the event is over from the add probe", async () => {
    const report = await runCheck(deps(new StubClient({ addRegistrant: { error: zoomError(400, 3038, "Meeting is over, you can not register now.") } })), MEETING);
    expect(report.over).toBe(true);
  });
});

describe("credentialsProblem", () => {
  it("keeps the hint of an error that has one", () => {
    expect(credentialsProblem(new AuthError("refused", 401, 124, { hint: "activate the app" }), "s2s")).toEqual({ area: "credentials", message: "refused", fix: "activate the app" });
  });

  it("tells a JWT user that Zoom retired JWT apps", () => {
    expect(credentialsProblem(new AuthError("GET /meetings/1 refused the access token: 401 code 124 Invalid access token.", 401, 124), "jwt").fix).toMatch(/retired JWT apps/);
  });
});

describe("runCheck when Zoom fails", () => {
  const serverError = (path = "/meetings/85746065"): ApiError => zoomError(500, undefined, "Internal Server Error", path);
  const tokenUnavailable = (): ApiError =>
    new ApiError({ method: "POST", path: "https://zoom.us/oauth/token", status: 503, code: undefined, zoomMessage: "Service Unavailable", trackingId: undefined });

  it("fetches the token again after a 503 and goes on", async () => {
    const provider = tokens([{ error: tokenUnavailable() }, { token: "fake_s2s.opaque" }]);
    const report = await runCheck(deps(new StubClient(), provider), MEETING);
    expect(provider.fetches()).toBe(2);
    expect(report.exitCode).toBe(0);
  });

  it("reports Zoom unreachable or failing (exit 5) when the token endpoint keeps answering 503, and tries nothing else", async () => {
    const client = new StubClient();
    const provider = tokens({ error: tokenUnavailable() });
    const report = await runCheck(deps(client, provider), MEETING);
    expect(provider.fetches()).toBe(5);
    expect(client.calls).toEqual([]);
    expect(report.exitCode).toBe(5);
    expect(report.problems).toEqual([
      {
        area: "unavailable",
        message: "Zoom is unreachable or failing: POST https://zoom.us/oauth/token failed: 503 Service Unavailable (after 5 attempts)",
        fix: "nothing was changed: run zoomreg check again later",
      },
    ]);
  });

  it("retries one 500 on the event read and finds nothing wrong", async () => {
    const client = new StubClient({ getEvent: [{ error: serverError() }, { value: meetingInfo() }] });
    const report = await runCheck(deps(client), MEETING);
    expect(client.calls.slice(0, 3)).toEqual(["getEvent", "getEvent", "getRegistrationQuestions"]);
    expect(report.exitCode).toBe(0);
  });

  it("waits out a per-second 429 on the list", async () => {
    const client = new StubClient({ listRegistrants: [{ error: perSecondLimit() }, { value: { registrants: [], nextPageToken: undefined, totalRecords: 0, trackingId: undefined } }] });
    const report = await runCheck(deps(client), MEETING);
    expect(report.access.find((check) => check.operation === "listRegistrants")?.result.state).toBe("ok");
    expect(report.exitCode).toBe(0);
  });

  it("marks the read Zoom keeps failing, skips the calls after it, and exits 5", async () => {
    const client = new StubClient({ getRegistrationQuestions: { error: serverError("/meetings/85746065/registrants/questions") } });
    const report = await runCheck(deps(client), MEETING);
    expect(client.calls.filter((call) => call === "getRegistrationQuestions")).toHaveLength(5);
    expect(client.calls).not.toContain("listRegistrants");
    expect(report.access.map((check) => check.result.state)).toEqual(["ok", "unavailable", "skipped", "skipped", "skipped", "skipped", "skipped", "skipped"]);
    expect(report.problems.map((problem) => problem.area)).toEqual(["unavailable"]);
    expect(report.exitCode).toBe(5);
  });

  it("does not retry a daily-limit 429: it settles nothing, and says when to try again", async () => {
    const daily = new RateLimitError({ method: "GET", path: "/meetings/85746065/registrants", status: 429, code: 429, zoomMessage: "daily limit", trackingId: undefined }, "daily", undefined);
    const client = new StubClient({ listRegistrants: { error: daily } });
    const report = await runCheck(deps(client), MEETING);
    expect(client.calls.filter((call) => call === "listRegistrants")).toHaveLength(1);
    expect(report.access.find((check) => check.operation === "listRegistrants")?.result).toMatchObject({ state: "unknown", message: /try again after 00:00 UTC$/ });
    expect(report.exitCode).toBe(2);
  });

  it("lets an unexpected failure of the token fetch through: it is a bug, not an outage", async () => {
    const bug = new TypeError("x is undefined");
    await expect(runCheck(deps(new StubClient(), tokens({ error: bug })), MEETING)).rejects.toBe(bug);
  });

  it("keeps a network failure that ends the retries as the last failure", async () => {
    const refused = new NetworkError("GET", "/meetings/85746065", "connection refused", false);
    const report = await runCheck(deps(new StubClient({ getEvent: { error: refused } })), MEETING);
    expect(report.access[0]?.result).toEqual({ state: "unavailable", message: "Zoom is unreachable or failing: GET /meetings/85746065 failed: connection refused (after 5 attempts)" });
  });
});
