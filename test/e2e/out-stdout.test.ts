import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { outputColumns } from "../../src/output/index.js";
import { fakeEnv, readCsv, root, runCli, tempDir, freshFakeZoomEachTest, type CliRun } from "./harness.js";

const meeting = defaultEventIds.meeting;
/** Four good rows and one invalid: a rejects file is written. */
const csv = (prefix: string): string =>
  ["email,first_name,last_name", ...[1, 2, 3, 4].map((i) => `${prefix}${i}@example.com,${prefix.toUpperCase()}${i},Q`), `not-an-email-${prefix},Bad,Row`, ""].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));

const push = (args: string[]) => runCli(["push", ...args], { env: fakeEnv(zoom), cwd: dir });

/** Parses what the CLI printed as the CSV file it would have written. */
function csvRows(text: string): Record<string, string>[] {
  const path = join(tempDir(), "stdout.csv");
  writeFileSync(path, text);
  return readCsv(path);
}

describe("--out -", () => {
  it("prints the rows as CSV and nothing else on stdout; the summary goes to stderr, the rejects and state to the working folder", async () => {
    writeFileSync(join(dir, "people.csv"), csv("p"));
    const run = await push(["people.csv", "--meeting", meeting, "--out", "-"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\r\n")[0]).toBe(outputColumns.join(","));
    const rows = csvRows(run.stdout);
    expect(rows).toHaveLength(5);
    expect(run.stdout.trimEnd().split("\r\n")).toHaveLength(6);
    expect(rows.filter((row) => row.status === "registered").map((row) => row.email).sort()).toEqual(["p1@example.com", "p2@example.com", "p3@example.com", "p4@example.com"]);
    expect(rows.every((row) => row.status !== "registered" || row.join_url?.startsWith("https://") === true)).toBe(true);
    expect(run.stderr).toMatch(/registered 4, invalid 1 -> stdout, rejects -> .*zoomreg-meeting-85746065\.rejects\.csv/);
    expect(readCsv(join(dir, `zoomreg-meeting-${meeting}.rejects.csv`)).map((row) => row.status)).toEqual(["invalid"]);
    expect(existsSync(join(dir, `zoomreg-meeting-${meeting}.state.ndjson`))).toBe(true);
    expect(readdirSync(dir).filter((name) => name === "-" || name.endsWith(".zoomreg-tmp"))).toEqual([]);
  });

  it("puts the --json summary on stderr, naming stdout as the output", async () => {
    writeFileSync(join(dir, "people.csv"), csv("p"));
    const run = await push(["people.csv", "--meeting", meeting, "--out", "-", "--json", "--log-level", "silent"]);
    expect(csvRows(run.stdout)).toHaveLength(5);
    const summary = JSON.parse(run.stderr.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
    expect(summary).toMatchObject({ output: "stdout", rejects: join(dir, `zoomreg-meeting-${meeting}.rejects.csv`), counts: { registered: 4, invalid: 1 } });
  });

  it("reads stdin and writes stdout: a push in the middle of a pipe", async () => {
    const run = await runCli(["push", "-", "--meeting", meeting, "--out", "-", "-q"], { env: fakeEnv(zoom), cwd: dir, stdin: csv("s") });
    expect(csvRows(run.stdout).filter((row) => row.status === "registered")).toHaveLength(4);
  });
});

/** The CLI with its stdout on /dev/full, where every write fails with ENOSPC (a full disk at once). */
function pushToFullStdout(args: readonly string[]): Promise<CliRun> {
  const full = openSync("/dev/full", "w");
  const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...fakeEnv(zoom) },
    stdio: ["ignore", full, "pipe"],
  });
  closeSync(full);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: "", stderr }));
  });
}

describe.skipIf(!existsSync("/dev/full"))("--out - onto a full disk (/dev/full)", () => {
  it("exits 2 with one line and no stack trace, and a re-run to a file adds nobody twice", async () => {
    writeFileSync(join(dir, "people.csv"), csv("f"));
    const run = await pushToFullStdout(["people.csv", "--meeting", meeting, "--out", "-", "--batch", "never"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: disk full: cannot write to stdout \(ENOSPC\): .*--out a file.*\n$/);
    expect(run.stderr.split("\n")).toHaveLength(2);
    const rerun = await push(["people.csv", "--meeting", meeting, "--out", "out.csv", "--batch", "never"]);
    expect(rerun.code).toBe(1);
    expect(readCsv(join(dir, "out.csv")).filter((row) => row.status === "registered" || row.status === "existing")).toHaveLength(4);
    const attempts = Object.values(zoom.fake.ledger().events[`meeting:${meeting}`] ?? {}).map((entry) => entry.addAttempts);
    expect(attempts.filter((count) => count > 1)).toEqual([]);
  });
});

describe("rejects beside their output", () => {
  it("keeps two rejects files for two outputs in one folder (a.ndjson, b.ndjson)", async () => {
    writeFileSync(join(dir, "a.csv"), csv("a"));
    writeFileSync(join(dir, "b.csv"), csv("b"));
    const a = await push(["a.csv", "--meeting", meeting, "--out", "a.ndjson", "--json", "--log-level", "silent"]);
    const b = await push(["b.csv", "--meeting", meeting, "--out", "b.ndjson", "--json", "--log-level", "silent"]);
    expect((JSON.parse(a.stdout) as { rejects: string }).rejects).toBe(join(dir, "a.ndjson.rejects.csv"));
    expect((JSON.parse(b.stdout) as { rejects: string }).rejects).toBe(join(dir, "b.ndjson.rejects.csv"));
    expect(readCsv(join(dir, "a.ndjson.rejects.csv")).map((row) => row.email)).toEqual(["not-an-email-a"]);
    expect(readCsv(join(dir, "b.ndjson.rejects.csv")).map((row) => row.email)).toEqual(["not-an-email-b"]);
    expect(readFileSync(join(dir, "b.ndjson"), "utf8").trim().split("\n")).toHaveLength(5);
  });

  it("writes no rejects file, and names none, when no row is rejected", async () => {
    writeFileSync(join(dir, "good.csv"), "email,first_name\ngood@example.com,Good\n");
    const run = await push(["good.csv", "--meeting", meeting, "--out", "good.ndjson", "--json", "--log-level", "silent"]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { rejects: unknown }).rejects).toBeNull();
    expect(existsSync(join(dir, "good.ndjson.rejects.csv"))).toBe(false);
  });
});
