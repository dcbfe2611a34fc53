import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, freshFakeZoomEachTest, readCsv, root, runCli } from "./harness.js";

const csv = [
  "E-mail,First Name,Last Name,Company",
  "ada@example.com,Ada,Lovelace,Analytical Engines",
  'grace@example.com,Grace,"Hopper, Jr.",Navy',
  "not-an-email,Bad,Row,",
  "ADA@example.com ,Ada,Again,",
  "linus@example.org,Linus,Torvalds,",
  "",
].join("\r\n");

let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => {
  ({ zoom, dir } = fresh);
  writeFileSync(join(dir, "people.csv"), csv);
});

const push = (args: string[], env = fakeEnv(zoom), stdin?: string) =>
  runCli(["push", ...args], { env, cwd: dir, ...(stdin === undefined ? {} : { stdin }) });

describe("zoomreg push against the fake Zoom", () => {
  it("registers every valid row of a CSV with the join_url the fake issued", async () => {
    const run = await push(["people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"]);
    expect(run.stderr).not.toMatch(/error/i);
    const rows = readCsv(join(dir, "out.csv"));
    const registered = rows.filter((row) => row.status === "registered");
    expect(registered.map((row) => row.email).sort()).toEqual(["ada@example.com", "grace@example.com", "linus@example.org"]);
    const ledger = zoom.fake.ledger().events[`meeting:${defaultEventIds.meeting}`] ?? {};
    for (const row of registered) {
      const entry = ledger[row.email ?? ""];
      expect(row.join_url).toBe(entry?.joinUrl);
      expect(row.registrant_id).toBe(entry?.registrantId);
      expect(row.tracking_id).not.toBe("");
    }
    expect(rows.find((row) => row.email === "grace@example.com")?.last_name).toBe("Hopper, Jr.");
  });

  it("puts invalid and duplicate rows in the rejects file with their line numbers and exits 1", async () => {
    const run = await push(["people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"]);
    expect(run.code).toBe(1);
    const rejects = readCsv(join(dir, "out.csv.rejects.csv"));
    expect(rejects.map((row) => [row.line, row.status])).toEqual([
      ["4", "invalid"],
      ["5", "duplicate"],
    ]);
    expect(rejects[0]?.reason).toMatch(/email/);
    expect(rejects[1]?.reason).toMatch(/duplicate of line 2/);
    expect(run.stdout).toMatch(/registered 3, invalid 1, duplicate 1 -> .*out\.csv, rejects -> .*out\.csv\.rejects\.csv/);
  });

  it("exits 0 when every row is registered, and writes nothing to stderr off a terminal (cron mails whatever a job writes there)", async () => {
    writeFileSync(join(dir, "good.csv"), "email,first_name\nada@example.com,Ada\n");
    const run = await push(["good.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^registered 1 -> /);
  });

  it("logs its info lines off a terminal when --log-level info is asked for", async () => {
    writeFileSync(join(dir, "good.csv"), "email,first_name\nada@example.com,Ada\n");
    const run = await push(["good.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv", "--log-level", "info"]);
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split("\n").map((line) => (JSON.parse(line) as { level: number }).level)).toContain(30);
  });

  it("creates the output and rejects files readable by the owner only", async () => {
    await push(["people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"]);
    expect(statSync(join(dir, "out.csv")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "out.csv.rejects.csv")).mode & 0o777).toBe(0o600);
  });

  it("names the default output after the event", async () => {
    await push(["people.csv", "--meeting", defaultEventIds.meeting]);
    expect(readdirSync(dir)).toContain(`joinurls-meeting-${defaultEventIds.meeting}.csv`);
  });

  it("reads NDJSON and writes NDJSON", async () => {
    writeFileSync(join(dir, "people.ndjson"), '{"email":"ada@example.com","firstName":"Ada"}\n\n{"email":"bob@example.com","given_name":"Bob"}\n');
    const run = await push(["people.ndjson", "--meeting", defaultEventIds.meeting, "--out", "out.ndjson"]);
    expect(run.code).toBe(0);
    const rows = readFileSync(join(dir, "out.ndjson"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => [row.line, row.status])).toEqual(expect.arrayContaining([[1, "registered"], [3, "registered"]]));
  });

  it("reads a JSON array and writes a JSON array", async () => {
    writeFileSync(join(dir, "people.json"), JSON.stringify([{ email: "ada@example.com", first_name: "Ada" }, { email: "x", first_name: "X" }]));
    const run = await push(["people.json", "--meeting", defaultEventIds.meeting, "--out", "out.json"]);
    expect(run.code).toBe(1);
    const rows = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as { line: number; status: string }[];
    expect(rows.map((row) => [row.line, row.status]).sort()).toEqual([[1, "registered"], [2, "invalid"]]);
  });

  it("reads stdin when the file is -", async () => {
    const run = await push(["-", "--meeting", defaultEventIds.meeting, "--out", "out.csv"], fakeEnv(zoom), "email,first name\nada@example.com,Ada\n");
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "out.csv"))[0]).toMatchObject({ line: "2", status: "registered" });
  });

  it("registers people for a webinar", async () => {
    const run = await push(["people.csv", "--webinar", defaultEventIds.webinar, "--out", "out.csv"]);
    expect(run.code).toBe(1);
    const ledger = zoom.fake.ledger().events[`webinar:${defaultEventIds.webinar}`] ?? {};
    expect(Object.keys(ledger).sort()).toEqual(["ada@example.com", "grace@example.com", "linus@example.org"]);
  });

  it("authenticates with a JWT signed from the API key and secret", async () => {
    const run = await push(["people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"], fakeEnv(zoom, "jwt"));
    expect(run.code).toBe(1);
    expect(readCsv(join(dir, "out.csv")).filter((row) => row.status === "registered")).toHaveLength(3);
  });

  it("sends no request in a dry run and needs no credentials", async () => {
    const run = await push(["people.csv", "--meeting", defaultEventIds.meeting, "--dry-run"], {});
    expect(addRequests(zoom)).toBe(0);
    expect(zoom.fake.ledger().totals.tokensIssued).toBe(0);
    expect(run.stdout).toMatch(/line 2: would send \{"email":"ada@example.com"/);
    expect(run.stdout).toMatch(/line 4: invalid: email/);
    expect(run.stdout).toMatch(/dry run: would send 3, invalid 1, duplicate 1; nothing was sent/);
    expect(readdirSync(dir)).toEqual(["people.csv"]);
  });

  it("refuses wrong credentials with exit 3 and never shows the secret", async () => {
    const secret = "wrong-secret-value-123";
    const env = { ...fakeEnv(zoom), ZOOM_CLIENT_SECRET: secret };
    const run = await push(["people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv", "--log-level", "trace"], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/ZOOM_CLIENT_SECRET/);
    expect(run.stdout + run.stderr).not.toContain(secret);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), "utf8")).not.toContain(secret);
    expect(readdirSync(dir)).toEqual(["people.csv"]);
  });

  it("refuses missing credentials with exit 2 naming them, before reading the input", async () => {
    const run = await push(["no-such-file.csv", "--meeting", defaultEventIds.meeting], { ZOOM_ACCOUNT_ID: "acc" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET not set/);
  });

  it("refuses an input without an email column with exit 2 naming the columns found", async () => {
    writeFileSync(join(dir, "no-email.csv"), "name,company\nAda,X\n");
    const run = await push(["no-email.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no email column: found "name", "company"/);
    expect(addRequests(zoom)).toBe(0);
  });

  it("refuses a missing input file with exit 2", async () => {
    const run = await push(["missing.csv", "--meeting", defaultEventIds.meeting]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.csv/);
  });

  it("stops with exit 2 and Zoom's code when the meeting does not exist", async () => {
    const run = await push(["people.csv", "--meeting", "11111111111", "--out", "out.csv", "--no-preflight"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/GET \/meetings\/11111111111\/registrants failed: 404 code 3001/);
  });

  it("stops at the first add with exit 2 when the meeting does not exist and reconcile is off", async () => {
    const run = await push(["people.csv", "--meeting", "11111111111", "--out", "out.csv", "--no-reconcile", "--batch", "never", "--no-preflight"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/meeting 11111111111 does not exist \(Zoom: 404 code 3001 Meeting does not exist/);
    expect(addRequests(zoom)).toBeLessThanOrEqual(10);
  });

  it.each([
    [["people.csv"], /say which event: --meeting <id> or --webinar <id>, or a meeting_id or webinar_id column/],
    [["people.csv", "--meeting", "abc"], /is not a Zoom meeting id/],
    [["people.csv", "--meeting", "85746065", "--rate", "0"], /--rate 0/],
    [["people.csv", "--meeting", "85746065", "--out", "out.txt"], /unknown extension/],
    [["people.csv", "--meeting", "85746065", "--bogus"], /unknown option '--bogus'/],
  ])("refuses bad usage %j with exit 2 and a one-line reason", async (args, message) => {
    const run = await push(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe("zoomreg push into a pipe that closes", () => {
  it("keeps its exit code 1 for an invalid row when stdout's reader has left, as in `--json | true`", async () => {
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv", "--json"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...fakeEnv(zoom) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // `true` reads nothing and exits: our end closes before the push prints anything.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
  });
});
