/**
 * A nightly push through Zoom's real faults (issue 10), end to end: the built CLI against the fake with
 * scripted faults and host changes at run time. Each test asks what a person would want of the night:
 * everyone Zoom could take registered, nobody deferred for an add that did not happen, a true exit code.
 */
import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type FakeZoomInterceptor, type RunningFakeZoom, type ScriptableRoute, type StartFakeZoomOptions } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, runCli, tempDir, type CliRun } from "./harness.js";

const meeting = defaultEventIds.meeting;
const webinar = defaultEventIds.webinar;
const emailOf = (i: number): string => `p${i}@example.com`;
const rows = (n: number): string => ["email,first_name,last_name", ...Array.from({ length: n }, (_, i) => `${emailOf(i)},P${i},Q${i}`), ""].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
/** Interceptors a test adds while the fake runs; the fake asks them in order, the first answer wins. */
let interceptors: FakeZoomInterceptor[];

/** Starts the fake with `options`, routing its requests through `interceptors` too. */
async function startFake(options: StartFakeZoomOptions = {}): Promise<RunningFakeZoom> {
  return startFakeZoom({
    port: 0,
    ...options,
    interceptors: [
      {
        beforeRoute: (exchange) => interceptors.reduce<ReturnType<NonNullable<FakeZoomInterceptor["beforeRoute"]>>>((answer, i) => answer ?? i.beforeRoute?.(exchange), undefined),
        afterRoute: (exchange, response) => interceptors.reduce((answer, i) => i.afterRoute?.(exchange, answer) ?? answer, response),
      },
    ],
  });
}

beforeEach(async () => {
  interceptors = [];
  zoom = await startFake();
  dir = tempDir();
});
afterEach(async () => {
  await zoom.close();
});

const push = (args: string[], env: Record<string, string> = fakeEnv(zoom)): Promise<CliRun> => runCli(["push", ...args], { env, cwd: dir });
const out = (name = "out.csv"): Record<string, string>[] => readCsv(join(dir, name));
const statuses = (name = "out.csv"): string[] => out(name).map((row) => row.status ?? "");
const ledgerOf = (kind: "meeting" | "webinar", id: string) => zoom.fake.ledger().events[`${kind}:${id}`] ?? {};
/** Names the run's exit, stdout and stderr in a failed assertion, so a failure shows what the CLI said. */
const said = (run: CliRun): string => `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;

/** A loopback port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return address.port;
}

describe("one failed read does not end the night", () => {
  it.each<[string, ScriptableRoute]>([
    ["the token", "token"],
    ["the event", "getEvent"],
    ["the event's questions", "registrationQuestions"],
    ["the registrant list", "listRegistrants"],
  ])("registers everyone after one 500 on %s, exit 0", async (_name, route) => {
    writeFileSync(join(dir, "people.csv"), rows(5));
    zoom.fake.scriptFaults({ route, count: 1, answer: "500" });
    const run = await push(["people.csv", "--meeting", meeting, "--out", "out.csv"]);
    expect(run.code, said(run)).toBe(0);
    expect(zoom.fake.scriptedFaultsLeft()).toEqual([]);
    expect(zoom.fake.ledger().totals.faultsInjectedByKind["scripted-500"]).toBe(1);
    expect(statuses()).toEqual(Array(5).fill("registered"));
  });

  it("waits out a per-second 429 on the event read and registers everyone, exit 0", async () => {
    writeFileSync(join(dir, "people.csv"), rows(5));
    zoom.fake.scriptFaults({ route: "getEvent", count: 1, answer: "qps-429" });
    const run = await push(["people.csv", "--meeting", meeting, "--out", "out.csv"]);
    expect(run.code, said(run)).toBe(0);
    expect(zoom.fake.ledger().totals.rateLimitedByKind.qps).toBe(1);
    expect(statuses()).toEqual(Array(5).fill("registered"));
  });
});

describe("adds Zoom did not execute cost nobody a day", () => {
  it("registers a person the same day after four per-second 429s on their add, with one add executed", async () => {
    writeFileSync(join(dir, "people.csv"), rows(1));
    zoom.fake.scriptFaults({ route: "addRegistrant", count: 4, answer: "qps-429" });
    const run = await push(["people.csv", "--meeting", meeting, "--out", "out.csv", "--batch", "never"]);
    expect(run.code, said(run)).toBe(0);
    expect(zoom.fake.ledger().totals.rateLimitedByKind.qps).toBe(4);
    expect(statuses()).toEqual(["registered"]);
    // The fake counts an add once it passes the per-second limiter: the four 429s never reached it.
    expect(ledgerOf("meeting", meeting)[emailOf(0)]).toMatchObject({ registered: true, addAttempts: 1 });

    const again = await push(["people.csv", "--meeting", meeting, "--out", "out.csv", "--batch", "never"]);
    expect(again.code, said(again)).toBe(0);
    expect(statuses()).toEqual(["registered"]);
    expect(ledgerOf("meeting", meeting)[emailOf(0)]?.addAttempts).toBe(1);
  });

  it("defers nobody in a per-second 429 storm without rate headers, and two runs register all 60 with one add each", async () => {
    await zoom.close();
    zoom = await startFake({ rateLimits: { perSecond: { Light: 2 }, perDay: {}, headers: false } });
    writeFileSync(join(dir, "people.csv"), rows(60));
    const args = ["people.csv", "--meeting", meeting, "--out", "out.csv", "--rate", "30", "--batch", "never"];
    // Zoom takes 2 a second: 30 s for everyone. A run may end early with exit 5 ("run again"), never defer.
    let run = await push(args);
    expect.soft(statuses(), said(run)).not.toContain("deferred");
    if (run.code !== 0) {
      run = await push(args);
      expect.soft(statuses(), said(run)).not.toContain("deferred");
    }
    expect.soft(run.code, said(run)).toBe(0);
    expect.soft(statuses()).toEqual(Array(60).fill("registered"));
    // The limiter answers before the fake counts an add: more than one counted is a person added twice.
    const attempts = Object.values(ledgerOf("meeting", meeting)).map((entry) => entry.addAttempts);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(1);
  }, 60_000);

  it("exits 5 while Zoom is unreachable and registers everyone the same day once it is back (JWT, adds refused)", async () => {
    writeFileSync(join(dir, "people.csv"), rows(5));
    const port = await closedPort();
    const args = ["people.csv", "--meeting", meeting, "--out", "out.csv", "--state", "state.ndjson", "--no-preflight", "--no-reconcile", "--batch", "never"];
    const down = { ...fakeEnv(zoom, "jwt"), ZOOM_API_URL: `http://127.0.0.1:${port}/v2`, ZOOM_OAUTH_URL: `http://127.0.0.1:${port}/oauth/token` };
    const first = await push(args, down);
    expect(first.code, said(first)).toBe(5);
    expect(out()).toHaveLength(5);
    expect(statuses().filter((status) => status === "registered" || status === "existing")).toEqual([]);
    expect(statuses()).not.toContain("deferred");

    const back = await push(args, fakeEnv(zoom, "jwt"));
    expect(back.code, said(back)).toBe(0);
    expect(statuses()).toEqual(Array(5).fill("registered"));
    expect(Object.values(ledgerOf("meeting", meeting)).map((entry) => entry.addAttempts)).toEqual(Array(5).fill(1));
  });

  it("exits 5 sending nothing while the token endpoint is unreachable, and registers everyone once it is back (S2S)", async () => {
    writeFileSync(join(dir, "people.csv"), rows(5));
    const port = await closedPort();
    const args = ["people.csv", "--meeting", meeting, "--out", "out.csv", "--state", "state.ndjson", "--no-preflight", "--no-reconcile", "--batch", "never"];
    const down = { ...fakeEnv(zoom), ZOOM_API_URL: `http://127.0.0.1:${port}/v2`, ZOOM_OAUTH_URL: `http://127.0.0.1:${port}/oauth/token` };
    const first = await push(args, down);
    expect(first.code, said(first)).toBe(5);
    expect(first.stderr).not.toMatch(/internal error/);
    expect(addRequests(zoom)).toBe(0);

    const back = await push(args);
    expect(back.code, said(back)).toBe(0);
    expect(statuses()).toEqual(Array(5).fill("registered"));
    expect(Object.values(ledgerOf("meeting", meeting)).map((entry) => entry.addAttempts)).toEqual(Array(5).fill(1));
  });
});

describe("a refusal of the event stops the run and saves no row as failed", () => {
  it("exits 2 naming registration off, fails no row, and registers everyone once the host turns it back on", async () => {
    writeFileSync(join(dir, "people.csv"), rows(5));
    zoom.fake.updateEvent("meeting", meeting, { approvalType: 2 });
    const args = ["people.csv", "--meeting", meeting, "--out", "out.csv", "--no-preflight"];
    const off = await push(args);
    expect(off.code, said(off)).toBe(2);
    expect(off.stderr).toMatch(/registration is off/);
    expect(statuses()).not.toContain("failed");
    expect(statuses()).toContain("not_sent");

    zoom.fake.updateEvent("meeting", meeting, { approvalType: 0 });
    const on = await push(args);
    expect(on.code, said(on)).toBe(0);
    expect(statuses()).toEqual(Array(5).fill("registered"));
  });

  it("stops when the host turns registration off mid-run, fails no row, and the re-run registers the rest once, exit 0", async () => {
    writeFileSync(join(dir, "people.csv"), rows(20));
    let adds = 0;
    interceptors.push({
      afterRoute: (exchange, response) => {
        if (exchange.route.name === "addRegistrant" && response.status === 201 && ++adds === 5) zoom.fake.updateEvent("meeting", meeting, { approvalType: 2 });
        return response;
      },
    });
    const args = ["people.csv", "--meeting", meeting, "--out", "out.csv", "--batch", "never", "--rate", "50", "--concurrency", "4"];
    const off = await push(args);
    expect(off.code, said(off)).toBe(2);
    expect(off.stderr).toMatch(/registration is off/);
    expect(statuses()).not.toContain("failed");
    const registeredFirst = statuses().filter((status) => status === "registered").length;
    expect(registeredFirst).toBe(5);

    zoom.fake.updateEvent("meeting", meeting, { approvalType: 0 });
    const on = await push(args);
    expect(on.code, said(on)).toBe(0);
    expect(statuses().every((status) => status === "registered" || status === "existing")).toBe(true);
    expect(out()).toHaveLength(20);
    const ledger = ledgerOf("meeting", meeting);
    expect(Object.values(ledger).filter((entry) => entry.registered)).toHaveLength(20);
    expect(Object.values(ledger).every((entry) => entry.addAttempts === 1)).toBe(true);
  });

  it.each(["never", "auto"])("stops at a full webinar with exit 2, saying it is full, and defers nobody (--batch %s)", async (batch) => {
    writeFileSync(join(dir, "people.csv"), rows(10));
    writeFileSync(join(dir, "first.csv"), rows(3));
    // Three people hold seats; then the host caps the webinar at what it holds.
    const seated = await push(["first.csv", "--webinar", webinar, "--out", "seated.csv", "--state", "seated.ndjson"]);
    expect(seated.code, said(seated)).toBe(0);
    zoom.fake.updateEvent("webinar", webinar, { capacity: 3 });
    const full = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", batch, "--concurrency", "2"]);
    expect(full.code, said(full)).toBe(2);
    // Single adds meet 3000 "limit for the number of attendees", batches 3043 "maximum attendee capacity".
    expect(full.stderr).toMatch(/is full|maximum attendee capacity/);
    expect(statuses()).not.toContain("deferred");
    expect(statuses()).not.toContain("failed");
    expect(statuses().slice(0, 3)).toEqual(["existing", "existing", "existing"]);
  });
});

describe("Zoom's list wins over the ledger", () => {
  it("reports a person the ledger saved as failed but Zoom lists as existing, with their join_url", async () => {
    writeFileSync(join(dir, "people.csv"), rows(3));
    const refused = emailOf(1);
    let refuse = true;
    interceptors.push({
      beforeRoute: (exchange) => {
        if (!refuse || exchange.route.name !== "addRegistrant" || !exchange.request.body.includes(refused)) return undefined;
        return {
          status: 400,
          headers: { "content-type": "application/json", "x-zm-trackingid": "t" },
          body: JSON.stringify({ code: 300, message: "Validation Failed.", errors: [{ field: "email", message: "Invalid field." }] }),
        };
      },
    });
    const args = ["people.csv", "--meeting", meeting, "--out", "out.csv", "--batch", "never"];
    const first = await push(args);
    expect(first.code, said(first)).toBe(1);
    expect(statuses()).toEqual(["registered", "failed", "registered"]);

    refuse = false;
    // Registered by other means: another state file, so only Zoom's list knows of it.
    const elsewhere = await push(["people.csv", "--meeting", meeting, "--out", "elsewhere.csv", "--state", "elsewhere.ndjson", "--batch", "never"]);
    expect(elsewhere.code, said(elsewhere)).toBe(0);
    const joinUrl = ledgerOf("meeting", meeting)[refused]?.joinUrl;
    expect(joinUrl).toMatch(/^https:\/\//);

    const adds = addRequests(zoom);
    const again = await push(args);
    expect(again.code, said(again)).toBe(0);
    expect(addRequests(zoom)).toBe(adds);
    const row = out().find((r) => r.email === refused);
    expect(row).toMatchObject({ status: "existing", join_url: joinUrl });
  });
});
