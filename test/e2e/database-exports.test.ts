import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, root, runCli, tempDir, type CliRun } from "./harness.js";

/**
 * Exports as databases and reports write them (issue 18): mysql --batch's NULL and escapes, INTO
 * OUTFILE and psql -At without a header, Numbers' table name above the header, a Salesforce report's
 * footer (fixtures/exports/README.md says how each was made). Every person is registered with their
 * name as it is in the database; a file of which no row is valid exits 2 with the reasons; an NDJSON
 * line of 50 MB is refused in bounded memory. One fake for the file: the fixtures' emails differ.
 */
let zoom: RunningFakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom({ port: 0 });
});
afterAll(async () => {
  await zoom.close();
});

/** A folder holding `fixture` (from fixtures/exports/) under the same name. */
function folderWith(fixture: string): string {
  const dir = tempDir();
  copyFileSync(join(root, "fixtures", "exports", fixture), join(dir, fixture));
  return dir;
}

const push = (dir: string, args: readonly string[]): Promise<CliRun> =>
  runCli(["push", ...args, "--meeting", defaultEventIds.meeting, "--out", "out.csv", "--log-level", "warn"], { env: fakeEnv(zoom), cwd: dir });

/** The output's rows as `email: first_name | last_name (status)`. */
function outcomes(dir: string): string[] {
  return readCsv(join(dir, "out.csv")).map((row) => `${row.email ?? ""}: ${row.first_name ?? ""} | ${row.last_name ?? ""} (${row.status ?? ""})`);
}

describe("zoomreg push registers everyone in database exports and reports, names intact", () => {
  it.each([
    {
      fixture: "mysql-batch.tsv",
      args: ["--format", "mysql"],
      rows: [
        "ada.batch@example.com: Ada | Lovelace (registered)",
        "mary.batch@example.com: Mary\tAnn |  (registered)",
        'back.batch@example.com: Back\\slash | O"Brien (registered)',
        "rene.batch@example.com: Renée | Lefèvre (registered)",
      ],
    },
    {
      fixture: "mysql-outfile.txt",
      // The columns from the config file, as a nightly job keeps them.
      config: { format: "mysql", columns: ["email", "first_name", "last_name"] },
      args: [],
      rows: [
        "ada.outfile@example.com: Ada | Lovelace (registered)",
        "mary.outfile@example.com: Mary\tAnn |  (registered)",
        "back.outfile@example.com: Back\\slash | O'Brien (registered)",
        "grace.outfile@example.com: Grace | Hopper\nMurray (registered)",
      ],
    },
    {
      fixture: "psql-at.txt",
      args: ["--format", "csv", "--columns", "email,first_name,last_name"],
      rows: ["ada.psql@example.com: Ada | Lovelace (registered)", "mary.psql@example.com: Mary |  (registered)", "back.psql@example.com: Back\\slash | O'Brien (registered)"],
    },
    {
      fixture: "numbers-table-names.csv",
      args: [],
      rows: ["ada.numbers@example.com: Ada | Lovelace (registered)", "zoe.numbers@example.com: Zoë | Ångström (registered)", "grace.numbers@example.com: Grace | Hopper (registered)"],
    },
    {
      fixture: "salesforce-report.csv",
      args: [],
      rows: ["ada.sf@example.com: Ada | Lovelace (registered)", "grace.sf@example.com: Grace | Hopper (registered)", "rene.sf@example.com: Renée | Lefèvre (registered)"],
    },
  ])("registers everyone in $fixture, with no row invalid", async ({ fixture, config, args, rows }) => {
    const dir = folderWith(fixture);
    if (config !== undefined) writeFileSync(join(dir, "zoomreg.config.json"), JSON.stringify(config));
    const run = await push(dir, [fixture, ...args]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(outcomes(dir)).toEqual(rows);
    const registered = Object.keys(zoom.fake.ledger().events[`meeting:${defaultEventIds.meeting}`] ?? {});
    expect(registered).toEqual(expect.arrayContaining(rows.map((row) => row.slice(0, row.indexOf(":")))));
  });

  it("says in the dry run how each was read: the mode, the columns, a skipped title line and footer", async () => {
    const outfile = await runCli(["push", "mysql-outfile.txt", "--meeting", defaultEventIds.meeting, "--dry-run", "--format", "mysql", "--columns", "email,first_name,last_name"], {
      cwd: folderWith("mysql-outfile.txt"),
    });
    expect(outfile.code).toBe(0);
    expect(outfile.stdout.split("\n").slice(0, 2)).toEqual([
      'format: mysql (tab-separated; \\t \\n \\\\ \\0 decoded; \\N and "NULL" read as empty)',
      "columns: email, first_name, last_name (--columns: no header row, the first line is a person)",
    ]);
    expect(outfile.stdout).toContain('line 2: would send {"email":"mary.outfile@example.com","first_name":"Mary\\tAnn"}');

    const numbers = await runCli(["push", "numbers-table-names.csv", "--meeting", defaultEventIds.meeting, "--dry-run"], { cwd: folderWith("numbers-table-names.csv") });
    expect(numbers.stdout.split("\n").slice(0, 2)).toEqual(['delimiter: "," (detected from the header)', 'title line: skipped line 1 ("Table 1"), one cell above the header']);

    const report = await runCli(["push", "salesforce-report.csv", "--meeting", defaultEventIds.meeting, "--dry-run"], { cwd: folderWith("salesforce-report.csv") });
    expect(report.code).toBe(0);
    const lines = report.stdout.trimEnd().split("\n");
    expect(lines).toContain('footer: skipped 4 lines of one cell after the last row, from line 7 ("Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.")');
    expect(lines.at(-1)).toBe("dry run: would send 3, invalid 0, duplicate 0; nothing was sent");
  });
});

describe("zoomreg push with no valid row", () => {
  it("exits 2 naming the first reasons and sends nothing, as its dry run does; one valid row makes it exit 1", async () => {
    const dir = tempDir();
    // A header whose columns the rows do not follow: every email is a name.
    const shifted = "email,first_name,last_name\nAda,Lovelace,ada.shifted@example.com\nGrace,Hopper,grace.shifted@example.com\n";
    writeFileSync(join(dir, "people.csv"), shifted);
    const before = addRequests(zoom);
    const run = await push(dir, ["people.csv"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^registered 0, invalid 2 -> .*out\.csv, rejects -> .*out\.csv\.rejects\.csv\n$/);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^zoomreg: no row of people\.csv is valid \(2 of 2 invalid\): line 2: email: .+; line 3: email: .+: check that this is the right file and that its header names the columns \(--dry-run prints the mapping; every row's reason is in .*out\.csv\.rejects\.csv\)$/,
      ),
    ]);
    expect(addRequests(zoom)).toBe(before);
    // The dry run says so too, as the run would exit.
    const dry = await runCli(["push", "people.csv", "--meeting", defaultEventIds.meeting, "--dry-run"], { cwd: dir });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/^zoomreg: no row of people\.csv is valid \(2 of 2 invalid\): line 2: email: .+\(the mapping is printed above\)\n$/);

    writeFileSync(join(dir, "people.csv"), `${shifted}lin.shifted@example.com,Lin,Chen\n`);
    const some = await push(dir, ["people.csv"]);
    expect(some.stderr).toBe("");
    expect(some.code).toBe(1);
  });
});

describe("zoomreg push with a record far past 1 MiB", () => {
  it("refuses a 50 MB NDJSON line by its number in bounded memory, after registering the rows before it", async () => {
    const dir = tempDir();
    const line = (email: string, first: string): string => `${JSON.stringify({ email, first_name: first })}\n`;
    const huge = Buffer.concat([Buffer.from('{"email":"big.ndjson@example.com","first_name":"'), Buffer.alloc(50 * 1024 * 1024, "x"), Buffer.from('"}\n')]);
    writeFileSync(join(dir, "people.ndjson"), Buffer.concat([Buffer.from(line("ada.ndjson@example.com", "Ada") + line("grace.ndjson@example.com", "Grace")), huge, Buffer.from(line("lin.ndjson@example.com", "Lin"))]));
    const run = await push(dir, ["people.ndjson", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^zoomreg: people\.ndjson: line 3: a record longer than 1 MiB starts on this line .*; the 2 rows before it are done \(2 registered\)/);
    const summary = JSON.parse(run.stdout) as { counts: { registered: number }; resources: { peakRssMb: number } };
    expect(summary.counts.registered).toBe(2);
    // Read whole, the line alone took 2.27 GB.
    expect(summary.resources.peakRssMb).toBeLessThan(200);
  });
});
