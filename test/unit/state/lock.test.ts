import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { RunLock } from "../../../src/state/index.js";

const lockPath = (): string => join(mkdtempSync(join(tmpdir(), "zoomreg-lock-")), "state.lock");
const now = new Date("2026-11-27T20:00:00Z");

describe("RunLock", () => {
  it("refuses a second run while the first holds the lock", () => {
    const path = lockPath();
    RunLock.acquire(path, now, 111, () => true);
    expect(() => RunLock.acquire(path, now, 222, () => true)).toThrow(ConfigError);
    expect(() => RunLock.acquire(path, now, 222, () => true)).toThrow(/another zoomreg push is running for this event \(pid 111/);
  });

  it("takes over a lock whose process is gone", () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: 999_999, host: hostname(), startedAt: "earlier" }));
    const lock = RunLock.acquire(path, now, 222, (pid) => pid !== 999_999);
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it("takes over a lock file torn by a crash", () => {
    const path = lockPath();
    writeFileSync(path, '{"pid":');
    expect(() => RunLock.acquire(path, now, 222, () => true)).not.toThrow();
  });

  it("refuses a lock held from another host, naming it", () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: 1, host: "elsewhere", startedAt: "earlier" }));
    expect(() => RunLock.acquire(path, now, 222, () => false)).toThrow(/on host elsewhere/);
  });

  it("lets the next run in once released", () => {
    const path = lockPath();
    RunLock.acquire(path, now, 111, () => true).release();
    expect(() => RunLock.acquire(path, now, 222, () => true)).not.toThrow();
  });
});
