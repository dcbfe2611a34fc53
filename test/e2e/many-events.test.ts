import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { push as pushFromCode } from "../../src/engine/push.js";
import { addRequests, fakeEnv, freshFakeZoomEachTest, readCsv, root, runCli, tempDir } from "./harness.js";

/**
 * Many events from one export (issue 20): each row names its meeting or webinar in a column, and one
 * run keeps every event in step, each as safe as a single-event run of it, within the account's limits.
 */

const { meeting, webinar, recurringMeeting, manualApprovalMeeting } = defaultEventIds;
const secondOccurrence = String(Date.parse("2030-01-15T16:00:00Z"));

type Row = [email: string, first: string, event: { meeting: string } | { webinar: string }, occurrences?: string];

function exportOf(rows: readonly Row[]): string {
  const lines = rows.map(([email, first, event, occurrences]) =>
    [email, first, "Doe", "meeting" in event ? event.meeting : "", "webinar" in event ? event.webinar : "", occurrences === undefined ? "" : `"${occurrences}"`].join(","),
  );
  return ["email,first_name,last_name,meeting_id,webinar_id,occurrence_ids", ...lines, ""].join("\n");
}

const conference: Row[] = [
  ["ada@example.com", "Ada", { meeting }],
  ["bob@example.com", "Bob", { webinar }],
  ["cy@example.com", "Cy", { meeting: recurringMeeting }, secondOccurrence],
  ["dee@example.com", "Dee", { webinar }],
  ["eve@example.com", "Eve", { meeting }],
];

let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));

function push(args: readonly string[], env: Record<string, string> = fakeEnv(zoom)): ReturnType<typeof runCli> {
  return runCli(["push", ...args], { env, cwd: dir });
}

function registeredIn(event: string): string[] {
  const entries = zoom.fake.ledger().events[event] ?? {};
  return Object.entries(entries)
    .filter(([, entry]) => entry.registered && entry.status !== "cancelled" && entry.status !== "denied")
    .map(([email]) => email)
    .sort();
}

describe("an export whose rows name their events", () => {
  it("registers everyone in their own event, a meeting, a webinar and one occurrence of a recurring meeting, with the event in one output", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    const run = await push(["all.csv", "--out", "joinurls.csv"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com", "eve@example.com"]);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com", "dee@example.com"]);
    expect(registeredIn(`meeting:${recurringMeeting}`)).toEqual(["cy@example.com"]);
    const rows = readCsv(join(dir, "joinurls.csv"));
    expect(Object.keys(rows[0] ?? {}).slice(0, 3)).toEqual(["line", "event_kind", "event_id"]);
    expect(rows.map((row) => [row.line, row.event_kind, row.event_id, row.email, row.status])).toEqual([
      ["2", "meeting", meeting, "ada@example.com", "registered"],
      ["3", "webinar", webinar, "bob@example.com", "registered"],
      ["4", "meeting", recurringMeeting, "cy@example.com", "registered"],
      ["5", "webinar", webinar, "dee@example.com", "registered"],
      ["6", "meeting", meeting, "eve@example.com", "registered"],
    ]);
    for (const row of rows) expect(row.join_url).toContain(`/w/${row.event_id}?`);
  });

  it("registers the recurring meeting's row for the occurrence its occurrence_ids cell names, not all of them", async () => {
    const adds: string[] = [];
    const seeing = await startFakeZoom({
      port: 0,
      interceptors: [{ beforeRoute: (exchange) => void (exchange.request.method === "POST" && exchange.request.url.pathname === `/v2/meetings/${recurringMeeting}/registrants` && adds.push(exchange.request.url.searchParams.get("occurrence_ids") ?? "all")) }],
    });
    try {
      writeFileSync(join(dir, "all.csv"), exportOf(conference));
      const run = await push(["all.csv", "--out", "joinurls.csv"], fakeEnv(seeing));
      expect(run.code).toBe(0);
      expect(adds).toEqual([secondOccurrence]);
    } finally {
      await seeing.close();
    }
  });

  it("sends nothing on a re-run of the same export", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    await push(["all.csv", "--out", "joinurls.csv"]);
    const addsBefore = addRequests(zoom);
    const again = await push(["all.csv", "--out", "joinurls.csv", "--json"]);
    expect(again.code).toBe(0);
    expect(addRequests(zoom)).toBe(addsBefore);
    const summary = JSON.parse(again.stdout) as { registeredThisRun: number; alreadyRegistered: number; events: { event: { id: string }; alreadyRegistered: number }[] };
    expect(summary).toMatchObject({ registeredThisRun: 0, alreadyRegistered: 5 });
    expect(summary.events.map((event) => [event.event.id, event.alreadyRegistered])).toEqual([
      [meeting, 2],
      [webinar, 2],
      [recurringMeeting, 1],
    ]);
  });

  it("registers a person named in three events in all three", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf([["ada@example.com", "Ada", { meeting }], ["ada@example.com", "Ada", { webinar }], ["ada@example.com", "Ada", { meeting: recurringMeeting }]]));
    const run = await push(["all.csv", "--out", "joinurls.csv"]);
    expect(run.code).toBe(0);
    for (const event of [`meeting:${meeting}`, `webinar:${webinar}`, `meeting:${recurringMeeting}`]) expect(registeredIn(event)).toEqual(["ada@example.com"]);
    expect(new Set(readCsv(join(dir, "joinurls.csv")).map((row) => row.join_url)).size).toBe(3);
  });

  it("sends none of an event's rows when the event takes no registrations, registers the others' and exits 2 with one line for the refused event", async () => {
    zoom.fake.updateEvent("webinar", webinar, { approvalType: 2 });
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    const run = await push(["all.csv", "--out", "joinurls.csv"]);
    expect(run.code).toBe(2);
    const refusedLines = run.stdout.split("\n").filter((line) => line.includes("refused"));
    expect(refusedLines).toHaveLength(1);
    expect(refusedLines[0]).toMatch(new RegExp(`^webinar ${webinar}: refused: .*registration.*; its 2 rows are not sent$`));
    const rows = readCsv(join(dir, "joinurls.csv"));
    expect(rows.filter((row) => row.event_kind === "webinar").map((row) => row.status)).toEqual(["not_sent", "not_sent"]);
    expect(rows.filter((row) => row.event_kind === "meeting").map((row) => row.status)).toEqual(["registered", "registered", "registered"]);
    expect(registeredIn(`webinar:${webinar}`)).toEqual([]);
  });

  it("marks invalid, with the reason, a row whose event cell is empty or not an id, and sends the rest", async () => {
    writeFileSync(join(dir, "all.csv"), ["email,first_name,meeting_id", `ada@example.com,Ada,${meeting}`, "bob@example.com,Bob,", "cy@example.com,Cy,not-a-meeting", ""].join("\n"));
    const run = await push(["all.csv", "--out", "joinurls.csv"]);
    expect(run.code).toBe(1);
    const rows = readCsv(join(dir, "joinurls.csv"));
    expect(rows.map((row) => [row.email, row.status])).toEqual([
      ["ada@example.com", "registered"],
      ["bob@example.com", "invalid"],
      ["cy@example.com", "invalid"],
    ]);
    expect(rows[1]?.error_message).toBe("names no event: meeting_id is empty");
    expect(rows[2]?.error_message).toMatch(/^meeting_id "not-a-meeting" is not a Zoom meeting id/);
  });

  it("reads each row's event from a column --map names", async () => {
    writeFileSync(join(dir, "all.csv"), ["email,first_name,Session", `ada@example.com,Ada,https://zoom.us/j/${meeting}?pwd=x`, ""].join("\n"));
    const run = await push(["all.csv", "--map", "meeting=Session", "--out", "joinurls.csv"]);
    expect(run.code).toBe(0);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com"]);
  });
});

describe("a broken line mid-file in an export of many events", () => {
  it("stops reading there, keeps the rows before it registered in their events, and exits 2 saying so", async () => {
    writeFileSync(join(dir, "all.csv"), ["email,first_name,meeting_id,webinar_id", `ada@example.com,Ada,${meeting},`, `bob@example.com,Bob,,${webinar}`, '"broken,Cy,1,', `dee@example.com,Dee,${meeting},`, ""].join("\n"));
    const run = await push(["all.csv", "--out", "joinurls.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: all\.csv: line 4: .*; the 2 rows before it are done \(2 registered\) and their join_urls are in .*joinurls\.csv/);
    expect(readCsv(join(dir, "joinurls.csv")).map((row) => [row.event_kind, row.email, row.status])).toEqual([
      ["meeting", "ada@example.com", "registered"],
      ["webinar", "bob@example.com", "registered"],
    ]);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com"]);
  });
});

describe("the flags and the event column together", () => {
  it("refuses --meeting with an event column, saying how to do either", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    const run = await push(["all.csv", "--meeting", meeting]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      "zoomreg: both --meeting/--webinar and the meeting_id and webinar_id columns name the rows' events: drop --meeting/--webinar to let each row name its event, or add --default-event to send the rows that name none to it",
    );
    expect(addRequests(zoom)).toBe(0);
  });

  it("sends the rows with an empty event cell to --meeting with --default-event", async () => {
    writeFileSync(join(dir, "all.csv"), ["email,first_name,webinar_id", `ada@example.com,Ada,${webinar}`, "bob@example.com,Bob,", ""].join("\n"));
    const run = await push(["all.csv", "--meeting", meeting, "--default-event", "--out", "joinurls.csv"]);
    expect(run.code).toBe(0);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["ada@example.com"]);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["bob@example.com"]);
  });

  it("asks which event when neither a flag nor a column names one", async () => {
    writeFileSync(join(dir, "people.csv"), "email,first_name\nada@example.com,Ada\n");
    const run = await push(["people.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: say which event: --meeting <id> or --webinar <id>, or a meeting_id or webinar_id column naming each row's event/);
  });

  it("refuses --state, since each event keeps its own state file", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    const run = await push(["all.csv", "--state", "one.ndjson"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--state one\.ndjson: the input names each row's event, and each event keeps a state file of its own/);
    expect(addRequests(zoom)).toBe(0);
  });

  it("shares each event's history with a single-event run of it: the state file is the same", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    await push(["all.csv", "--out", "joinurls.csv", "--no-reconcile"]);
    writeFileSync(join(dir, "webinar.csv"), "email,first_name,last_name\nbob@example.com,Bob,Doe\n");
    const single = await push(["webinar.csv", "--webinar", webinar, "--out", "joinurls.csv", "--no-reconcile", "--json"]);
    expect(JSON.parse(single.stdout)).toMatchObject({ registeredThisRun: 0, alreadyRegistered: 1 });
  });
});

describe("--prune with many events", () => {
  it("cancels only in the events tonight's input names, and only the people gone from it", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    await push(["all.csv", "--out", "joinurls.csv"]);
    // Tonight: the webinar's rows without dee, and no row for either meeting.
    writeFileSync(join(dir, "all.csv"), exportOf([["bob@example.com", "Bob", { webinar }]]));
    const run = await push(["all.csv", "--out", "joinurls.csv", "--prune", "--max-prune", "1"]);
    expect(run.code).toBe(0);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com"]);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com", "eve@example.com"]);
    expect(registeredIn(`meeting:${recurringMeeting}`)).toEqual(["cy@example.com"]);
  });

  it("never cancels a person whose row's event cell is broken tonight", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf([["bob@example.com", "Bob", { webinar }], ["dee@example.com", "Dee", { webinar }]]));
    await push(["all.csv", "--out", "joinurls.csv"]);
    writeFileSync(join(dir, "all.csv"), ["email,first_name,last_name,webinar_id", `bob@example.com,Bob,Doe,${webinar}`, "dee@example.com,Dee,Doe,812-oops", ""].join("\n"));
    const run = await push(["all.csv", "--out", "joinurls.csv", "--prune", "--max-prune", "5"]);
    expect(run.code).toBe(1);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com", "dee@example.com"]);
  });
});

describe("the dry run of many events", () => {
  it("plans per event what the run then does", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference.slice(0, 2)));
    await push(["all.csv", "--out", "joinurls.csv"]);
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    const plan = await push(["all.csv", "--out", "joinurls.csv", "--dry-run", "--json"]);
    expect(plan.code).toBe(0);
    const planned = JSON.parse(plan.stdout.trim().split("\n").at(-1) ?? "{}") as { events: { event: { id: string }; plan: { add: number; existing: number } }[] };
    const run = await push(["all.csv", "--out", "joinurls.csv", "--json"]);
    const done = JSON.parse(run.stdout) as { events: { event: { id: string }; registeredThisRun: number; alreadyRegistered: number }[] };
    const byId = new Map(done.events.map((event) => [event.event.id, event]));
    expect(planned.events.map((event) => event.event.id).sort()).toEqual([...byId.keys()].sort());
    for (const event of planned.events) {
      expect([event.plan.add, event.plan.existing]).toEqual([byId.get(event.event.id)?.registeredThisRun, byId.get(event.event.id)?.alreadyRegistered]);
    }
    expect(planned.events.map((event) => [event.event.id, event.plan.add])).toEqual([
      [meeting, 1],
      [webinar, 1],
      [recurringMeeting, 1],
    ]);
  });
});

describe("two runs of overlapping events at once", () => {
  it("never adds anyone twice and never waits on each other", async () => {
    const people = (event: { meeting: string } | { webinar: string }, from: number): Row[] => Array.from({ length: 30 }, (_, i) => [`p${from + i}@example.com`, `P${from + i}`, event]);
    const folders = [tempDir(), tempDir()];
    writeFileSync(join(folders[0] ?? "", "all.csv"), exportOf([...people({ webinar }, 0), ...people({ meeting }, 100)]));
    writeFileSync(join(folders[1] ?? "", "all.csv"), exportOf([...people({ meeting }, 100), ...people({ webinar }, 0)]));
    const args = ["push", "all.csv", "--out", "out.csv", "--batch", "never", "--rate", "20"];
    const runs = await Promise.all(folders.map((cwd) => runCli(args, { env: fakeEnv(zoom), cwd })));
    for (const run of runs) expect([0, 2]).toContain(run.code);
    const ledger = zoom.fake.ledger().events;
    const attempts = [...Object.values(ledger[`webinar:${webinar}`] ?? {}), ...Object.values(ledger[`meeting:${meeting}`] ?? {})].map((entry) => entry.addAttempts);
    expect(attempts).toHaveLength(60);
    expect(attempts.filter((count) => count > 1)).toEqual([]);
  });
});

describe("one account's limits across events", () => {
  let pro: RunningFakeZoom | undefined;
  afterEach(async () => {
    await pro?.close();
    pro = undefined;
  });

  it("never sends more Heavy or Light requests a second than Pro allows, summed over the events", async () => {
    pro = await startFakeZoom({ port: 0, rateLimits: { perSecond: { Light: 30, Medium: 20, Heavy: 10 }, perDay: {}, headers: true } });
    // Three batchable events of 150 rows each (15 batches), and 40 rows that go one by one (an org).
    const rows = [meeting, webinar].flatMap((id, k) => Array.from({ length: 150 }, (_, i) => `p${k}-${i}@example.com,P,Q,${k === 0 ? id : ""},${k === 1 ? id : ""},`));
    const singles = Array.from({ length: 40 }, (_, i) => `s${i}@example.com,S,T,${meeting},,Org ${i}`);
    writeFileSync(join(dir, "all.csv"), ["email,first_name,last_name,meeting_id,webinar_id,org", ...rows, ...singles, ""].join("\n"));
    const run = await runCli(["push", "all.csv", "--out", "joinurls.csv"], { env: fakeEnv(pro), cwd: dir });
    expect(run.code).toBe(0);
    const { peakRequestsPerSecondByLabel: peak, rateLimitedByKind } = pro.fake.ledger().totals;
    expect(peak.Heavy ?? 0).toBeGreaterThan(0);
    expect(peak.Heavy ?? 0).toBeLessThanOrEqual(10);
    expect(peak.Light ?? 0).toBeLessThanOrEqual(30);
    expect(rateLimitedByKind.qps ?? 0).toBe(0);
  });

  it("defers a person for the fourth event of the day when Zoom counts their adds across events, and registers the other three", async () => {
    pro = await startFakeZoom({ port: 0, registrantLimitScope: "acrossEvents" });
    writeFileSync(
      join(dir, "all.csv"),
      exportOf([["ada@example.com", "Ada", { meeting }], ["ada@example.com", "Ada", { webinar }], ["ada@example.com", "Ada", { meeting: recurringMeeting }], ["ada@example.com", "Ada", { meeting: manualApprovalMeeting }], ["bob@example.com", "Bob", { meeting: manualApprovalMeeting }]]),
    );
    const run = await runCli(["push", "all.csv", "--out", "joinurls.csv", "--batch", "never", "--concurrency", "1"], { env: fakeEnv(pro), cwd: dir });
    const rows = readCsv(join(dir, "joinurls.csv"));
    const statuses = rows.map((row) => `${row.email} ${row.status}`);
    expect(statuses.filter((status) => status === "ada@example.com deferred")).toHaveLength(1);
    expect(statuses.filter((status) => status.startsWith("ada@example.com") && /registered|pending_approval/.test(status))).toHaveLength(3);
    expect(statuses).toContain("bob@example.com pending_approval");
    expect(rows.find((row) => row.status === "deferred")?.deferred_until).not.toBe("");
    expect(run.code).toBe(1);
    expect(rows.map((row) => row.status)).not.toContain("failed");
  });
});

describe("a run of many events killed with kill -9", () => {
  it("is finished by the next run: everyone registered once in their own event, no part file left", async () => {
    const rows: Row[] = Array.from({ length: 150 }, (_, i) => [`k${i}@example.com`, `K${i}`, [{ meeting }, { webinar }, { meeting: recurringMeeting }][i % 3] ?? { meeting }]);
    writeFileSync(join(dir, "all.csv"), exportOf(rows));
    const args = ["push", "all.csv", "--out", "joinurls.csv", "--batch", "never", "--rate", "40"];
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...fakeEnv(zoom) }, stdio: "ignore" });
    const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
    // Killed once about a third of the adds reached the fake: mid-run in every event.
    while (addRequests(zoom) < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill("SIGKILL");
    await closed;
    const again = await push(args.slice(1));
    expect(again.code).toBe(0);
    const ledger = zoom.fake.ledger().events;
    const attempts = Object.values(ledger).flatMap((entries) => Object.values(entries).map((entry) => entry.addAttempts));
    expect(attempts).toHaveLength(150);
    expect(attempts.filter((count) => count !== 1)).toEqual([]);
    const output = readCsv(join(dir, "joinurls.csv"));
    expect(output).toHaveLength(150);
    expect(output.every((row) => row.join_url !== "")).toBe(true);
    expect(readdirSync(dir).filter((name) => /\.(input|rows|rejects)$|zoomreg-tmp/.test(name))).toEqual([]);
  });
});

describe("a run of many events stopped early", () => {
  it("prunes nobody when the input breaks mid-file, in any event", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    await push(["all.csv", "--out", "joinurls.csv"]);
    // Tonight's export breaks after its first row: the people after the break are not gone.
    writeFileSync(join(dir, "all.csv"), ["email,first_name,last_name,meeting_id,webinar_id", `ada@example.com,Ada,Doe,${meeting},`, '"broken,Bob,Doe,,1', `dee@example.com,Dee,Doe,,${webinar}`, ""].join("\n"));
    const run = await push(["all.csv", "--out", "joinurls.csv", "--prune", "--max-prune", "10"]);
    expect(run.code).toBe(2);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com", "eve@example.com"]);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com", "dee@example.com"]);
    expect(registeredIn(`meeting:${recurringMeeting}`)).toEqual(["cy@example.com"]);
  });

  it("writes every row read on SIGINT, registered or not_sent, and exits 130", async () => {
    // More rows per event than a push reads ahead (1,000): some are still waiting in their event's queue at the signal.
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => [`s${i}@example.com`, `S${i}`, i % 2 === 0 ? { meeting } : { webinar }]);
    writeFileSync(join(dir, "all.csv"), exportOf(rows));
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "all.csv", "--out", "joinurls.csv", "--batch", "never", "--rate", "15"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...fakeEnv(zoom) },
      stdio: "ignore",
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    while (addRequests(zoom) < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill("SIGINT");
    expect(await closed).toBe(130);
    const output = readCsv(join(dir, "joinurls.csv"));
    expect(output.map((row) => Number(row.line))).toEqual(Array.from({ length: 3000 }, (_, i) => i + 2));
    expect(new Set(output.map((row) => row.status))).toEqual(new Set(["registered", "not_sent"]));
    expect(output.filter((row) => row.status === "registered").length).toBe(addRequests(zoom));
  });

  it("writes what was done and then rejects when push()'s eventOf throws mid-input, leaving no push running", async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ email: `e${i}@example.com`, first_name: `E${i}`, session: i === 30 ? "boom" : meeting }));
    const pushing = pushFromCode({
      records,
      out: join(dir, "joinurls.csv"),
      env: fakeEnv(zoom),
      eventOf: (row) => {
        if (row.session === "boom") throw new TypeError("no such session");
        return { meeting: String(row.session) };
      },
    });
    await expect(pushing).rejects.toThrow("no such session");
    const addsAtTheEnd = addRequests(zoom);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(addRequests(zoom)).toBe(addsAtTheEnd);
    expect(readCsv(join(dir, "joinurls.csv")).map((row) => row.status)).toEqual(Array<string>(30).fill("registered"));
  });

  it("plans no cancel in a dry run for a person whose row's event cell is broken, as the run cancels none", async () => {
    writeFileSync(join(dir, "all.csv"), exportOf([["bob@example.com", "Bob", { webinar }], ["dee@example.com", "Dee", { webinar }]]));
    await push(["all.csv", "--out", "joinurls.csv"]);
    writeFileSync(join(dir, "all.csv"), ["email,first_name,last_name,webinar_id", `bob@example.com,Bob,Doe,${webinar}`, "dee@example.com,Dee,Doe,812-oops", ""].join("\n"));
    const plan = await push(["all.csv", "--out", "joinurls.csv", "--prune", "--max-prune", "5", "--dry-run", "--json"]);
    const planned = JSON.parse(plan.stdout.trim().split("\n").at(-1) ?? "{}") as { plan: { cancel: number } };
    expect(planned.plan.cancel).toBe(0);
  });
});

describe("nights of a sync of many events", () => {
  it("keeps each event in step with the list while people leave and come back and the host deletes by hand, touching nobody zoomreg does not own", async () => {
    const night = (rows: Row[]): void => writeFileSync(join(dir, "all.csv"), exportOf(rows));
    // Someone registered for the meeting by other means: a run of its own, with a state file this sync never reads.
    writeFileSync(join(dir, "self.csv"), "email,first_name,last_name\nself@example.com,Self,Registered\n");
    expect((await push(["self.csv", "--meeting", meeting, "--out", "self-out.csv", "--state", "self.state.ndjson"])).code).toBe(0);

    night([["ada@example.com", "Ada", { meeting }], ["eve@example.com", "Eve", { meeting }], ["bob@example.com", "Bob", { webinar }], ["dee@example.com", "Dee", { webinar }]]);
    expect((await push(["all.csv", "--out", "joinurls.csv", "--prune"])).code).toBe(0);

    // Night 2: the host deleted Ada by hand; Dee left the list.
    zoom.fake.hostChangesRegistrant("meeting", meeting, "ada@example.com", "delete");
    night([["ada@example.com", "Ada", { meeting }], ["eve@example.com", "Eve", { meeting }], ["bob@example.com", "Bob", { webinar }]]);
    expect((await push(["all.csv", "--out", "joinurls.csv", "--prune", "--max-prune", "5"])).code).toBe(0);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com", "eve@example.com", "self@example.com"]);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com"]);

    // Night 3: Dee is back.
    night([["ada@example.com", "Ada", { meeting }], ["eve@example.com", "Eve", { meeting }], ["bob@example.com", "Bob", { webinar }], ["dee@example.com", "Dee", { webinar }]]);
    const back = await push(["all.csv", "--out", "joinurls.csv", "--prune", "--max-prune", "5"]);
    expect(back.code).toBe(0);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com", "eve@example.com", "self@example.com"]);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com", "dee@example.com"]);
    const dee = readCsv(join(dir, "joinurls.csv")).find((row) => row.email === "dee@example.com");
    expect(dee?.join_url).toContain(`/w/${webinar}?`);
  });
});

describe("Zoom failing now and then during a run of many events", () => {
  it("registers everyone once through 500s and per-second 429s on the list, the adds and the batches, exit 0", async () => {
    zoom.fake.scriptFaults({ route: "listRegistrants", count: 2, answer: "500" });
    zoom.fake.scriptFaults({ route: "batchAddRegistrants", count: 2, answer: "500" });
    zoom.fake.scriptFaults({ route: "batchAddRegistrants", count: 1, answer: "qps-429" });
    zoom.fake.scriptFaults({ route: "addRegistrant", count: 1, answer: "qps-429" });
    writeFileSync(join(dir, "all.csv"), exportOf(conference));
    const run = await push(["all.csv", "--out", "joinurls.csv"]);
    expect(run.code).toBe(0);
    expect(zoom.fake.scriptedFaultsLeft()).toEqual([]);
    expect(registeredIn(`meeting:${meeting}`)).toEqual(["ada@example.com", "eve@example.com"]);
    expect(registeredIn(`webinar:${webinar}`)).toEqual(["bob@example.com", "dee@example.com"]);
    expect(registeredIn(`meeting:${recurringMeeting}`)).toEqual(["cy@example.com"]);
    const attempts = Object.values(zoom.fake.ledger().events).flatMap((entries) => Object.values(entries).map((entry) => entry.addAttempts));
    expect(attempts.every((count) => count === 1)).toBe(true);
  });
});
