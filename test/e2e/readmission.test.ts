import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type CancelledListing, type Reapproval, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, readCsv, runCli, tempDir } from "./harness.js";

/**
 * People who come back (issue 17): someone zoomreg cancelled (a prune, a status column) whose row is
 * wanted again gets back in, with a join_url Zoom holds, however Zoom treats a cancelled registrant
 * (listed as denied or in no list; approved again, or not). And Zoom's list, not the state file,
 * says who is on the event: a registrant Zoom forgot is added again.
 */
let zoom: RunningFakeZoom | undefined;
afterEach(async () => {
  await zoom?.close();
  zoom = undefined;
});

async function fakeWith(cancelledListing: CancelledListing, reapproval: Reapproval): Promise<{ zoom: RunningFakeZoom; dir: string }> {
  zoom = await startFakeZoom({ port: 0, cancelledListing, reapproval });
  return { zoom, dir: tempDir() };
}

const meeting = defaultEventIds.meeting;
const people = (n: number, status?: (i: number) => string): string =>
  [status === undefined ? "email,first_name,last_name" : "email,first_name,last_name,status", ...Array.from({ length: n }, (_, i) => `p${i}@example.com,P,${i}${status === undefined ? "" : `,${status(i)}`}`), ""].join("\n");

function onZoom(server: RunningFakeZoom, email: string): { status?: string; joinUrl?: string; registrantId?: string } {
  return server.fake.ledger().events[`meeting:${meeting}`]?.[email] ?? {};
}

function changeRequests(server: RunningFakeZoom): number {
  const routes = server.fake.ledger().totals.requestsByRoute;
  return Object.entries(routes).filter(([route]) => !route.startsWith("GET") && !route.includes("/oauth/")).reduce((sum, [, count]) => sum + count, 0);
}

const modes: { cancelledListing: CancelledListing; reapproval: Reapproval; readmittedAs: string }[] = [
  { cancelledListing: "denied", reapproval: "approves", readmittedAs: "approved" },
  { cancelledListing: "denied", reapproval: "refuses", readmittedAs: "registered" },
  { cancelledListing: "denied", reapproval: "ignores", readmittedAs: "registered" },
  { cancelledListing: "unlisted", reapproval: "approves", readmittedAs: "approved" },
  { cancelledListing: "unlisted", reapproval: "refuses", readmittedAs: "registered" },
];

describe("a person pruned who comes back", () => {
  it.each(modes)("gets back in ($readmittedAs) where Zoom lists a cancelled registrant as $cancelledListing and $reapproval its approval", async ({ cancelledListing, reapproval, readmittedAs }) => {
    const { zoom: server, dir } = await fakeWith(cancelledListing, reapproval);
    const push = (file: string, ...flags: string[]) => runCli(["push", file, "--meeting", meeting, "--out", "out.csv", ...flags], { env: fakeEnv(server), cwd: dir });
    writeFileSync(join(dir, "all.csv"), people(6));
    writeFileSync(join(dir, "without-p3.csv"), people(6).replace("p3@example.com,P,3\n", ""));
    expect((await push("all.csv")).code).toBe(0);

    expect((await push("without-p3.csv", "--prune")).code).toBe(0);
    expect(onZoom(server, "p3@example.com").status).toBe("cancelled");

    const back = await push("all.csv");
    expect(back.code, back.stderr).toBe(0);
    const row = readCsv(join(dir, "out.csv")).find((candidate) => candidate.email === "p3@example.com");
    const zoomSays = onZoom(server, "p3@example.com");
    expect(zoomSays.status).toBe("approved");
    expect(row).toMatchObject({ status: readmittedAs, join_url: zoomSays.joinUrl, registrant_id: zoomSays.registrantId });
    expect(zoomSays.joinUrl).toMatch(/^https:\/\/zoom\.us\/w\//);

    // The night after changes nobody.
    const changes = changeRequests(server);
    const again = await push("all.csv");
    expect(again.code).toBe(0);
    expect(changeRequests(server)).toBe(changes);
    expect(readCsv(join(dir, "out.csv")).find((candidate) => candidate.email === "p3@example.com")).toMatchObject({ join_url: zoomSays.joinUrl });
  });
});

describe("a status column registered, then cancelled, then registered", () => {
  it.each(modes.filter((mode) => mode.cancelledListing === "denied"))("re-admits the person ($readmittedAs) where Zoom $reapproval the approval", async ({ cancelledListing, reapproval, readmittedAs }) => {
    const { zoom: server, dir } = await fakeWith(cancelledListing, reapproval);
    const push = (file: string) => runCli(["push", file, "--meeting", meeting, "--out", "out.csv"], { env: fakeEnv(server), cwd: dir });
    writeFileSync(join(dir, "registered.csv"), people(3, () => "registered"));
    writeFileSync(join(dir, "cancelled.csv"), people(3, (i) => (i === 1 ? "cancelled" : "registered")));
    expect((await push("registered.csv")).code).toBe(0);
    expect((await push("cancelled.csv")).code).toBe(0);
    expect(readCsv(join(dir, "out.csv"))[1]?.status).toBe("cancelled");

    expect((await push("registered.csv")).code).toBe(0);
    const zoomSays = onZoom(server, "p1@example.com");
    expect(zoomSays.status).toBe("approved");
    expect(readCsv(join(dir, "out.csv"))[1]).toMatchObject({ status: readmittedAs, join_url: zoomSays.joinUrl });
  });
});

describe("Zoom's list decides who is on the event", () => {
  it("adds again, with new join_urls, two registrants the host deleted between runs", async () => {
    const { zoom: server, dir } = await fakeWith("denied", "approves");
    const push = () => runCli(["push", "all.csv", "--meeting", meeting, "--out", "out.csv"], { env: fakeEnv(server), cwd: dir });
    writeFileSync(join(dir, "all.csv"), people(4));
    expect((await push()).code).toBe(0);
    const before = readCsv(join(dir, "out.csv"));
    server.fake.hostChangesRegistrant("meeting", meeting, "p0@example.com", "delete");
    server.fake.hostChangesRegistrant("meeting", meeting, "p2@example.com", "delete");

    const run = await push();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^registered 2, already registered 2 -> /m);
    const after = readCsv(join(dir, "out.csv"));
    for (const index of [0, 2]) {
      const email = `p${index}@example.com`;
      expect(after[index]).toMatchObject({ status: "registered", join_url: onZoom(server, email).joinUrl });
      expect(after[index]?.join_url).not.toBe(before[index]?.join_url);
    }
    expect(after[1]).toMatchObject({ status: "registered", join_url: before[1]?.join_url });
  });

  it("registers everyone again on a fake that was reset between runs", async () => {
    const { zoom: server, dir } = await fakeWith("denied", "approves");
    const push = () => runCli(["push", "all.csv", "--meeting", meeting, "--out", "out.csv", "--json"], { env: fakeEnv(server), cwd: dir });
    writeFileSync(join(dir, "all.csv"), people(3));
    expect((await push()).code).toBe(0);
    server.fake.reset();
    const run = await push();
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { counts: Record<string, number> }).counts).toMatchObject({ registered: 3, existing: 0 });
    expect(readCsv(join(dir, "out.csv")).map((row) => row.join_url)).toEqual(["p0", "p1", "p2"].map((p) => onZoom(server, `${p}@example.com`).joinUrl));
  });
});

describe("a manual-approval meeting and a status column", () => {
  it("gives every row it approves its join_url in the same run", async () => {
    const { zoom: server, dir } = await fakeWith("denied", "approves");
    const manual = defaultEventIds.manualApprovalMeeting;
    const push = (file: string) => runCli(["push", file, "--meeting", manual, "--out", "out.csv"], { env: fakeEnv(server), cwd: dir });
    writeFileSync(join(dir, "seed.csv"), people(3));
    expect((await push("seed.csv")).code).toBe(0);
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(["pending_approval", "pending_approval", "pending_approval"]);

    writeFileSync(join(dir, "approve.csv"), people(3, () => "approved"));
    expect((await push("approve.csv")).code).toBe(0);
    const out = readCsv(join(dir, "out.csv"));
    const listed = server.fake.ledger().events[`meeting:${manual}`] ?? {};
    expect(out.map((row) => [row.status, row.join_url])).toEqual(["p0", "p1", "p2"].map((p) => ["approved", listed[`${p}@example.com`]?.joinUrl]));
    expect(out.every((row) => (row.join_url ?? "").startsWith("https://"))).toBe(true);
  });
});

describe("a sequence of nights", () => {
  it("keeps Zoom in step with the list and never touches whom zoomreg does not own or the host removed", async () => {
    const { zoom: server, dir } = await fakeWith("denied", "approves");
    const push = (file: string, ...flags: string[]) => runCli(["push", file, "--meeting", meeting, "--out", "out.csv", ...flags], { env: fakeEnv(server), cwd: dir });
    const statusOf = (email: string): string | undefined => onZoom(server, email).status;
    const list = (indexes: number[]): string => ["email,first_name,last_name", ...indexes.map((i) => `p${i}@example.com,P,${i}`), ""].join("\n");
    const all = Array.from({ length: 10 }, (_, i) => i);

    // Night 1: everyone; a colleague registers someone through another tool.
    writeFileSync(join(dir, "all.csv"), list(all));
    expect((await push("all.csv")).code).toBe(0);
    writeFileSync(join(dir, "colleague.csv"), list([]).concat("guest@example.com,Guest,Elsewhere\n"));
    expect((await runCli(["push", "colleague.csv", "--meeting", meeting, "--out", "elsewhere.csv", "--state", "elsewhere.state.ndjson"], { env: fakeEnv(server), cwd: dir })).code).toBe(0);

    // Night 2: two people leave the list.
    writeFileSync(join(dir, "eight.csv"), list(all.slice(0, 8)));
    expect((await push("eight.csv", "--prune")).code).toBe(0);
    expect([statusOf("p8@example.com"), statusOf("p9@example.com"), statusOf("guest@example.com")]).toEqual(["cancelled", "cancelled", "approved"]);

    // By hand in Zoom: the host cancels p1, deletes p2 and denies the guest.
    server.fake.hostChangesRegistrant("meeting", meeting, "p1@example.com", "cancel");
    server.fake.hostChangesRegistrant("meeting", meeting, "p2@example.com", "delete");
    server.fake.hostChangesRegistrant("meeting", meeting, "guest@example.com", "deny");

    // Night 3: everyone is back on the list.
    const back = await push("all.csv", "--prune");
    expect(back.code).toBe(1);
    const rows: Record<string, Record<string, string> | undefined> = Object.fromEntries(readCsv(join(dir, "out.csv")).map((row) => [row.email ?? "", row]));
    expect([8, 9].map((i) => rows[`p${i}@example.com`]?.status)).toEqual(["approved", "approved"]);
    expect(rows["p2@example.com"]).toMatchObject({ status: "registered", join_url: onZoom(server, "p2@example.com").joinUrl });
    expect(rows["p1@example.com"]).toMatchObject({ status: "denied", error_message: expect.stringContaining("left as the host decided") as string });
    expect(Object.fromEntries(all.map((i) => [i, statusOf(`p${i}@example.com`)]))).toEqual(Object.fromEntries(all.map((i) => [i, i === 1 ? "cancelled" : "approved"])));
    expect(statusOf("guest@example.com")).toBe("denied");
    for (const i of all.filter((n) => n !== 1)) expect(rows[`p${i}@example.com`]?.join_url).toBe(onZoom(server, `p${i}@example.com`).joinUrl);

    // Night 4: the same list changes nothing.
    const writes = changeRequests(server);
    expect((await push("all.csv", "--prune")).code).toBe(1);
    expect(changeRequests(server)).toBe(writes);
  });
});
