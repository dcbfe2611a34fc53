import { spawn } from "node:child_process";
import { openSync, closeSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, root, runCli, tempDir, type CliRun } from "./harness.js";

/**
 * Inputs as people's tools write them: gzip from a nightly export, UTF-16 from Excel's "Unicode Text",
 * Windows-1252 from Excel's "CSV (Comma delimited)". Each must reach Zoom with the names spelled right,
 * or not at all. The files are generated here, so the fixtures are the code that makes them.
 */
const people = [
  ["email", "first_name", "last_name"],
  ["rene@example.com", "Renée", "Lefèvre"],
  ["zoe@example.com", "Zoë", "Ångström"],
  ["jose@example.com", "José", "Nuñez"],
];
const csvText = `${people.map((row) => row.join(",")).join("\r\n")}\r\n`;
const expectedNames = ["José Nuñez", "Renée Lefèvre", "Zoë Ångström"];

let zoom: RunningFakeZoom;
let dir: string;
/** Every first and last name Zoom received, single and batch adds alike. */
let namesSent: string[];

beforeEach(async () => {
  namesSent = [];
  zoom = await startFakeZoom({
    port: 0,
    interceptors: [
      {
        beforeRoute: (exchange) => {
          if (exchange.request.method === "POST" && /registrants$/.test(exchange.request.url.pathname)) {
            const body = JSON.parse(exchange.request.body) as { first_name?: string; last_name?: string; registrants?: { first_name: string; last_name?: string }[] };
            for (const person of body.registrants ?? [body]) namesSent.push(`${person.first_name ?? ""} ${person.last_name ?? ""}`);
          }
          return undefined;
        },
      },
    ],
  });
  dir = tempDir();
});
afterEach(async () => {
  await zoom.close();
});

/** At warn level, so stderr holds only what the user must read. */
const commonFlags = ["--meeting", defaultEventIds.meeting, "--out", "out.csv", "--log-level", "warn"];
const push = (args: string[]): Promise<CliRun> => runCli(["push", ...args, ...commonFlags], { env: fakeEnv(zoom), cwd: dir });

/** runCli's stdin is text; a gzip stream needs the bytes as they are, so the file is the child's stdin. */
function pushFromStdinFile(path: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const stdin = openSync(path, "r");
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "-", ...args, ...commonFlags], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...fakeEnv(zoom) },
      stdio: [stdin, "pipe", "pipe"],
    });
    closeSync(stdin);
    let stdout = "";
    let stderr = "";
    // Typed nullable because stdin is a descriptor, not a pipe; stdout and stderr are pipes.
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function registeredNames(): string[] {
  return readCsv(join(dir, "out.csv"))
    .filter((row) => row.status === "registered")
    .map((row) => `${row.first_name ?? ""} ${row.last_name ?? ""}`)
    .sort();
}

describe("zoomreg push reads compressed and non-UTF-8 inputs", () => {
  it("registers everyone in a gzip CSV, spelled as in the file", async () => {
    writeFileSync(join(dir, "people.csv.gz"), gzipSync(csvText));
    const run = await push(["people.csv.gz"]);
    expect(run.code).toBe(0);
    expect(registeredNames()).toEqual(expectedNames);
    expect(namesSent.sort()).toEqual(expectedNames);
  });

  it("registers everyone in a gzip NDJSON file", async () => {
    const ndjson = people.slice(1).map(([email, first_name, last_name]) => JSON.stringify({ email, first_name, last_name })).join("\n");
    writeFileSync(join(dir, "people.ndjson.gz"), gzipSync(ndjson));
    const run = await push(["people.ndjson.gz"]);
    expect(run.code).toBe(0);
    expect(namesSent.sort()).toEqual(expectedNames);
  });

  it("reads gzip from stdin by its magic number", async () => {
    writeFileSync(join(dir, "export.bin"), gzipSync(csvText));
    const run = await pushFromStdinFile(join(dir, "export.bin"), []);
    expect(run.code).toBe(0);
    expect(namesSent.sort()).toEqual(expectedNames);
  });

  it("registers everyone in a UTF-16LE CSV with a byte order mark", async () => {
    writeFileSync(join(dir, "people.csv"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvText, "utf16le")]));
    const run = await push(["people.csv"]);
    expect(run.code).toBe(0);
    expect(registeredNames()).toEqual(expectedNames);
    expect(namesSent.sort()).toEqual(expectedNames);
  });

  it("registers everyone in a BOM-less UTF-16LE tab-separated file, as Excel's Unicode Text can arrive", async () => {
    writeFileSync(join(dir, "people.tsv"), Buffer.from(csvText.replaceAll(",", "\t"), "utf16le"));
    const run = await push(["people.tsv"]);
    expect(run.code).toBe(0);
    expect(namesSent.sort()).toEqual(expectedNames);
  });

  it("refuses a Windows-1252 CSV in one line that names the line and the fix, sending nothing", async () => {
    writeFileSync(join(dir, "people.csv"), Buffer.from(csvText, "latin1"));
    const run = await push(["people.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      'zoomreg: people.csv: line 2 is not UTF-8 (byte 0xE9; as Windows-1252 it would read "Renée"): if it came from Excel or another Windows program, add --encoding latin1 (read as Windows-1252), or save it as UTF-8; --encoding takes utf8|utf16le|utf16be|latin1',
    ]);
    expect(addRequests(zoom)).toBe(0);
  });

  it("registers everyone in a Windows-1252 CSV given --encoding latin1", async () => {
    writeFileSync(join(dir, "people.csv"), Buffer.from(csvText, "latin1"));
    const run = await push(["people.csv", "--encoding", "latin1"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(namesSent.sort()).toEqual(expectedNames);
  });

  it("refuses --encoding latin1 of a UTF-8 file rather than garble its names", async () => {
    writeFileSync(join(dir, "people.csv"), csvText);
    const run = await push(["people.csv", "--encoding", "latin1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: people\.csv: line 2 is UTF-8 \("Renée"\), not Windows-1252: drop --encoding latin1/);
    expect(addRequests(zoom)).toBe(0);
  });

  it("refuses a corrupt gzip file, naming it", async () => {
    const gz = gzipSync(csvText);
    gz.fill(0x55, 12, 40);
    writeFileSync(join(dir, "people.csv.gz"), gz);
    const run = await push(["people.csv.gz"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: people\.csv\.gz: the gzip data is corrupt \(/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(addRequests(zoom)).toBe(0);
  });

  it("refuses an Excel workbook with how to export it", async () => {
    writeFileSync(join(dir, "people.csv"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    const run = await push(["people.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: people\.csv is a ZIP archive .*: open it in Excel and save a copy as CSV UTF-8/);
  });
});
