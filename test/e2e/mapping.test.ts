/**
 * Column mapping beyond the aliases, end to end: `--map`, `--question`, dotted paths into nested
 * JSON, zoomreg.config.json (or --config), and the mapping shown by `push --dry-run`.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, parseScenarioText, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, readCsv, root, runCli, tempDir } from "./harness.js";

const messyCsv = [
  "Internal ID,Given Name,Surname/Family,Contact,Diet,Notes",
  "C-1,Ada,Lovelace,ada@example.com,Vegetarian,met at the expo",
  "C-2,Grace,Hopper,grace@example.com,,",
  "",
].join("\r\n");

const nestedNdjson = [
  JSON.stringify({ id: 1, name: { given: "Ada", family: "Lovelace" }, contact: { email: "ada@example.com" }, answers: { diet: "Vegan" } }),
  JSON.stringify({ id: 2, name: { given: "Grace", family: "Hopper" }, contact: { email: "grace@example.com" }, answers: { diet: "None" } }),
  "",
].join("\n");

/** `line 2: would send {...}` lines of a dry run, as line -> body. */
function wouldSend(stdout: string): Map<number, Record<string, unknown>> {
  const bodies = new Map<number, Record<string, unknown>>();
  for (const match of stdout.matchAll(/^line (\d+): would send (\{.*\})$/gm)) bodies.set(Number(match[1]), JSON.parse(match[2] ?? "{}") as Record<string, unknown>);
  return bodies;
}

function folderWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

let zoom: RunningFakeZoom | undefined;
afterEach(async () => {
  await zoom?.close();
  zoom = undefined;
});

describe("push --dry-run with --map and --question", () => {
  it("prints the mapping, stated columns included, before the rows", async () => {
    const dir = folderWith({ "messy.csv": messyCsv });
    const run = await runCli(["push", "messy.csv", "--meeting", defaultEventIds.meeting, "--dry-run", "--map", "email=Contact", "--question", "Dietary needs=Diet"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s*email\s+<- "Contact"$/m);
    expect(run.stdout).toMatch(/^\s*first_name\s+<- "Given Name"$/m);
    // A notes column is not sent to Zoom's comments, which the host sees, unless --map says so (issue 12).
    expect(run.stdout).not.toMatch(/^\s*comments\s+<-/m);
    expect(run.stdout).toMatch(/^\s*question "Dietary needs" <- "Diet"$/m);
    expect(run.stdout).toMatch(/^\s*unmapped: "Internal ID", "Surname\/Family", "Notes"$/m);
    expect(run.stdout.indexOf("<- \"Contact\"")).toBeLessThan(run.stdout.indexOf("would send"));
  });

  it("would send each row with the stated columns' values", async () => {
    const dir = folderWith({ "messy.csv": messyCsv });
    const run = await runCli(
      ["push", "messy.csv", "--meeting", defaultEventIds.meeting, "--dry-run", "--map", "email=Contact", "--map", "last_name=Surname/Family", "--question", "Dietary needs=Diet"],
      { cwd: dir },
    );
    const bodies = wouldSend(run.stdout);
    expect(bodies.get(2)).toEqual({
      email: "ada@example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      custom_questions: [{ title: "Dietary needs", value: "Vegetarian" }],
    });
    expect(bodies.get(3)).toEqual({ email: "grace@example.com", first_name: "Grace", last_name: "Hopper" });
  });

  it("reads nested NDJSON records through dotted paths", async () => {
    const dir = folderWith({ "people.ndjson": nestedNdjson });
    const run = await runCli(
      ["push", "people.ndjson", "--meeting", defaultEventIds.meeting, "--dry-run", "--map", "email=contact.email", "--map", "first_name=name.given", "--map", "last_name=name.family", "--question", "Dietary needs=answers.diet"],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s*email\s+<- "contact\.email"$/m);
    expect(run.stdout).toMatch(/^\s*unmapped: "id"$/m);
    expect(wouldSend(run.stdout).get(1)).toEqual({ email: "ada@example.com", first_name: "Ada", last_name: "Lovelace", custom_questions: [{ title: "Dietary needs", value: "Vegan" }] });
    expect(wouldSend(run.stdout).get(2)?.email).toBe("grace@example.com");
  });

  it("refuses a stated column the input does not have, naming it and the columns found", async () => {
    const dir = folderWith({ "messy.csv": messyCsv });
    const run = await runCli(["push", "messy.csv", "--meeting", defaultEventIds.meeting, "--dry-run", "--map", "email=E-mail"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/no column "E-mail"; found "Internal ID", "Given Name", "Surname\/Family", "Contact", "Diet", "Notes"/);
    expect(wouldSend(run.stdout).size).toBe(0);
  });

  it("refuses a name that is not a Zoom field, listing the valid ones", async () => {
    const dir = folderWith({ "messy.csv": messyCsv });
    const run = await runCli(["push", "messy.csv", "--meeting", defaultEventIds.meeting, "--dry-run", "--map", "mail=Contact"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: --map mail=Contact: "mail" is not a field of Zoom's registrant: use one of email, first_name, last_name, .*language/);
  });
});

describe("zoomreg.config.json", () => {
  it("supplies the event, the mapping and the output to a push given only the file", async () => {
    zoom = await startFakeZoom({ port: 0 });
    const dir = folderWith({
      "messy.csv": messyCsv,
      "zoomreg.config.json": JSON.stringify({ meeting: defaultEventIds.meeting, out: "registered.csv", map: { email: "Contact", last_name: "Surname/Family" }, questions: { "Dietary needs": "Diet" } }),
    });
    const run = await runCli(["push", "messy.csv"], { cwd: dir, env: fakeEnv(zoom) });
    expect(run.code).toBe(0);
    const rows = readCsv(join(dir, "registered.csv"));
    expect(rows.map((row) => [row.email, row.last_name, row.status])).toEqual([
      ["ada@example.com", "Lovelace", "registered"],
      ["grace@example.com", "Hopper", "registered"],
    ]);
    expect(Object.keys(zoom.fake.ledger().events[`meeting:${defaultEventIds.meeting}`] ?? {}).sort()).toEqual(["ada@example.com", "grace@example.com"]);
  });

  it("lets flags on the command line win over the file", async () => {
    zoom = await startFakeZoom({ port: 0 });
    const dir = folderWith({
      "messy.csv": "Contact,Backup,Given Name\r\nold@example.com,ada@example.com,Ada\r\n",
      "zoomreg.config.json": JSON.stringify({ meeting: "1", out: "from-config.csv", map: { email: "Contact" } }),
    });
    const run = await runCli(["push", "messy.csv", "--meeting", defaultEventIds.meeting, "--out", "from-flag.csv", "--map", "email=Backup"], { cwd: dir, env: fakeEnv(zoom) });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, "from-config.csv"))).toBe(false);
    expect(readCsv(join(dir, "from-flag.csv")).map((row) => row.email)).toEqual(["ada@example.com"]);
  });

  it("is read from --config, its paths relative to the file", async () => {
    zoom = await startFakeZoom({ port: 0 });
    const dir = folderWith({ "messy.csv": messyCsv });
    mkdirSync(join(dir, "jobs"));
    writeFileSync(join(dir, "jobs", "nightly.json"), JSON.stringify({ meeting: defaultEventIds.meeting, out: "joinurls.csv", map: { email: "Contact" } }));
    const run = await runCli(["push", "messy.csv", "--config", "jobs/nightly.json"], { cwd: dir, env: fakeEnv(zoom) });
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "jobs", "joinurls.csv"))).toHaveLength(2);
  });

  it("refuses an unknown key in one line naming the file and the key, before anything is sent", async () => {
    zoom = await startFakeZoom({ port: 0 });
    const dir = folderWith({ "messy.csv": messyCsv, "zoomreg.config.json": JSON.stringify({ meeting: defaultEventIds.meeting, autoAprove: true }) });
    const run = await runCli(["push", "messy.csv"], { cwd: dir, env: fakeEnv(zoom) });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^zoomreg: zoomreg\.config\.json: unknown key "autoAprove": did you mean "autoApprove"\?/);
    expect(zoom.fake.ledger().totals.tokensIssued).toBe(0);
  });
});

describe("the README walkthrough (fixtures/messy)", () => {
  it("pushes the messy export with its config file: the good rows are registered, the broken ones are not", async () => {
    const scenario = parseScenarioText(readFileSync(join(root, "fixtures", "messy", "scenario.json"), "utf8"), "scenario.json");
    zoom = await startFakeZoom({ ...scenario, port: 0 });
    const dir = tempDir();
    cpSync(join(root, "fixtures", "messy"), dir, { recursive: true });
    const run = await runCli(["push", "export.csv"], { cwd: dir, env: fakeEnv(zoom) });
    expect(run.code).toBe(1);
    const rows = readCsv(join(dir, "joinurls.csv"));
    const byLine = new Map(rows.map((row) => [row.line, row]));
    const ledger = zoom.fake.ledger().events["webinar:81234567890"] ?? {};
    for (const line of ["2", "3", "4", "5"]) {
      const row = byLine.get(line);
      expect(row?.status).toBe("registered");
      expect(row?.join_url).toBe(ledger[row?.email ?? ""]?.joinUrl);
    }
    expect(byLine.get("4")?.last_name).toBe("Hopper, Jr.");
    expect(byLine.get("6")).toMatchObject({ status: "invalid", error_message: 'email: "(at)" in place of "@" (ada(at)example.com): write "@"' });
    // Line 7 leaves the required "Dietary needs" unanswered: refused by preflight or, without it, by Zoom.
    expect(byLine.get("7")?.status).not.toBe("registered");
    expect(ledger["alan.turing@example.com"]).toBeUndefined();
    // Line 8's T-shirt size is not among the form's answers: the preflight marks it, naming the question.
    expect(byLine.get("8")).toMatchObject({ status: "invalid" });
    expect(byLine.get("8")?.error_message).toMatch(/T-shirt size/);
  });

  it("shows in a dry run, before anything is sent, which rows the event's form would refuse", async () => {
    const scenario = parseScenarioText(readFileSync(join(root, "fixtures", "messy", "scenario.json"), "utf8"), "scenario.json");
    zoom = await startFakeZoom({ ...scenario, port: 0 });
    const dir = tempDir();
    cpSync(join(root, "fixtures", "messy"), dir, { recursive: true });
    const run = await runCli(["push", "export.csv", "--dry-run"], { cwd: dir, env: fakeEnv(zoom) });
    expect(run.stdout).toMatch(/line 7: invalid: .*Dietary needs/);
    expect(run.stdout).toMatch(/line 8: invalid: .*T-shirt size/);
    const adds = Object.entries(zoom.fake.ledger().totals.requestsByRoute).filter(([route]) => route.startsWith("POST /v2/"));
    expect(adds).toEqual([]);
  });
});

describe("push --dry-run into a pipe that closes", () => {
  it("stops quietly with exit 0 when the reader leaves early, as `| head` does", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "many.csv"), ["email,first_name", ...Array.from({ length: 20_000 }, (_, i) => `p${i}@example.com,P${i}`), ""].join("\n"));
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "many.csv", "--meeting", defaultEventIds.meeting, "--dry-run", "--json"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // Read one chunk, then close our end, as `head -1` does.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("a column that forces single adds", () => {
  let zoom: RunningFakeZoom | undefined;
  afterEach(async () => {
    await zoom?.close();
    zoom = undefined;
  });

  it("is named by the dry run with its cost and the flag that leaves it out, and --ignore sends every row in batches", async () => {
    zoom = await startFakeZoom({ port: 0 });
    const dir = tempDir();
    const lines = Array.from({ length: 60 }, (_, i) => `p${i}@example.com,P,${i},${i < 10 ? "Acme" : ""}`);
    writeFileSync(join(dir, "people.csv"), ["Email,First Name,Last Name,Company", ...lines, ""].join("\n"));
    const args = ["push", "people.csv", "--webinar", defaultEventIds.webinar, "--out", "out.csv"];
    const dry = await runCli([...args, "--dry-run"], { env: fakeEnv(zoom), cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("cost: 50 rows in 2 batches (Heavy, 10/s: 0.2 s) and 10 single adds (Light, 30/s: 0.3 s); at least 0.3 s at the plan's limits\n");
    expect(dry.stdout).toContain('  single adds because of "Company" (org) on 10 rows: --ignore org leaves it out\n');

    const ignored = await runCli([...args, "--ignore", "org", "--dry-run", "--json"], { env: fakeEnv(zoom), cwd: dir });
    expect((JSON.parse(ignored.stdout.trim().split("\n").at(-1) ?? "{}") as { cost: Record<string, unknown> }).cost).toMatchObject({ batches: "yes", batchRows: 60, batchRequests: 2, singleRows: 0, singleBecause: [] });
    const run = await runCli([...args, "--ignore", "org", "--json"], { env: fakeEnv(zoom), cwd: dir });
    expect((JSON.parse(run.stdout) as { counts: Record<string, number> }).counts.registered).toBe(60);
    const routes = zoom.fake.ledger().totals.requestsByRoute;
    expect([routes["POST /v2/webinars/{webinarId}/batch_registrants"], routes["POST /v2/webinars/{webinarId}/registrants"] ?? 0]).toEqual([2, 0]);
  });
});
