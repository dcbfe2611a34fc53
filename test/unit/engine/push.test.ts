import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { push, summaryOf, type OutputRow, type PushApiOptions } from "../../../src/index.js";
import { ConfigError, InputError } from "../../../src/errors.js";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../../src/fake-zoom/index.js";
import { rejected } from "../../helpers/thrown.js";

/** push() from code against the fake in this process (issue 13, "the same engine from code"). */
const people = [
  { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
  { email: "grace@example.com", first_name: "Grace", last_name: "Hopper" },
  { email: "katherine@example.com", first_name: "Katherine", last_name: "Johnson" },
];

const lockDir = mkdtempSync(join(tmpdir(), "zoomreg-api-locks-"));
let zoom: RunningFakeZoom;
let dir: string;

beforeAll(async () => {
  zoom = await startFakeZoom({ port: 0 });
});
afterAll(async () => {
  await zoom.close();
});
beforeEach(() => {
  zoom.fake.reset();
  dir = mkdtempSync(join(tmpdir(), "zoomreg-api-"));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const adds = (): number =>
  Object.entries(zoom.fake.ledger().totals.requestsByRoute)
    .filter(([route]) => route.startsWith("POST") && route.includes("registrants"))
    .reduce((sum, [, count]) => sum + count, 0);

function options(extra: Omit<PushApiOptions, "dryRun"> = {}): PushApiOptions & { dryRun?: false } {
  return { meeting: defaultEventIds.meeting, records: people, env: { ...zoom.env, ZOOMREG_LOCK_DIR: lockDir }, out: join(dir, "joinurls.csv"), ...extra };
}

describe("push() from code", () => {
  it("registers an array of objects and hands every row, join_url included, to onRow as it is known", async () => {
    const rows: OutputRow[] = [];
    const write = vi.spyOn(process.stdout, "write");
    const exit = vi.spyOn(process, "exit");
    const summary = await push(options({ onRow: (row) => rows.push(row) }));
    expect(rows.map((row) => [row.line, row.email, row.status])).toEqual([
      [1, "ada@example.com", "registered"],
      [2, "grace@example.com", "registered"],
      [3, "katherine@example.com", "registered"],
    ]);
    expect(rows.every((row) => /^https?:\/\/\S+/.test(row.join_url))).toBe(true);
    expect(new Set(rows.map((row) => row.join_url)).size).toBe(3);
    // The summary `zoomreg push --json` prints, key for key.
    expect(Object.keys(summary)).toEqual([
      "event", "exitCode", "counts", "rowsRead", "rowsSent", "registeredThisRun", "pendingApprovalThisRun", "alreadyRegistered",
      "durationMs", "deferredUntil", "dailyLimitUntil", "stoppedBy", "output", "rejects", "state", "resources",
    ]);
    expect(summary).toMatchObject({ event: { kind: "meeting", id: defaultEventIds.meeting }, exitCode: 0, rowsRead: 3, registeredThisRun: 3, stoppedBy: null, output: join(dir, "joinurls.csv"), rejects: null });
    expect(summary.counts.registered).toBe(3);
    // The same files as the CLI: the output and the state ledger beside it.
    expect(readFileSync(join(dir, "joinurls.csv"), "utf8")).toContain(rows[0]?.join_url ?? "missing");
    expect(existsSync(summary.state ?? "no state file")).toBe(true);
    expect(write).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it("takes an async iterable, rejects a value that is not an object as an invalid row, and a second run sends nothing", async () => {
    async function* fromDatabase(): AsyncGenerator<unknown> {
      yield await Promise.resolve(people[0]);
      yield "not a person";
      yield people[1];
    }
    const rows: OutputRow[] = [];
    const first = await push(options({ records: fromDatabase() as AsyncIterable<Record<string, unknown>>, onRow: (row) => rows.push(row) }));
    expect(rows.map((row) => row.status)).toEqual(["registered", "invalid", "registered"]);
    expect(rows[1]?.error_message).toMatch(/expected an object, found a string/);
    expect(first).toMatchObject({ exitCode: 1, registeredThisRun: 2, rejects: join(dir, "joinurls.csv.rejects.csv") });
    const sent = adds();

    const again = await push(options({ records: people.slice(0, 2) }));
    expect(again).toMatchObject({ exitCode: 0, registeredThisRun: 0, alreadyRegistered: 2 });
    expect(adds()).toBe(sent);
  });

  it("dry-runs without credentials: the summary says what would be sent, nothing is sent or written", async () => {
    const rows: OutputRow[] = [];
    const summary = await push({ meeting: defaultEventIds.meeting, records: [...people, { email: "not-an-email", first_name: "X" }], env: {}, out: join(dir, "joinurls.csv"), dryRun: true, onRow: (row) => rows.push(row) });
    expect(summary).toMatchObject({ dryRun: true, event: { kind: "meeting", id: defaultEventIds.meeting }, wouldSend: 3, invalid: 1, duplicate: 0, rowsRead: 4 });
    expect(rows.map((row) => row.status)).toEqual(["registered", "registered", "registered", "invalid"]);
    expect(adds()).toBe(0);
    expect(existsSync(join(dir, "joinurls.csv"))).toBe(false);
  });

  it("refuses a bad option with a ConfigError naming it, before anything is sent, and never exits", async () => {
    const exit = vi.spyOn(process, "exit");
    const cases: [Omit<PushApiOptions, "dryRun">, RegExp][] = [
      [{ concurrency: 0 }, /^push\(\): concurrency: expected a whole number from 1 to 256$/],
      [{ autoAprove: true } as Omit<PushApiOptions, "dryRun">, /^push\(\): unknown key "autoAprove"$/],
      [{ meeting: undefined }, /say which event/],
      [{ webinar: defaultEventIds.webinar }, /both "meeting" and "webinar"/],
      [{ file: "people.csv" }, /exactly one of "records" .* and "file"/],
      [{ records: undefined, file: "-" }, /file "-": push\(\) never reads stdin/],
      [{ out: "-" }, /out "-": push\(\) never writes to stdout/],
      [{ delimiter: ";" }, /"delimiter" describes a file/],
      [{ columns: ["email", "first_name"] }, /"columns" describes a file/],
      [{ records: undefined, file: join(dir, "people.json"), skipLines: 1 }, /^--skip-lines applies to CSV, TSV and mysql input, and this input is read as JSON$/],
      [{ records: 42 as unknown as PushApiOptions["records"] }, /records: expected an array, an iterable or an async iterable of objects/],
      [{ env: { ZOOM_ACCOUNT_ID: "a" } }, /Server-to-Server OAuth credentials are incomplete/],
    ];
    for (const [extra, message] of cases) {
      const error = await rejected(ConfigError, () => push({ ...options(), ...extra }));
      expect(error.message, JSON.stringify(extra)).toMatch(message);
    }
    const typo = await rejected(ConfigError, () => push({ ...options(), autoAprove: true } as PushApiOptions & { dryRun?: false }));
    expect(typo.hint).toMatch(/did you mean "autoApprove"\?/);
    expect(adds()).toBe(0);
    expect(exit).not.toHaveBeenCalled();
  });

  it("reads a headerless mysql file as the config file's keys say, and resolves exitCode 2 when no row is valid", async () => {
    const file = join(dir, "attendees.txt");
    writeFileSync(file, "ada.api@example.com\tAda\t\\N\nback.api@example.com\tBack\\\\slash\tLee\n");
    const summary = await push({ ...options(), records: undefined, file, format: "mysql", columns: "email,first_name,last_name", dryRun: true });
    expect(summary).toMatchObject({ wouldSend: 2, invalid: 0 });
    writeFileSync(file, "Ada\tLovelace\tada.api@example.com\n");
    const none = await push({ ...options(), records: undefined, file, format: "mysql", columns: ["email", "first_name", "last_name"] });
    expect(none).toMatchObject({ exitCode: 2, rowsRead: 1, counts: { invalid: 1 } });
    expect(adds()).toBe(0);
  });

  it("stops with an InputError carrying the summary when the records fail mid-way, after sending the rows before it", async () => {
    async function* breaking(): AsyncGenerator<Record<string, unknown>> {
      yield await Promise.resolve(people[0] ?? {});
      yield people[1] ?? {};
      throw new Error("connection reset by the database");
    }
    const rows: OutputRow[] = [];
    const error = await rejected(InputError, () => push(options({ records: breaking(), onRow: (row) => rows.push(row) })));
    expect(error.message).toMatch(/^records: reading record 3 failed: connection reset by the database; the 2 rows before it are done \(2 registered\)/);
    expect(rows.map((row) => row.status)).toEqual(["registered", "registered"]);
    expect(summaryOf(error)).toMatchObject({ exitCode: 2, registeredThisRun: 2, stoppedBy: "records: reading record 3 failed: connection reset by the database" });
    expect(summaryOf(new Error("other"))).toBeUndefined();
  });
});
