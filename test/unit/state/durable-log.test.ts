import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fsyncDirectory } from "../../../src/shared/fsync-directory.js";
import { DurableLog, type LinePosition } from "../../../src/state/durable-log.js";

const path = (): string => join(mkdtempSync(join(tmpdir(), "zoomreg-log-")), "state.ndjson");

/** Opens the log and collects what it hands over, line by line. */
function open(file: string): { log: DurableLog; lines: unknown[]; positions: LinePosition[] } {
  const lines: unknown[] = [];
  const positions: LinePosition[] = [];
  const log = DurableLog.open(file, (record, at) => {
    lines.push(record);
    positions.push(at);
  });
  return { log, lines, positions };
}

function linesOf(file: string): unknown[] {
  const { log, lines } = open(file);
  log.close();
  return lines;
}

describe("DurableLog", () => {
  it("hands over the lines a previous run appended", async () => {
    const file = path();
    const first = open(file).log;
    await first.append({ n: 1 });
    await first.append({ n: 2 });
    first.close();
    expect(linesOf(file)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("skips a line torn by a crash and starts the next write on a fresh line", async () => {
    const file = path();
    appendFileSync(file, '{"n":1}\n{"n":2, "torn');
    const { log, lines } = open(file);
    expect(lines).toEqual([{ n: 1 }]);
    await log.append({ n: 3 });
    log.close();
    expect(linesOf(file)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("reads a line again from the position it was handed over with", () => {
    const file = path();
    writeFileSync(file, '{"n":1}\n{"n":"zwei, ü"}\n{"n":3}\n');
    const { log, positions } = open(file);
    expect(log.readLine(positions[1] ?? { offset: 0, length: 0 })).toEqual({ n: "zwei, ü" });
    log.close();
  });

  it("reads lines of multibyte text that straddle its 1 MiB read chunks", () => {
    const file = path();
    // ~1.3 MB of lines whose 3-byte characters fall across the chunk boundary somewhere.
    const records = Array.from({ length: 20_000 }, (_, n) => ({ n, name: "€".repeat(n % 40) }));
    writeFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(""));
    const { log, lines, positions } = open(file);
    expect(lines).toEqual(records);
    expect(log.readLine(positions[19_999] ?? { offset: 0, length: 0 })).toEqual(records[19_999]);
    log.close();
  });

  it("reads a line longer than its 1 MiB read buffer, and the lines around it", () => {
    const file = path();
    const records = [{ n: 1 }, { n: 2, long: "x".repeat(2_500_000) }, { n: 3 }];
    writeFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(""));
    const { log, lines, positions } = open(file);
    expect(lines).toEqual(records);
    expect(log.readLine(positions[2] ?? { offset: 0, length: 0 })).toEqual({ n: 3 });
    log.close();
  });

  it("hands a line to the parser it is given, and skips what that parser refuses", () => {
    const file = path();
    writeFileSync(file, "a\nbb\nccc\n");
    const lines: unknown[] = [];
    const log = DurableLog.open(file, (record) => lines.push(record), {
      parse: (bytes, start, end) => (end - start === 2 ? undefined : bytes.toString("utf8", start, end).toUpperCase()),
    });
    log.close();
    expect(lines).toEqual(["A", "CCC"]);
  });

  it("reads its lines again, only those starting with a given text when asked", async () => {
    const file = path();
    const { log } = open(file);
    for (const record of [{ t: "send", n: 1 }, { t: "done", n: 2 }, { t: "send", n: 3 }]) await log.append(record);
    const sends: unknown[] = [];
    log.scan((record) => sends.push(record), { linesStartingWith: '{"t":"send",' });
    log.close();
    expect(sends).toEqual([{ t: "send", n: 1 }, { t: "send", n: 3 }]);
  });

  it("has the line in the file as soon as append is called, before the sync resolves", () => {
    const file = path();
    const { log } = open(file);
    const synced = log.append({ n: 1 });
    expect(readFileSync(file, "utf8")).toBe('{"n":1}\n');
    return synced.finally(() => log.close());
  });

  it("writes the lines appended during a sync in one go once it ends, each resolved after a sync that covers it", async () => {
    const file = path();
    const { log } = open(file);
    const first = log.append({ n: 1 });
    const later = [log.append({ n: 2 }), log.append({ n: 3 })];
    expect(readFileSync(file, "utf8")).toBe('{"n":1}\n');
    await first;
    await Promise.all(later);
    expect(readFileSync(file, "utf8")).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    log.close();
  });

  it("writes the lines still waiting when flushed for an exit, and when closed", () => {
    const file = path();
    const { log } = open(file);
    const synced = log.append({ n: 1 });
    void log.append({ n: 2 }).catch(() => undefined);
    DurableLog.flushAll();
    expect(readFileSync(file, "utf8")).toBe('{"n":1}\n{"n":2}\n');
    void log.append({ n: 3 }).catch(() => undefined);
    log.close();
    expect(readFileSync(file, "utf8")).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    return synced.catch(() => undefined);
  });

  it("settles every append when many are made at once (group commit)", async () => {
    const file = path();
    const { log } = open(file);
    await Promise.all(Array.from({ length: 50 }, (_, n) => log.append({ n })));
    log.close();
    expect(linesOf(file)).toHaveLength(50);
  });

  it("creates the file readable by its owner only", () => {
    const file = path();
    open(file).log.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("DurableLog directory sync", () => {
  const openRecordingSyncs = (file: string): string[] => {
    const synced: string[] = [];
    DurableLog.open(file, undefined, { syncDirectory: (directory) => synced.push(directory) }).close();
    return synced;
  };

  it("syncs the directory of a file it creates", () => {
    const file = path();
    expect(openRecordingSyncs(file)).toEqual([dirname(file)]);
  });

  it("does not sync the directory of a file that was already there", () => {
    const file = path();
    writeFileSync(file, '{"n":1}\n');
    expect(openRecordingSyncs(file)).toEqual([]);
  });
});

describe("fsyncDirectory", () => {
  it("syncs a directory", () => {
    expect(() => fsyncDirectory(mkdtempSync(join(tmpdir(), "zoomreg-dir-")))).not.toThrow();
  });

  it("throws when the directory cannot be opened for a reason other than a refusal to sync", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "zoomreg-dir-")), "gone");
    expect(() => fsyncDirectory(missing)).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });
});
