import jwt from "jsonwebtoken";
import { createServer, type AddressInfo } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, defaultFakeCredentials, startFakeZoom, type FakeZoomOptions, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, runCli } from "./harness.js";

let zoom: RunningFakeZoom | undefined;
afterEach(async () => {
  await zoom?.close();
  zoom = undefined;
});

async function fake(options: FakeZoomOptions = {}): Promise<RunningFakeZoom> {
  zoom = await startFakeZoom({ ...options, port: 0 });
  return zoom;
}

const LIMITED_APP = { clientId: "limited-app", clientSecret: "limited-app-secret", scopes: ["meeting:read:meeting:admin", "meeting:write:registrant:admin"] };

/** The events of the check scenarios: one of each kind of trouble, and a webinar with a real form. */
const events: FakeZoomOptions["events"] = [
  { kind: "meeting", id: "85746065", type: 2, topic: "Open meeting", approvalType: 0, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z" },
  { kind: "meeting", id: "11111111", type: 2, topic: "Closed meeting", approvalType: 2, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z" },
  // Over, with a start time still ahead: check learns "over" from Zoom's 3038, not from the clock.
  { kind: "meeting", id: "22222222", type: 2, topic: "Ended meeting", approvalType: 0, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z", over: true },
  {
    kind: "webinar",
    id: "81234567890",
    type: 5,
    topic: "Webinar with a form",
    approvalType: 1,
    hostEmail: "host@example.com",
    startTime: "2030-01-15T17:00:00Z",
    registrationQuestions: {
      questions: [
        { field_name: "city", required: true },
        { field_name: "org", required: false },
      ],
      custom_questions: [
        { title: "Dietary needs", type: "short", required: true },
        { title: "T-shirt size", type: "single", required: true, answers: ["S", "M", "L"] },
        { title: "Newsletter", type: "single", required: false, answers: ["Yes", "No"] },
      ],
    },
  },
];

const scenario = (): FakeZoomOptions => ({
  events,
  apps: [{ clientId: defaultFakeCredentials.clientId, clientSecret: defaultFakeCredentials.clientSecret, scopes: allScopes }, LIMITED_APP],
});
const allScopes = [
  "meeting:read:meeting:admin",
  "meeting:read:list_registration_questions:admin",
  "meeting:read:list_registrants:admin",
  "meeting:write:registrant:admin",
  "meeting:write:batch_registrants:admin",
  "webinar:read:webinar:admin",
  "webinar:read:list_registration_questions:admin",
  "webinar:read:list_registrants:admin",
  "webinar:write:registrant:admin",
  "webinar:write:batch_registrants:admin",
];

const marks = (stdout: string): string[] => stdout.split("\n").map((line) => line.slice(0, 4).trim()).filter((mark) => mark === "ok" || mark === "FAIL" || mark === "skip");

describe("zoomreg check", () => {
  it("marks every check ok for an open meeting and exits 0", async () => {
    const server = await fake();
    const run = await runCli(["check", "--meeting", defaultEventIds.meeting], { env: fakeEnv(server) });
    expect(run.code).toBe(0);
    expect(marks(run.stdout)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(run.stdout).toMatch(/^ok {4}credentials: Server-to-Server OAuth app fake-client-id, token obtained/m);
    expect(run.stdout).toMatch(/^ok {4}meeting 85746065 "zoomreg demo meeting": scheduled meeting \(type 2\), registration on \(approved automatically\), not over, starts 2030-01-15T17:00:00Z, host host@example\.com$/m);
    expect(run.stdout).toContain("it may also carry: last_name, question: Dietary needs");
    expect(run.stdout.trim().split("\n").at(-1)).toBe("ready: zoomreg push <file> --meeting 85746065");
  });

  it("registers nobody: both adds are sent with bodies Zoom refuses", async () => {
    const server = await fake();
    await runCli(["check", "--meeting", defaultEventIds.meeting], { env: fakeEnv(server) });
    const { events: seen, totals } = server.fake.ledger();
    expect(seen[`meeting:${defaultEventIds.meeting}`]).toEqual({});
    expect(totals.requestsByRoute["POST /v2/meetings/{meetingId}/registrants"]).toBe(1);
    expect(totals.requestsByRoute["POST /v2/meetings/{meetingId}/batch_registrants"]).toBe(1);
  });

  it("lists what the input must carry for a form with required fields, questions and single-choice answers", async () => {
    const server = await fake(scenario());
    const run = await runCli(["check", "--webinar", "81234567890"], { env: fakeEnv(server) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("registration form: 2 standard fields (1 required), 3 custom questions (2 required)");
    expect(run.stdout).toContain("the input must carry: email, first_name, city, question: Dietary needs, question: T-shirt size (one of S, M, L)");
    expect(run.stdout).toContain("it may also carry: last_name, org, question: Newsletter (one of Yes, No)");
    expect(run.stdout).toContain("registration on (approved by the host)");
  });

  it("prints one JSON object with --json", async () => {
    const server = await fake(scenario());
    const run = await runCli(["check", "--webinar", "81234567890", "--json"], { env: fakeEnv(server) });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: true,
      exitCode: 0,
      event: { kind: "webinar", id: "81234567890" },
      credentials: { scheme: "s2s", identity: "fake-client-id", tokenObtained: true },
      details: { topic: "Webinar with a form", registration: "on", over: false },
      problems: [],
    });
    const input = report.input as { required: { column: string }[] };
    expect(input.required.map((column) => column.column)).toEqual(["email", "first_name", "city", "question: Dietary needs", "question: T-shirt size"]);
  });

  it.each([
    { what: "registration is off", id: "11111111", message: /^FAIL {2}meeting 11111111 "Closed meeting" does not take registrations: registration is off \(approval type 2\)$/m, fix: /fix: in Zoom, edit the meeting, tick Registration: Required/ },
    { what: "the event is over", id: "22222222", message: /^FAIL {2}meeting 22222222 "Ended meeting" is over: Zoom takes no more registrations for it \(code 3038\)$/m, fix: /fix: schedule a new meeting/ },
    { what: "the event does not exist", id: "33333333", message: /^FAIL {2}meeting 33333333 does not exist \(Zoom: 404 code 3001 Meeting does not exist: 33333333\.\)$/m, fix: /fix: check the id/ },
  ])("fails with the fix and exits 2 when $what", async ({ id, message, fix }) => {
    const server = await fake(scenario());
    const run = await runCli(["check", "--meeting", id], { env: fakeEnv(server) });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(message);
    expect(run.stdout).toMatch(fix);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("not ready (exit 2): fix what is marked FAIL and run zoomreg check again");
  });

  it("names each scope the app lacks, the scope to add, and exits 3", async () => {
    const server = await fake(scenario());
    const env = { ...fakeEnv(server), ZOOM_CLIENT_ID: LIMITED_APP.clientId, ZOOM_CLIENT_SECRET: LIMITED_APP.clientSecret };
    const run = await runCli(["check", "--meeting", "85746065"], { env });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^ok {4}may read the meeting \(meeting:read:meeting:admin\)$/m);
    expect(run.stdout).toMatch(/^FAIL {2}may not read the meeting's registration questions: Zoom says the token lacks one of meeting:read:list_registration_questions, meeting:read:list_registration_questions:admin$/m);
    expect(run.stdout).toMatch(/^FAIL {2}may not list the meeting's registrants: /m);
    expect(run.stdout).toMatch(/^FAIL {2}may not batch-add registrants to the meeting: /m);
    expect(run.stdout).toMatch(/^ok {4}may add registrants to the meeting/m);
    expect(run.stdout).toMatch(/in one go: add meeting:read:list_registration_questions:admin, meeting:read:list_registrants:admin, meeting:write:batch_registrants:admin to the Server-to-Server OAuth app's scopes/);
  });

  it("fails on credentials the token endpoint refuses, exits 3 and never prints the secret", async () => {
    const server = await fake();
    const secret = "wrong-secret-do-not-print";
    const run = await runCli(["check", "--meeting", defaultEventIds.meeting], { env: { ...fakeEnv(server), ZOOM_CLIENT_SECRET: secret } });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^FAIL {2}credentials: Server-to-Server OAuth app fake-client-id: Zoom's token endpoint refused the credentials \(400 invalid_client/m);
    expect(run.stdout).toMatch(/fix: check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET/);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it("checks a JWT app, and says Zoom retired them", async () => {
    const server = await fake();
    const run = await runCli(["check", "--meeting", defaultEventIds.recurringMeeting], { env: fakeEnv(server, "jwt") });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok {4}credentials: JWT app \(API key fake-api-key\), token signed here; Zoom retired JWT apps on 2023-09-08 \(expires in (4 min \d+ s|5 min)\)$/m);
    expect(run.stdout).toMatch(/^skip {2}batch-add registrants to the meeting: Zoom takes batches only for scheduled meetings \(type 2\); push adds one by one$/m);
  });

  it("exits 3 when Zoom refuses a JWT signed with the wrong secret", async () => {
    const server = await fake();
    const run = await runCli(["check", "--meeting", defaultEventIds.meeting], { env: { ...fakeEnv(server, "jwt"), ZOOM_API_SECRET: "not-the-secret" } });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^FAIL {2}may not read the meeting: the token was refused$/m);
    expect(run.stdout).toMatch(/retired JWT apps/);
    expect(run.stdout).not.toContain("not-the-secret");
  });

  it("asks for the event in one line and exits 2", async () => {
    const server = await fake();
    const run = await runCli(["check"], { env: fakeEnv(server) });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^zoomreg: say which event: exactly one of --meeting <id> or --webinar <id>/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("prints FAIL for Zoom unreachable and exits 5 when nothing listens at Zoom's address", async () => {
    const port = await closedPort();
    const c = defaultFakeCredentials;
    const env = { ZOOM_API_URL: `http://127.0.0.1:${port}/v2`, ZOOM_OAUTH_URL: `http://127.0.0.1:${port}/oauth/token`, ZOOM_ACCOUNT_ID: c.accountId, ZOOM_CLIENT_ID: c.clientId, ZOOM_CLIENT_SECRET: c.clientSecret };
    // The token fetch is retried 4 times (up to 15 s of backoff) before it counts as unreachable.
    const run = await runCli(["check", "--meeting", defaultEventIds.meeting], { env });
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(new RegExp(`^FAIL {2}credentials: Server-to-Server OAuth app ${c.clientId}: Zoom is unreachable or failing: POST http://127\\.0\\.0\\.1:${port}/oauth/token failed: .* \\(after 5 attempts\\)$`, "m"));
    expect(run.stdout.trim().split("\n").at(-1)).toBe("not ready (exit 5): Zoom is unreachable or failing; nothing was changed: run zoomreg check again later");
  }, 45_000);
});

/** A loopback port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
  return port;
}

describe("zoomreg token", () => {
  it("prints the S2S token alone on stdout, and the API takes it", async () => {
    const server = await fake();
    const run = await runCli(["token"], { env: fakeEnv(server) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\S+\n$/);
    expect(run.stderr).toBe("");
    const answer = await request(`${server.apiUrl}/meetings/${defaultEventIds.meeting}`, { headers: { authorization: `Bearer ${run.stdout.trim()}` } });
    expect(answer.statusCode).toBe(200);
    await answer.body.dump();
  });

  it("prints a JWT for a JWT app, signed with its secret and issued by its key", async () => {
    const server = await fake();
    const run = await runCli(["token"], { env: fakeEnv(server, "jwt") });
    expect(run.code).toBe(0);
    const claims = jwt.verify(run.stdout.trim(), defaultFakeCredentials.apiSecret, { algorithms: ["HS256"] }) as jwt.JwtPayload;
    expect(claims.iss).toBe(defaultFakeCredentials.apiKey);
    expect((claims.exp ?? 0) * 1000).toBeGreaterThan(Date.now());
  });

  it("decodes a JWT's claims and expiry without the token, its signature or the secret", async () => {
    const server = await fake();
    const run = await runCli(["token", "--decode"], { env: fakeEnv(server, "jwt") });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("format: JWT, header {\"alg\":\"HS256\",\"typ\":\"JWT\"}; the signature is not shown");
    expect(run.stdout).toMatch(/^ {2}iss: fake-api-key$/m);
    const exp = Number(/^ {2}exp: (\d+) \(/m.exec(run.stdout)?.[1]);
    expect(run.stdout).toMatch(/^expires: \S+ \(in (4 min \d+ s|5 min)\)$/m);
    // The token it decoded is the one these claims sign to (HS256 is deterministic): neither it nor its signature is shown.
    const token = jwt.sign({ iss: defaultFakeCredentials.apiKey, exp }, defaultFakeCredentials.apiSecret, { algorithm: "HS256", noTimestamp: true });
    const signature = token.split(".")[2] ?? "";
    expect(signature.length).toBeGreaterThan(20);
    expect(run.stdout + run.stderr).not.toContain(signature);
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(defaultFakeCredentials.apiSecret);
  });

  it("says an opaque S2S token is opaque, and never prints it", async () => {
    const server = await fake();
    const plain = await runCli(["token"], { env: fakeEnv(server) });
    // A reset fake with the same seed issues the same first token: the one --decode receives.
    server.fake.reset();
    const run = await runCli(["token", "--decode"], { env: fakeEnv(server) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^scheme: Server-to-Server OAuth app fake-client-id$/m);
    expect(run.stdout).toMatch(/^format: opaque \(57 characters, not a JWT\)/m);
    expect(run.stdout).toMatch(/^expires: /m);
    expect(run.stdout + run.stderr).not.toContain(plain.stdout.trim());
    expect(run.stdout + run.stderr).not.toContain(defaultFakeCredentials.clientSecret);
  });

  it("decodes as one JSON object with --decode --json", async () => {
    const server = await fake();
    const run = await runCli(["token", "--decode", "--json"], { env: fakeEnv(server, "jwt") });
    expect(JSON.parse(run.stdout)).toMatchObject({ scheme: "jwt", identity: "fake-api-key", format: "jwt", claims: { iss: "fake-api-key" } });
  });

  it("explains in its help that this is a REST API token and not a Meeting SDK signature", async () => {
    const run = await runCli(["token", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/This is a bearer token for Zoom's REST API/);
    expect(run.stdout.replace(/\s+/g, " ")).toMatch(/It is not a Meeting SDK signature: that is an HS256 JWT carrying sdkKey, mn, role and tokenExp, signed with a Meeting SDK app's secret, .* which the REST API never accepts\./);
    expect(run.stdout).toContain('curl -H "Authorization: Bearer $(zoomreg token)"');
  });

  it("exits 3 with one line, and no secret, when the credentials are refused", async () => {
    const server = await fake();
    const secret = "wrong-secret-do-not-print";
    const run = await runCli(["token"], { env: { ...fakeEnv(server), ZOOM_CLIENT_SECRET: secret } });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^zoomreg: Zoom's token endpoint refused the credentials/);
    expect(run.stderr).not.toContain(secret);
  });

  it("exits 2 naming the variables when no credentials are set", async () => {
    const run = await runCli(["token"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: no Zoom credentials: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET/);
  });
});
