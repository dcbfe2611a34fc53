import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, defaultFakeCredentials, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { allGrantedScopes } from "../../src/fake-zoom/scopes.js";
import { fakeEnv, readCsv, runCli, tempDir } from "./harness.js";

/**
 * A sync that can remove the wrong person cannot be scheduled (issue 17): --prune and status changes
 * act only on what zoomreg owns and the input clearly says; the guard counts what Zoom lists; the plan
 * is what the run does; a token that may not change statuses changes nothing.
 */
let zoom: RunningFakeZoom | undefined;
afterEach(async () => {
  await zoom?.close();
  zoom = undefined;
});

async function fresh(options: Parameters<typeof startFakeZoom>[0] = {}): Promise<{ server: RunningFakeZoom; dir: string; push: (...args: string[]) => ReturnType<typeof runCli> }> {
  const server = await startFakeZoom({ port: 0, ...options });
  zoom = server;
  const dir = tempDir();
  return { server, dir, push: (...args) => runCli(["push", ...args], { env: fakeEnv(server), cwd: dir }) };
}

const header = "email,first_name,last_name";
const person = (i: number): string => `p${i}@example.com,P,${i}`;
const csv = (lines: string[]): string => `${[header, ...lines].join("\n")}\n`;
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

function statuses(server: RunningFakeZoom, kind: "meeting" | "webinar", id: string): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(server.fake.ledger().events[`${kind}:${id}`] ?? {}).map(([email, entry]) => [email, entry.status]));
}

/** The messages of the JSON log lines a non-terminal run writes to stderr. */
function logMessages(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => String((JSON.parse(line) as { msg?: unknown }).msg));
}

function writes(server: RunningFakeZoom): number {
  return Object.entries(server.fake.ledger().totals.requestsByRoute)
    .filter(([route]) => !route.startsWith("GET") && !route.includes("/oauth/"))
    .reduce((sum, [, count]) => sum + count, 0);
}

describe("--prune", () => {
  const meeting = defaultEventIds.meeting;

  it("cancels none of the listed people whose rows tonight are invalid (a cell too many, mailto:, a display name)", async () => {
    const { server, dir, push } = await fresh();
    writeFileSync(join(dir, "all.csv"), csv(range(0, 10).map(person)));
    expect((await push("all.csv", "--meeting", meeting, "--out", "out.csv")).code).toBe(0);
    const tonight = [...range(0, 7).map(person), "p7@example.com,P,7,a cell too many", "mailto:p8@example.com,P,8", "Eight Nine <p9@example.com>,P,9"];
    writeFileSync(join(dir, "tonight.csv"), csv(tonight));
    const run = await push("tonight.csv", "--meeting", meeting, "--out", "out.csv", "--prune");
    expect(run.code).toBe(1);
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual([...range(0, 7).map(() => "registered"), "invalid", "invalid", "invalid"]);
    expect(Object.values(statuses(server, "meeting", meeting))).toEqual(range(0, 10).map(() => "approved"));
  });

  it("never cancels a person who registered on Zoom's page and whom a status column only approved", async () => {
    const { server, dir, push } = await fresh();
    const manual = defaultEventIds.manualApprovalMeeting;
    // Zoomreg's own five, and a person who registered by other means (a state file this event never shares).
    writeFileSync(join(dir, "ours.csv"), csv(range(0, 5).map(person)));
    expect((await push("ours.csv", "--meeting", manual, "--out", "out.csv", "--auto-approve")).code).toBe(0);
    writeFileSync(join(dir, "page.csv"), csv(["self@example.com,Self,Registered"]));
    expect((await push("page.csv", "--meeting", manual, "--out", "page-out.csv", "--state", "page.state.ndjson")).code).toBe(0);
    expect(statuses(server, "meeting", manual)["self@example.com"]).toBe("pending");

    writeFileSync(join(dir, "approve.csv"), `${header},status\n${range(0, 5).map((i) => `${person(i)},registered`).join("\n")}\nself@example.com,Self,Registered,registered\n`);
    expect((await push("approve.csv", "--meeting", manual, "--out", "out.csv")).code).toBe(0);
    expect(statuses(server, "meeting", manual)["self@example.com"]).toBe("approved");

    writeFileSync(join(dir, "without-self.csv"), csv(range(0, 5).map(person)));
    const run = await push("without-self.csv", "--meeting", manual, "--out", "out.csv", "--prune");
    expect(run.code).toBe(0);
    expect(statuses(server, "meeting", manual)["self@example.com"]).toBe("approved");
    expect(readCsv(join(dir, "out.csv"))).toHaveLength(5);
  });

  it("counts the guard's share of what Zoom lists: the host approving everyone changes nothing, and plan and run cancel the same 8", async () => {
    const { server, dir, push } = await fresh();
    const manual = defaultEventIds.manualApprovalMeeting;
    writeFileSync(join(dir, "all.csv"), csv(range(0, 100).map(person)));
    expect((await push("all.csv", "--meeting", manual, "--out", "out.csv")).code).toBe(0);
    for (const i of range(0, 100)) server.fake.hostChangesRegistrant("meeting", manual, `p${i}@example.com`, "approve");

    writeFileSync(join(dir, "tonight.csv"), csv(range(0, 92).map(person)));
    const plan = await push("tonight.csv", "--meeting", manual, "--out", "out.csv", "--prune", "--dry-run", "--json");
    expect(plan.code, plan.stderr).toBe(0);
    const planned = (JSON.parse(plan.stdout.trim().split("\n").at(-1) ?? "{}") as { changes: { email: string; action: string }[] }).changes;
    expect(planned.map((change) => [change.action, change.email])).toEqual(range(92, 100).map((i) => ["cancel", `p${i}@example.com`]).sort());

    const run = await push("tonight.csv", "--meeting", manual, "--out", "out.csv", "--prune");
    expect(run.code, run.stderr).toBe(0);
    const cancelled = readCsv(join(dir, "out.csv")).filter((row) => row.status === "cancelled").map((row) => row.email);
    expect(cancelled).toEqual(planned.map((change) => change.email));
    expect(Object.entries(statuses(server, "meeting", manual)).filter(([, status]) => status === "cancelled").map(([email]) => email).sort()).toEqual(cancelled);
  });
});

describe("a dry run's plan", () => {
  it("after a night of 500s plans the adds the real run then sends", async () => {
    const { server, dir, push } = await fresh();
    const webinar = defaultEventIds.webinar;
    writeFileSync(join(dir, "people.csv"), csv(range(0, 3).map(person)));
    // Every attempt answered 500: each person's three attempts count toward their 3 adds today.
    server.fake.scriptFaults({ route: "addRegistrant", count: 9, answer: "500" });
    const night = await push("people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never");
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(["failed", "failed", "failed"]);
    expect(night.code).toBe(5);

    const plan = await push("people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never", "--dry-run", "--json");
    const planned = (JSON.parse(plan.stdout.trim().split("\n").at(-1) ?? "{}") as { plan: Record<string, number> }).plan;
    expect(planned).toMatchObject({ add: 3, deferred: 0 });
    const run = await push("people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never", "--json");
    expect((JSON.parse(run.stdout) as { counts: Record<string, number> }).counts).toMatchObject({ registered: planned.add, deferred: 0 });
  });
});

describe("a column called Status that is not a desired state", () => {
  it("is left alone: a Salesforce export's Sent and Responded register everyone and cancel nobody", async () => {
    const { server, dir, push } = await fresh();
    const meeting = defaultEventIds.meeting;
    writeFileSync(join(dir, "campaign.csv"), "Email,First Name,Last Name,Status\np0@example.com,P,0,Sent\np1@example.com,P,1,Responded\n");
    const first = await push("campaign.csv", "--meeting", meeting, "--out", "out.csv");
    expect(first.code).toBe(0);
    expect(logMessages(first.stderr)).toContainEqual(expect.stringContaining('the column "Status" is not read as the desired state (line 2 holds "Sent", not a status): pass --map status=Status to use it'));
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(["registered", "registered"]);
    const changes = writes(server);
    const quiet = await push("campaign.csv", "--meeting", meeting, "--out", "out.csv", "--no-status");
    expect(logMessages(quiet.stderr).filter((message) => message.includes("desired state"))).toEqual([]);
    expect(writes(server)).toBe(changes);
    expect(Object.values(statuses(server, "meeting", meeting))).toEqual(["approved", "approved"]);
  });

  it("named with a typo in --map status= is refused before any change (exit 2)", async () => {
    const { server, dir, push } = await fresh();
    writeFileSync(join(dir, "list.csv"), `${header},Status\n${person(0)},cancelled\n`);
    const run = await push("list.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv", "--map", "status=Stauts");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: mapping status=Stauts: the input has no column "Stauts"; .*did you mean "Status"\?/m);
    expect(writes(server)).toBe(0);
  });
});

describe("a token without the status scope", () => {
  it("refuses a --prune run before any change: exit 3, naming the scope", async () => {
    const scopes = allGrantedScopes().filter((scope) => scope !== "meeting:update:registrant_status:admin");
    const { server, dir, push } = await fresh({ apps: [{ clientId: defaultFakeCredentials.clientId, clientSecret: defaultFakeCredentials.clientSecret, scopes }] });
    writeFileSync(join(dir, "people.csv"), csv([person(0)]));
    const run = await push("people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv", "--prune");
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^zoomreg: --prune cancels people, and the credentials lack meeting:update:registrant_status:admin: nothing was changed/m);
    expect(writes(server)).toBe(0);
  });
});
