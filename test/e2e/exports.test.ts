import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, runCli, type CliRun, freshFakeZoomEachTest } from "./harness.js";

/**
 * Exports as real tools write them (issue 12): Excel's semicolon CSV from a European laptop, a tab
 * file, mongoexport's one object per line in a `.json`, an API answer that wraps the list in an
 * object. Each must register everyone, or stop in one line that says what to pass, sending nothing.
 */
const people = [
  { email: "rene@example.com", first: "Renée", last: "Lefèvre", city: "Paris, France" },
  { email: "zoe@example.com", first: "Zoë", last: "Ångström", city: "Uppsala" },
  { email: "jose@example.com", first: "José", last: "Nuñez", city: "Sevilla" },
];
const expectedEmails = people.map((person) => person.email).sort();

/** What Excel writes with "CSV UTF-8" where the list separator is `;`: a BOM, CRLF, commas left in the text. */
const excelEuropean = `\uFEFF${["Email;First Name;Last Name;City", ...people.map((p) => `${p.email};${p.first};${p.last};${p.city}`)].join("\r\n")}\r\n`;
const tabSeparated = `${["email\tfirst_name\tlast_name", ...people.map((p) => `${p.email}\t${p.first}\t${p.last}`)].join("\n")}\n`;
/** mongoexport's default: one object a line, `_id` as extended JSON. */
const mongoexport = people.map((p, index) => JSON.stringify({ _id: { $oid: `65f0c0ffee0000000000000${index}` }, email: p.email, first_name: p.first, last_name: p.last })).join("\n") + "\n";
const wrapped = JSON.stringify({ data: people.map((p) => ({ email: p.email, first_name: p.first, last_name: p.last })), page: 1, next: null }, null, 2);

let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));

/** At warn level, so stderr holds only what the user must read. */
const commonFlags = ["--meeting", defaultEventIds.meeting, "--out", "out.csv", "--log-level", "warn"];
const push = (args: string[]): Promise<CliRun> => runCli(["push", ...args, ...commonFlags], { env: fakeEnv(zoom), cwd: dir });
const dryRun = (args: string[]): Promise<CliRun> => runCli(["push", ...args, "--meeting", defaultEventIds.meeting, "--dry-run"], { cwd: dir });

function registeredEmails(): string[] {
  return readCsv(join(dir, "out.csv"))
    .filter((row) => row.status === "registered")
    .map((row) => row.email ?? "")
    .sort();
}

describe("zoomreg push reads delimiters as exports have them", () => {
  it("registers everyone in Excel's semicolon CSV with a BOM and CRLF, names and commas intact", async () => {
    writeFileSync(join(dir, "people.csv"), excelEuropean);
    const run = await push(["people.csv"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const rows = readCsv(join(dir, "out.csv"));
    expect(rows.map((row) => row.email).sort()).toEqual(expectedEmails);
    expect(rows.find((row) => row.email === "rene@example.com")).toMatchObject({ status: "registered", first_name: "Renée", last_name: "Lefèvre" });
    expect(Object.keys(zoom.fake.ledger().events[`meeting:${defaultEventIds.meeting}`] ?? {}).sort()).toEqual(expectedEmails);
  });

  it("names the detected delimiter in the dry run, before the mapping", async () => {
    writeFileSync(join(dir, "people.csv"), excelEuropean);
    const run = await dryRun(["people.csv"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe('delimiter: ";" (detected from the header)');
    expect(lines[1]).toMatch(/^email\s+<- "Email"$/);
    expect(run.stdout).toMatch(/line 2: would send \{"email":"rene@example.com","first_name":"Renée","last_name":"Lefèvre","city":"Paris, France"\}/);
  });

  it("registers everyone with --delimiter tab, and says so in the dry run", async () => {
    writeFileSync(join(dir, "people.csv"), tabSeparated);
    const run = await push(["people.csv", "--delimiter", "tab"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(registeredEmails()).toEqual(expectedEmails);
    expect((await dryRun(["people.csv", "--delimiter", "\\t"])).stdout.split("\n")[0]).toBe("delimiter: tab (--delimiter)");
  });

  it("refuses an unknown --delimiter in one line with the values it takes, sending nothing", async () => {
    writeFileSync(join(dir, "people.csv"), tabSeparated);
    const run = await push(["people.csv", "--delimiter", ":"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual(['zoomreg: --delimiter ":": not a delimiter zoomreg reads: use one of , ; | tab \\t']);
    expect(addRequests(zoom)).toBe(0);
  });
});

describe("zoomreg push reads JSON as exports have it", () => {
  it("registers everyone in a mongoexport .json, one object per line", async () => {
    writeFileSync(join(dir, "people.json"), mongoexport);
    const run = await push(["people.json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(registeredEmails()).toEqual(expectedEmails);
    expect((await dryRun(["people.json"])).stdout.split("\n")[0]).toBe("layout: one JSON object per line (NDJSON), detected from the content");
  });

  it('refuses {"data": [...]} with the --json-path to pass, sending nothing, then registers everyone with it', async () => {
    writeFileSync(join(dir, "people.json"), wrapped);
    const refused = await push(["people.json"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toEqual(['zoomreg: people.json: the JSON is an object, not an array: pass --json-path data (its "data" holds 3 records)']);
    expect(addRequests(zoom)).toBe(0);

    const run = await push(["people.json", "--json-path", "data"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(registeredEmails()).toEqual(expectedEmails);
  });

  it("takes the path from zoomreg.config.json", async () => {
    writeFileSync(join(dir, "people.json"), wrapped);
    writeFileSync(join(dir, "zoomreg.config.json"), JSON.stringify({ jsonPath: "data" }));
    const run = await push(["people.json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(registeredEmails()).toEqual(expectedEmails);
  });

  it("refuses --json-path on a CSV in one line", async () => {
    writeFileSync(join(dir, "people.csv"), excelEuropean);
    const run = await push(["people.csv", "--json-path", "data"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("zoomreg: --json-path applies to JSON input, and this input is read as CSV: drop --json-path, or pass --format json");
  });
});

describe("zoomreg push says why an email is not one", () => {
  it("names the cause and the fix for each row in the dry run", async () => {
    const rows = ["email,first_name", "Ann <ann@example.org>,Ann", "mailto:bob@example.org,Bob", "anné@example.org,Anne", "cy@@example.org,Cy", "dee@example.org,Dee"];
    writeFileSync(join(dir, "people.csv"), `${rows.join("\n")}\n`);
    const run = await dryRun(["people.csv"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("line 2: invalid: email: a display name and an address (Ann <ann@example.org>): keep only the address");
    expect(run.stdout).toContain('line 3: invalid: email: starts with "mailto:" (mailto:bob@example.org): remove "mailto:"');
    expect(run.stdout).toContain('line 4: invalid: email: non-ASCII characters ("é") (anné@example.org): Zoom takes ASCII addresses only; check the address');
    expect(run.stdout).toContain('line 5: invalid: email: 2 "@" signs (cy@@example.org): an address has one');
    expect(run.stdout).toMatch(/line 6: would send/);
  });
});
