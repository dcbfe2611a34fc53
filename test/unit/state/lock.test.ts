import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { lockFileName, pidAlive, RunLock, type LockOwner, type LockStep, type RunLockOptions } from "../../../src/state/lock.js";
import { thrown } from "../../helpers/thrown.js";

const account = "account-AbC123";
const event = { kind: "meeting", id: "85746065" };
const staleAfterMs = 60_000;

let dir: string;
let nowMs: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "zoomreg-lock-"));
  // Real time: unreadable files are judged by their mtime, which the file system sets.
  nowMs = Date.now();
});

const lockPath = (): string => join(dir, lockFileName(account, event));

/** A run on host "here" whose pids are all alive unless told otherwise; its timer never fires by itself. */
function run(pid: number, extra: Partial<RunLockOptions> = {}): RunLockOptions {
  return {
    dir,
    account,
    event,
    pid,
    hostname: () => "here",
    isAlive: () => true,
    newToken: () => `token-${pid}`,
    nowMs: () => nowMs,
    every: () => () => undefined,
    ...extra,
  };
}

/** The lock, or the ConfigError that refused it. */
function attempt(options: RunLockOptions): RunLock | ConfigError {
  try {
    return RunLock.acquire(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

/** The record in the lock file. */
function holder(): Omit<LockOwner, "refreshedAt"> {
  return JSON.parse(readFileSync(lockPath(), "utf8")) as Omit<LockOwner, "refreshedAt">;
}

/** When the lock file says it was last refreshed: its mtime. */
function refreshedAt(): string {
  return new Date(Math.round(statSync(lockPath()).mtimeMs)).toISOString();
}

/** Another run's record, refreshed at `refreshedAt` (its mtime; now unless given). */
function writeHolder(owner: Partial<LockOwner>): void {
  const { refreshedAt: at = new Date(nowMs).toISOString(), ...record } = owner;
  writeFileSync(lockPath(), JSON.stringify({ pid: 999, host: "here", token: "old", startedAt: at, ...record }));
  utimesSync(lockPath(), Date.parse(at) / 1000, Date.parse(at) / 1000);
}

/** A timer the test fires by hand. */
function manualTimer(): { every: NonNullable<RunLockOptions["every"]>; tick: () => void; intervalMs: number; stopped: boolean } {
  const timer = {
    tick: () => undefined as void,
    intervalMs: 0,
    stopped: false,
    every: (intervalMs: number, tick: () => void) => {
      timer.intervalMs = intervalMs;
      timer.tick = tick;
      return () => void (timer.stopped = true);
    },
  };
  return timer;
}

describe("RunLock: one run per account and event", () => {
  it("writes the owner record and refuses a second run, naming the holder and since when", () => {
    nowMs = Date.parse("2026-12-04T02:30:00.250Z");
    const lock = RunLock.acquire(run(123, { hostname: () => "x" }));
    expect(holder()).toEqual({ pid: 123, host: "x", token: "token-123", startedAt: "2026-12-04T02:30:00.250Z" });
    expect(refreshedAt()).toBe("2026-12-04T02:30:00.250Z");
    expect(lock.path).toBe(lockPath());
    const error = thrown(ConfigError, () => RunLock.acquire(run(456, { hostname: () => "x" })));
    expect(error.message).toBe("another zoomreg push is running for meeting 85746065 (pid 123 on host x, since 2026-12-04T02:30:00Z)");
    expect(error.hint).toBe(`wait for it to finish; if no such run exists, delete ${lockPath()}; a lock not refreshed for a minute is taken over by itself`);
  });

  it("names the file after a hash of the account and the event, so every folder finds the same one", () => {
    const name = lockFileName(account, event);
    expect(name).toMatch(/^[0-9a-f]{16}-meeting-85746065\.lock$/);
    expect(name).not.toContain(account);
    expect(lockFileName("another-account", event)).not.toBe(name);
    expect(lockFileName(account, { kind: "webinar", id: "85746065" })).not.toBe(name);
    expect(lockFileName(account, { kind: "meeting", id: "../x" })).toMatch(/-meeting-___x\.lock$/);
  });

  it("lets the next run in once released, and leaves no file behind", () => {
    RunLock.acquire(run(111)).release();
    expect(readdirSync(dir)).toEqual([]);
    expect(attempt(run(222))).toBeInstanceOf(RunLock);
  });
});

describe("RunLock: staleness by age, not hostname", () => {
  it("takes over a lock not refreshed for the stale age, even with its pid alive here", () => {
    writeHolder({ pid: 5, refreshedAt: new Date(nowMs - staleAfterMs + 1).toISOString() });
    expect(attempt(run(222))).toBeInstanceOf(ConfigError);
    writeHolder({ pid: 5, refreshedAt: new Date(nowMs - staleAfterMs).toISOString() });
    const lock = RunLock.acquire(run(222));
    expect(holder().token).toBe("token-222");
    expect(lock.held).toBe(true);
  });

  it("takes over at once a fresh lock whose pid is dead on this host", () => {
    writeHolder({ pid: 999, host: "here" });
    RunLock.acquire(run(222, { isAlive: (pid) => pid !== 999 }));
    expect(holder().pid).toBe(222);
  });

  it("refuses a fresh lock from another host, whatever pids are dead here", () => {
    writeHolder({ pid: 999, host: "elsewhere" });
    const error = thrown(ConfigError, () => RunLock.acquire(run(222, { isAlive: () => false })));
    expect(error.message).toMatch(/\(pid 999 on host elsewhere, since /);
    expect(holder().token).toBe("old");
  });

  it("takes over a lock from another host once it is stale: a new container after kill -9", () => {
    writeHolder({ pid: 1, host: "container-a", refreshedAt: new Date(nowMs - staleAfterMs - 1).toISOString() });
    RunLock.acquire(run(1, { hostname: () => "container-b" }));
    expect(holder().host).toBe("container-b");
  });

  it.each([
    ["empty", ""],
    ["torn", '{"pid":12'],
    ["without a token", '{"pid":12,"host":"here","startedAt":"x","refreshedAt":"y"}'],
  ])("leaves an %s lock file alone until its mtime is older than the stale age", (_name, text) => {
    writeFileSync(lockPath(), text);
    const error = thrown(ConfigError, () => RunLock.acquire(run(222)));
    expect(error.message).toMatch(/another zoomreg push holds the lock for meeting 85746065 \(its lock file is unreadable/);
    expect(readFileSync(lockPath(), "utf8")).toBe(text);
    const oldSeconds = (nowMs - staleAfterMs - 1000) / 1000;
    utimesSync(lockPath(), oldSeconds, oldSeconds);
    RunLock.acquire(run(222));
    expect(holder().token).toBe("token-222");
  });

  it("judges a real pid with process.kill: this one is alive, one above pid_max is not", () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(2 ** 22 + 12_345)).toBe(false);
  });
});

describe("RunLock: refresh and release", () => {
  it("refreshes the record on its timer, which keeps it fresh past the stale age", () => {
    const timer = manualTimer();
    RunLock.acquire(run(111, { every: timer.every, refreshEveryMs: 15_000 }));
    expect(timer.intervalMs).toBe(15_000);
    const startedAt = holder().startedAt;
    nowMs += 50_000;
    timer.tick();
    nowMs += 50_000;
    expect(attempt(run(222))).toBeInstanceOf(ConfigError);
    expect(holder()).toMatchObject({ token: "token-111", startedAt });
    expect(refreshedAt()).toBe(new Date(nowMs - 50_000).toISOString());
  });

  it("stops refreshing once released: a late tick writes nothing", () => {
    const timer = manualTimer();
    const lock = RunLock.acquire(run(111, { every: timer.every }));
    lock.release();
    expect(timer.stopped).toBe(true);
    timer.tick();
    expect(lock.refresh()).toBe(false);
    expect(existsSync(lockPath())).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("release() of a lock taken over by another run leaves theirs", () => {
    const first = RunLock.acquire(run(111));
    nowMs += staleAfterMs; // the first run stopped refreshing (paused, or its disk failed)
    const second = RunLock.acquire(run(222));
    first.release();
    expect(holder().token).toBe("token-222");
    second.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a holder that was taken over learns it at its next refresh, stops, and leaves the new record", () => {
    const timer = manualTimer();
    const lost: (LockOwner | undefined)[] = [];
    const first = RunLock.acquire(run(111, { every: timer.every, onLost: (owner) => lost.push(owner) }));
    nowMs += staleAfterMs;
    RunLock.acquire(run(222));
    const theirs = holder();
    timer.tick();
    expect(lost).toEqual([{ ...theirs, refreshedAt: refreshedAt() }]);
    expect(timer.stopped).toBe(true);
    expect(first.held).toBe(false);
    expect(holder()).toEqual(theirs);
  });
});

describe("RunLock: checked before each request", () => {
  it("reads nothing while its refreshes keep up, and says it still holds the lock", () => {
    const lock = RunLock.acquire(run(111, { refreshEveryMs: 15_000 }));
    writeHolder({ token: "someone-else" });
    nowMs += 14_999;
    expect(lock.stillHeld()).toBe(true);
  });

  it("after a pause longer than a refresh interval, reads the file and finds the run that took over", () => {
    const lock = RunLock.acquire(run(111, { refreshEveryMs: 15_000 }));
    nowMs += staleAfterMs + 1;
    RunLock.acquire(run(222));
    expect(lock.stillHeld()).toBe(false);
    expect(lock.takenOverBy).toMatchObject({ pid: 222, host: "here" });
    expect(lock.held).toBe(false);
  });

  it("after a pause, still holds a lock nobody took, and reads it again only a refresh interval later", () => {
    const lock = RunLock.acquire(run(111, { refreshEveryMs: 15_000 }));
    nowMs += 20_000;
    expect(lock.stillHeld()).toBe(true);
    writeHolder({ token: "someone-else" });
    nowMs += 14_000;
    expect(lock.stillHeld()).toBe(true);
    nowMs += 1_000;
    expect(lock.stillHeld()).toBe(false);
  });

  it("is not held once its file is gone", () => {
    const lock = RunLock.acquire(run(111, { refreshEveryMs: 15_000 }));
    writeFileSync(lockPath(), "");
    nowMs += 15_000;
    expect(lock.stillHeld()).toBe(false);
    expect(lock.takenOverBy).toBeUndefined();
  });
});

describe("RunLock: races, one interleaving at a time", () => {
  const steps: readonly LockStep[] = ["link", "look", "claim", "recheck", "rechecked", "unlinked"];
  const setups: Record<string, () => void> = {
    free: () => undefined,
    "live holder": () => writeHolder({ host: "elsewhere" }),
    "stale by age": () => writeHolder({ host: "elsewhere", refreshedAt: new Date(nowMs - staleAfterMs).toISOString() }),
    "dead pid here": () => writeHolder({ pid: 999 }),
    "old unreadable file": () => {
      writeFileSync(lockPath(), "");
      const oldSeconds = (nowMs - 2 * staleAfterMs) / 1000;
      utimesSync(lockPath(), oldSeconds, oldSeconds);
    },
  };

  /**
   * What a reader sees at this moment: no file, a whole record, or the old unreadable file of the setup.
   * Recorded, not asserted: acquire() would report a failed assertion inside its hook as a ConfigError.
   */
  let sightings: string[] = [];
  const sight = (): void => {
    if (!existsSync(lockPath())) return void sightings.push("absent");
    const text = readFileSync(lockPath(), "utf8");
    if (text === "" && statSync(lockPath()).mtimeMs <= nowMs - staleAfterMs) return void sightings.push("old unreadable");
    sightings.push(/^\{"pid":\d+,"host":"\w+","token":"(old|token-\d+)","startedAt":"[^"]+"\}\n?$/.test(text) ? "whole" : `torn: ${text}`);
  };

  /** Options for a run that, at its first `step`, lets `inner` run all the way through. */
  function interleaved(pid: number, step: LockStep | undefined, inner: () => void): RunLockOptions {
    let done = false;
    return run(pid, {
      isAlive: (p) => p !== 999,
      onStep: (at) => {
        sight();
        if (at !== step || done) return;
        done = true;
        inner();
        sight();
      },
    });
  }

  it("two takers of one stale lock at once: exactly one wins, whichever step the second cuts in at", () => {
    for (const step of steps) {
      dir = mkdtempSync(join(tmpdir(), "zoomreg-lock-race-"));
      setups["stale by age"]?.();
      let second: RunLock | ConfigError | undefined;
      const first = attempt(interleaved(111, step, () => void (second = attempt(run(222)))));
      const winners = [first, second].filter((result) => result instanceof RunLock);
      expect(winners.length, step).toBe(1);
      expect(holder().token, step).toBe(winners[0]?.owner.token);
    }
  });

  for (const [name, setup] of Object.entries(setups)) {
    it(`three takers of a ${name} lock, each cut in at every step of the one before: at most one wins`, () => {
      for (const outer of steps) {
        for (const middle of steps) {
          dir = mkdtempSync(join(tmpdir(), "zoomreg-lock-race-"));
          sightings = [];
          setup();
          const results: Record<string, RunLock | ConfigError> = {};
          const third = (): void => void (results.c = attempt(run(333, { isAlive: (p) => p !== 999 })));
          const second = (): void => void (results.b = attempt(interleaved(222, middle, third)));
          results.a = attempt(interleaved(111, outer, second));
          const winners = Object.entries(results).filter(([, result]) => result instanceof RunLock);
          const context = `${name}, b at ${outer}, c at ${middle}`;
          expect(sightings.filter((seen) => !["absent", "whole", "old unreadable"].includes(seen)), context).toEqual([]);
          for (const result of Object.values(results)) if (result instanceof ConfigError) expect(result.message, context).toMatch(/^another zoomreg push /);
          if (name === "live holder") {
            expect(winners, context).toEqual([]);
            expect(holder().token, context).toBe("old");
            continue;
          }
          expect(winners.length, context).toBe(1);
          const [, winner] = winners[0] as [string, RunLock];
          expect(holder().token, context).toBe(winner.owner.token);
          winner.release();
          expect(readdirSync(dir), context).toEqual([]);
        }
      }
    });
  }

  it("a late release or refresh of the stale holder, cut in at every step of a takeover, never leaves two holders", () => {
    for (const step of steps) {
      for (const late of ["release", "refresh"] as const) {
        dir = mkdtempSync(join(tmpdir(), "zoomreg-lock-race-"));
        const first = RunLock.acquire(run(111));
        nowMs += staleAfterMs; // the first run was paused for a minute and wakes up mid-takeover
        const second = attempt(run(222, { onStep: (at) => void (at === step && (late === "release" ? first.release() : first.refresh())) }));
        first.refresh(); // the woken holder's next tick tells it whether it still holds the lock
        const context = `${late} at ${step}`;
        const holders = [first.held ? first : undefined, second instanceof RunLock ? second : undefined].filter((lock) => lock !== undefined);
        if (late === "release") expect(holders, context).toEqual([second]);
        else expect(holders.length, context).toBe(1);
        expect(holder().token, context).toBe(holders[0]?.owner.token);
      }
    }
  });

  /** Options whose run, at `step`, is paused past the stale age while `meanwhile` runs (once). */
  function pausedAt(pid: number, step: LockStep, meanwhile: () => void, extra: Partial<RunLockOptions> = {}): RunLockOptions {
    let armed = true;
    return run(pid, {
      ...extra,
      onStep: (at) => {
        if (at !== step || !armed) return;
        armed = false;
        nowMs += staleAfterMs;
        meanwhile();
      },
    });
  }

  it.each(["refresh-claimed", "refresh-touched"] as const)(
    "a holder paused past the stale age at %s never overwrites the run that took over, and learns it lost",
    (step) => {
      let second: RunLock | ConfigError | undefined;
      const first = RunLock.acquire(pausedAt(111, step, () => void (second = attempt(run(222)))));
      expect(first.refresh()).toBe(false);
      expect(second).toBeInstanceOf(RunLock);
      expect(holder().token).toBe("token-222");
      expect(first.takenOverBy).toMatchObject({ pid: 222 });
      expect((second as RunLock).refresh()).toBe(true);
      expect((second as RunLock).held).toBe(true);
    },
  );

  it("a release paused past the stale age after its check leaves the lock of the run that took over", () => {
    let second: RunLock | ConfigError | undefined;
    const first = RunLock.acquire(pausedAt(111, "release-checked", () => void (second = attempt(run(222)))));
    first.release();
    expect(second).toBeInstanceOf(RunLock);
    expect(holder().token).toBe("token-222");
    expect((second as RunLock).stillHeld()).toBe(true);
  });

  it("a taker paused past the stale age after its recheck leaves the lock of the taker that won meanwhile", () => {
    writeHolder({ host: "elsewhere", refreshedAt: new Date(nowMs - staleAfterMs).toISOString() });
    let second: RunLock | ConfigError | undefined;
    const first = attempt(pausedAt(111, "rechecked", () => void (second = attempt(run(222)))));
    expect(second).toBeInstanceOf(RunLock);
    expect(first).toBeInstanceOf(ConfigError);
    expect((first as ConfigError).message).toMatch(/^another zoomreg push is running for meeting 85746065 \(pid 222 on host here/);
    expect(holder().token).toBe("token-222");
  });

  it("skips a claim abandoned by a run killed mid-takeover once it is older than the stale age", () => {
    writeHolder({ pid: 999 });
    const claim = `${lockPath()}.old.claim-0`;
    writeFileSync(claim, JSON.stringify({ pid: 7, host: "here", token: "t7", claimedAtMs: nowMs - 1000 }));
    const dead = (pid: number): boolean => pid !== 999;
    expect(thrown(ConfigError, () => RunLock.acquire(run(222, { isAlive: dead }))).message).toMatch(
      /another zoomreg push is taking over the stale lock for meeting 85746065 left by pid 999 on host here at this moment/,
    );
    writeFileSync(claim, JSON.stringify({ pid: 7, host: "here", token: "t7", claimedAtMs: nowMs - staleAfterMs }));
    RunLock.acquire(run(222, { isAlive: dead })).release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
