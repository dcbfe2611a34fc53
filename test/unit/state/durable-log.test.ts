import { appendFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DurableLog } from "../../../src/state/index.js";

const path = (): string => join(mkdtempSync(join(tmpdir(), "zoomreg-log-")), "state.ndjson");

describe("DurableLog", () => {
  it("returns the lines a previous run appended", async () => {
    const file = path();
    const first = DurableLog.open(file);
    await first.log.append({ n: 1 });
    await first.log.append({ n: 2 });
    first.log.close();
    expect(DurableLog.open(file).lines).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("skips a line torn by a crash and starts the next write on a fresh line", async () => {
    const file = path();
    appendFileSync(file, '{"n":1}\n{"n":2, "torn');
    const { log, lines } = DurableLog.open(file);
    expect(lines).toEqual([{ n: 1 }]);
    await log.append({ n: 3 });
    log.close();
    expect(DurableLog.open(file).lines).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("has the line in the file as soon as append is called, before the sync resolves", () => {
    const file = path();
    const { log } = DurableLog.open(file);
    const synced = log.append({ n: 1 });
    expect(readFileSync(file, "utf8")).toBe('{"n":1}\n');
    return synced.finally(() => log.close());
  });

  it("settles every append when many are made at once (group commit)", async () => {
    const file = path();
    const { log } = DurableLog.open(file);
    await Promise.all(Array.from({ length: 50 }, (_, n) => log.append({ n })));
    log.close();
    expect(DurableLog.open(file).lines).toHaveLength(50);
  });

  it("creates the file readable by its owner only", () => {
    const file = path();
    DurableLog.open(file).log.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
