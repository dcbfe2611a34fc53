import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultFakeCredentials, startFakeZoom, type FakeZoomOptions, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, runCli, tempDir } from "./harness.js";

/**
 * File-wide mistakes stop once, before anything is sent (issue 12): a required field or question no
 * column carries, a --question title the event lacks, --occurrence ids the meeting does not have.
 * Each exits 2 with one line naming the fix, sends nothing and leaves the last output as it was;
 * a row missing a value in a column that exists stays that row's problem. And nothing goes to the
 * host by surprise: a `notes` column is not sent as comments, and the dry run says what the host sees.
 */

const WEBINAR = "81234567890";
const RECURRING = "87654321098";
const ONE_TIME = "85746065";
const at = (iso: string): string => String(Date.parse(iso));

const scenario: FakeZoomOptions = {
  events: [
    {
      kind: "webinar",
      id: WEBINAR,
      type: 5,
      topic: "Launch webinar",
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-15T17:00:00Z",
      registrationQuestions: {
        questions: [{ field_name: "city", required: true }],
        custom_questions: [
          { title: "Dietary needs", type: "short", required: false },
          { title: "T-shirt size", type: "single", required: true, answers: ["S", "M", "L"] },
        ],
      },
    },
    {
      kind: "meeting",
      id: RECURRING,
      type: 8,
      topic: "Office hours",
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-08T16:00:00Z",
      occurrences: [
        { occurrence_id: at("2030-01-08T16:00:00Z"), start_time: "2030-01-08T16:00:00Z", duration: 60 },
        { occurrence_id: at("2030-01-15T16:00:00Z"), start_time: "2030-01-15T16:00:00Z", duration: 60 },
      ],
      registrationQuestions: { questions: [], custom_questions: [] },
    },
    { kind: "meeting", id: ONE_TIME, type: 2, topic: "Launch", approvalType: 0, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z", registrationQuestions: { questions: [], custom_questions: [] } },
  ],
};

/** Enough rows that a message repeated per row would show. */
function people(header: string, row: (n: number) => string, count = 40): string {
  return [header, ...Array.from({ length: count }, (_, n) => row(n)), ""].join("\n");
}

const shirtUnmapped = people("Email,First Name,City,T-Shirt,Internal ID", (n) => `p${n}@example.com,P${n},Rome,M,${n}`);
const complete = people("Email,First Name,City,question: T-shirt size,Diet", (n) => `p${n}@example.com,P${n},Rome,M,none`);
const plain = people("Email,First Name,Last Name,Notes", (n) => `p${n}@example.com,P${n},L${n},VIP: do not invite again`, 3);
const previousOutput = "line,email\n2,kept@example.com\n";

let zoom: RunningFakeZoom;
let dir: string;
beforeEach(async () => {
  zoom = await startFakeZoom({ ...scenario, port: 0 });
  dir = tempDir();
  writeFileSync(join(dir, "shirt.csv"), shirtUnmapped);
  writeFileSync(join(dir, "complete.csv"), complete);
  writeFileSync(join(dir, "plain.csv"), plain);
  writeFileSync(join(dir, "no-email.csv"), "Name\nAda\n");
  writeFileSync(join(dir, "out.csv"), previousOutput);
});
afterEach(async () => {
  await zoom.close();
});

const push = (file: string, args: string[]) => runCli(["push", file, "--out", "out.csv", "--log-level", "warn", ...args], { env: fakeEnv(zoom), cwd: dir });
const dryRun = (file: string, args: string[]) => runCli(["push", file, "--dry-run", "--log-level", "warn", ...args], { env: fakeEnv(zoom), cwd: dir });

/** One `zoomreg:` line on stderr and nothing else there. */
function oneMessage(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^zoomreg: /);
  return lines[0] ?? "";
}

const refusals = [
  {
    what: "a required question no column carries, naming the closest unmapped column",
    file: "shirt.csv",
    args: ["--webinar", WEBINAR],
    line: 'zoomreg: the form requires "T-shirt size" and no column carries it: pass --question "T-shirt size=T-Shirt"',
  },
  {
    what: "a required field no column carries",
    file: "complete.csv",
    args: ["--webinar", WEBINAR, "--map", "org=City"],
    line: 'zoomreg: the form requires city and no column carries it: pass --map city=<column> (the unmapped columns are "Diet"), or add the column',
  },
  {
    what: "a --question title the event does not have, listing its titles",
    file: "complete.csv",
    args: ["--webinar", WEBINAR, "--question", "Diet needs=Diet"],
    line: 'zoomreg: the event has no question "Diet needs" (--question "Diet needs=Diet"); its questions are "Dietary needs", "T-shirt size": did you mean --question "Dietary needs=Diet"? Titles are matched as the event spells them',
  },
  {
    what: "--occurrence ids the meeting does not have, listing its occurrences with their dates",
    file: "complete.csv",
    args: ["--meeting", RECURRING, "--occurrence", `${at("2030-01-08T16:00:00Z")},1234`],
    line: `zoomreg: --occurrence ${at("2030-01-08T16:00:00Z")},1234: meeting ${RECURRING} "Office hours" has no occurrence 1234; its occurrences are ${at("2030-01-08T16:00:00Z")} (2030-01-08 16:00 UTC), ${at("2030-01-15T16:00:00Z")} (2030-01-15 16:00 UTC): pass some of these ids, comma-separated, or leave out --occurrence`,
  },
  {
    what: "--occurrence on a meeting that has none",
    file: "complete.csv",
    args: ["--meeting", ONE_TIME, "--occurrence", "1234"],
    line: `zoomreg: --occurrence 1234: meeting ${ONE_TIME} "Launch" has no occurrences: it is a scheduled meeting (type 2), not a recurring one: leave out --occurrence: a registrant of a one-time meeting is registered for the meeting itself`,
  },
];

describe("zoomreg push: file-wide mistakes stop once, before anything is sent", () => {
  it.each(refusals)("refuses $what: exit 2, one line, nothing sent, the last output untouched", async ({ file, args, line }) => {
    const run = await push(file, args);
    expect(oneMessage(run.stderr)).toBe(line);
    expect(run.code).toBe(2);
    expect(addRequests(zoom)).toBe(0);
    expect(readFileSync(join(dir, "out.csv"), "utf8")).toBe(previousOutput);
    expect(existsSync(join(dir, "out.rejects.csv"))).toBe(false);
    expect(existsSync(join(dir, "out.csv.rejects.csv"))).toBe(false);
  });

  it.each(refusals)("refuses $what in a dry run too", async ({ file, args, line }) => {
    const run = await dryRun(file, args);
    expect(oneMessage(run.stderr)).toBe(line);
    expect(run.code).toBe(2);
    expect(run.stdout).not.toMatch(/would send/);
  });

  it("checks --occurrence before any row is read (an input it could not map is not the first complaint)", async () => {
    const run = await push("no-email.csv", ["--meeting", ONE_TIME, "--occurrence", "1234"]);
    expect(oneMessage(run.stderr)).toMatch(/^zoomreg: --occurrence 1234: meeting 85746065 "Launch" has no occurrences/);
    expect(run.code).toBe(2);
  });

  it("sends with --occurrence ids the meeting has", async () => {
    const run = await push("plain.csv", ["--meeting", RECURRING, "--occurrence", at("2030-01-15T16:00:00Z")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(["registered", "registered", "registered"]);
  });

  it("leaves a blank answer in an existing column to its row: that row invalid, the others sent", async () => {
    writeFileSync(join(dir, "one-blank.csv"), complete.replace("p3@example.com,P3,Rome,M,none", "p3@example.com,P3,Rome,,none"));
    const run = await push("one-blank.csv", ["--webinar", WEBINAR]);
    expect(run.code).toBe(1);
    const rows = readCsv(join(dir, "out.csv"));
    expect(rows.filter((row) => row.status === "invalid").map((row) => [row.line, row.error_message])).toEqual([["5", 'question "T-shirt size": missing; the event requires an answer (column "question: T-shirt size")']]);
    expect(rows.filter((row) => row.status === "registered")).toHaveLength(39);
  });

  it("sends the file once the suggested flag is passed", async () => {
    const run = await push("shirt.csv", ["--webinar", WEBINAR, "--question", "T-shirt size=T-Shirt"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(addRequests(zoom)).toBeGreaterThan(0);
  });
});

/** The registrants Zoom holds for the meeting, read the way a host's tools would. */
function registrantsOf(meetingId: string): Record<string, unknown>[] {
  const { accountId, clientId, clientSecret } = defaultFakeCredentials;
  const origin = new URL(zoom.url);
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
  const token = zoom.fake.handle({ method: "POST", url: new URL(`/oauth/token?grant_type=account_credentials&account_id=${accountId}`, origin), headers: { authorization: basic }, body: "" });
  const accessToken = (JSON.parse(token.body ?? "{}") as { access_token: string }).access_token;
  const list = zoom.fake.handle({ method: "GET", url: new URL(`/v2/meetings/${meetingId}/registrants?page_size=300`, origin), headers: { authorization: `Bearer ${accessToken}` }, body: "" });
  return (JSON.parse(list.body ?? "{}") as { registrants: Record<string, unknown>[] }).registrants;
}

describe("zoomreg push: nothing goes to the host by surprise", () => {
  it("does not send a notes column as comments", async () => {
    const run = await push("plain.csv", ["--meeting", ONE_TIME]);
    expect(run.code).toBe(0);
    const registrants = registrantsOf(ONE_TIME);
    expect(registrants).toHaveLength(3);
    expect(JSON.stringify(registrants)).not.toContain("VIP");
  });

  it("sends it when --map comments=Notes says so", async () => {
    const run = await push("plain.csv", ["--meeting", ONE_TIME, "--map", "comments=Notes"]);
    expect(run.code).toBe(0);
    expect(registrantsOf(ONE_TIME).map((registrant) => registrant.comments)).toEqual(["VIP: do not invite again", "VIP: do not invite again", "VIP: do not invite again"]);
  });

  it.each([
    { args: [] as string[], visible: "email, first_name, last_name", unmapped: true },
    { args: ["--map", "comments=Notes"], visible: 'email, first_name, last_name, comments (from column "Notes")', unmapped: false },
  ])("lists in the dry run the fields the host will see ($visible)", async ({ args, visible, unmapped }) => {
    const run = await dryRun("plain.csv", ["--meeting", ONE_TIME, ...args]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`visible to the host in Zoom: ${visible}\n`);
    expect(/^unmapped: "Notes"$/m.test(run.stdout)).toBe(unmapped);
    expect(run.stdout.indexOf("visible to the host")).toBeLessThan(run.stdout.indexOf("would send"));
  });
});
