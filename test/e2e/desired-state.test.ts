import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, readCsv, runCli, freshFakeZoomEachTest } from "./harness.js";

/**
 * Keeping an event in step with the organisation's list (issue 13): a status column that adds,
 * approves, cancels and denies; --prune for zoomreg's own registrants the list no longer has; the
 * guard that makes an empty export harmless.
 */
let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));

const push = (args: string[]) => runCli(["push", ...args], { env: fakeEnv(zoom), cwd: dir });
const csv = (rows: string[]): string => `${["email,first_name,last_name,status", ...rows].join("\n")}\n`;
const statusRequests = (): number =>
  Object.entries(zoom.fake.ledger().totals.requestsByRoute)
    .filter(([route]) => route.startsWith("PUT") && route.endsWith("/registrants/status"))
    .reduce((sum, [, count]) => sum + count, 0);
const onZoom = (kind: "meeting" | "webinar", id: string) => zoom.fake.ledger().events[`${kind}:${id}`] ?? {};

describe("a status column", () => {
  const meeting = defaultEventIds.manualApprovalMeeting;

  it("adds, approves, cancels and denies in one run, and a second run changes nothing", async () => {
    writeFileSync(join(dir, "seed.csv"), csv(["a@example.com,A,One,", "b@example.com,B,Two,", "c@example.com,C,Three,"]));
    expect((await push(["seed.csv", "--meeting", meeting, "--out", "out.csv"])).code).toBe(0);
    expect(Object.values(onZoom("meeting", meeting)).map((entry) => entry.status)).toEqual(["pending", "pending", "pending"]);

    writeFileSync(join(dir, "list.csv"), csv(["a@example.com,A,One,approved", "b@example.com,B,Two,cancelled", "c@example.com,C,Three,denied", "d@example.com,D,Four,registered"]));
    const run = await push(["list.csv", "--meeting", meeting, "--out", "out.csv", "--auto-approve"]);
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "out.csv")).map((row) => [row.email, row.status])).toEqual([
      ["a@example.com", "approved"],
      ["b@example.com", "cancelled"],
      ["c@example.com", "denied"],
      ["d@example.com", "registered"],
    ]);
    const zoomSays = onZoom("meeting", meeting);
    expect([zoomSays["a@example.com"]?.status, zoomSays["b@example.com"]?.status, zoomSays["c@example.com"]?.status, zoomSays["d@example.com"]?.status]).toEqual(["approved", "cancelled", "denied", "approved"]);

    const changes = statusRequests();
    const again = await push(["list.csv", "--meeting", meeting, "--out", "again.csv", "--state", `zoomreg-meeting-${meeting}.state.ndjson`, "--auto-approve"]);
    expect(again.code).toBe(0);
    expect(statusRequests()).toBe(changes);
    expect(readCsv(join(dir, "again.csv")).map((row) => row.status)).toEqual(["existing", "unchanged", "unchanged", "registered"]);
  });
});

describe("--prune", () => {
  const meeting = defaultEventIds.meeting;
  const people = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `p${from + i}@example.com,P,${from + i},`);

  it("cancels zoomreg's own registrants the input no longer has, never one added by other means", async () => {
    writeFileSync(join(dir, "all.csv"), csv(people(0, 6)));
    expect((await push(["all.csv", "--meeting", meeting, "--out", "out.csv"])).code).toBe(0);
    // Registered by other means: a push the event's state file never heard of.
    writeFileSync(join(dir, "host.csv"), csv(["colleague@example.com,Colleague,Added,"]));
    expect((await push(["host.csv", "--meeting", meeting, "--out", "elsewhere.csv", "--state", "elsewhere.state.ndjson"])).code).toBe(0);

    writeFileSync(join(dir, "tonight.csv"), csv(people(0, 5)));
    const run = await push(["tonight.csv", "--meeting", meeting, "--out", "out.csv", "--prune"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^registered 0, already registered 5, cancelled 1 -> /m);
    const out = readCsv(join(dir, "out.csv"));
    expect(out.at(-1)).toMatchObject({ line: "", email: "p5@example.com", status: "cancelled" });
    expect(out).toHaveLength(6);
    const zoomSays = onZoom("meeting", meeting);
    expect(zoomSays["p5@example.com"]?.status).toBe("cancelled");
    expect(zoomSays["colleague@example.com"]?.status).toBe("approved");
    expect(zoomSays["p0@example.com"]?.status).toBe("approved");
  });

  it("refuses a prune of most of the event (an export that came out nearly empty): exit 2, nothing changed", async () => {
    writeFileSync(join(dir, "all.csv"), csv(people(0, 20)));
    expect((await push(["all.csv", "--meeting", meeting, "--out", "out.csv"])).code).toBe(0);
    writeFileSync(join(dir, "truncated.csv"), csv(people(0, 1)));
    const run = await push(["truncated.csv", "--meeting", meeting, "--out", "out.csv", "--prune"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--prune would cancel 19 of the 20 registrants zoomreg added, more than the 5 allowed: nothing was cancelled/);
    expect(statusRequests()).toBe(0);
    expect(Object.values(onZoom("meeting", meeting)).every((entry) => entry.status === "approved")).toBe(true);
  });
});

describe("a dry run against Zoom's list", () => {
  const meeting = defaultEventIds.manualApprovalMeeting;

  it("plans what the real run then does, and sends nothing", async () => {
    writeFileSync(join(dir, "seed.csv"), csv(["a@example.com,A,One,", "b@example.com,B,Two,", "c@example.com,C,Three,", "e@example.com,E,Five,"]));
    expect((await push(["seed.csv", "--meeting", meeting, "--out", "out.csv", "--auto-approve"])).code).toBe(0);
    writeFileSync(join(dir, "list.csv"), csv(["a@example.com,A,One,", "b@example.com,B,Two,cancelled", "c@example.com,C,Three,denied", "d@example.com,D,Four,"]));

    const requestsBefore = JSON.stringify(zoom.fake.ledger().totals.requestsByRoute);
    const dry = await push(["list.csv", "--meeting", meeting, "--out", "out.csv", "--prune", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    const lines = dry.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const planned = lines.at(-1)?.plan as Record<string, number>;
    expect(planned).toEqual({ add: 1, approve: 0, readmit: 0, cancel: 2, deny: 1, existing: 1, unchanged: 0, deferred: 0 });
    expect(lines.filter((line) => line.action === "cancel").map((line) => [line.line, line.email])).toEqual([[3, "b@example.com"], ["", "e@example.com"]]);
    // One object holds the whole plan: its counts and who changes.
    expect(lines.at(-1)?.changes).toEqual([
      { line: 3, email: "b@example.com", action: "cancel" },
      { line: 4, email: "c@example.com", action: "deny" },
      { line: "", email: "e@example.com", action: "cancel" },
    ]);
    const writes = (totals: string) => Object.entries(JSON.parse(totals) as Record<string, number>).filter(([route]) => !route.startsWith("GET") && !route.includes("oauth"));
    expect(writes(JSON.stringify(zoom.fake.ledger().totals.requestsByRoute))).toEqual(writes(requestsBefore));

    const real = await push(["list.csv", "--meeting", meeting, "--out", "out.csv", "--prune", "--auto-approve"]);
    expect(real.code).toBe(0);
    // a: already there (its earlier registered row, kept); b, c: cancelled and denied; d: added; e: pruned.
    const done = readCsv(join(dir, "out.csv")).map((row) => row.status);
    expect(done).toEqual(["registered", "cancelled", "denied", "registered", "cancelled"]);
  });
});

describe("Zoom's 10 status changes a day per registrant", () => {
  const meeting = defaultEventIds.meeting;

  it("are never exceeded: a person whose 10 are spent today is deferred, and Zoom hears nothing", async () => {
    writeFileSync(join(dir, "seed.csv"), csv(["busy@example.com,Busy,Person,"]));
    expect((await push(["seed.csv", "--meeting", meeting, "--out", "out.csv"])).code).toBe(0);
    // Ten changes already sent today, as the state file would hold them after a day of flip-flopping.
    const statePath = join(dir, `zoomreg-meeting-${meeting}.state.ndjson`);
    const spent = Array.from({ length: 10 }, () => JSON.stringify({ t: "status", email: "busy@example.com", atMs: Date.now(), action: "approve" })).join("\n");
    writeFileSync(statePath, `${readFileSync(statePath, "utf8")}${spent}\n`);

    writeFileSync(join(dir, "list.csv"), csv(["busy@example.com,Busy,Person,cancelled"]));
    const run = await push(["list.csv", "--meeting", meeting, "--out", "out.csv"]);
    expect(run.code).toBe(1);
    expect(readCsv(join(dir, "out.csv"))[0]).toMatchObject({ status: "deferred" });
    expect(readCsv(join(dir, "out.csv"))[0]?.error_message).toMatch(/10 status changes already sent today for this registrant \(Zoom allows 10 a day\)/);
    expect(statusRequests()).toBe(0);
    expect(onZoom("meeting", meeting)["busy@example.com"]?.status).toBe("approved");
  });
});
