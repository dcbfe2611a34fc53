import { createHash, randomUUID } from "node:crypto";
import { closeSync, fstatSync, futimesSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../errors.js";
import { pidAlive } from "../shared/temp-files.js";

export { pidAlive };

/**
 * One push per account and event at a time, whatever folder it runs from: two runs would both see a
 * person as new and both add them, spending two of that person's three daily adds.
 *
 * Files in the lock folder, for a lock file `L` (`<sha256(account)[:16]>-meeting-85746065.lock`):
 * - `L`: the owner record `{pid, host, token, startedAt}`; its mtime is when it was last refreshed.
 *   It only ever appears whole: a record is written to a temporary file and `link()`ed to `L`
 *   (create-if-absent, EEXIST when held). A reader never sees it empty or half-written.
 * - `L.<token>.tmp`: a record being written by the run with that token.
 * - `L.<generation>.claim-<n>`: a claim on one generation of `L` (its token; for an unreadable file,
 *   its inode and mtime), also created by `link()`.
 *
 * Why claims. POSIX has no "delete this file if it is still the one I read": a taker that reads a
 * stale record, then unlinks `L`, may unlink the record another taker has just put there, and both
 * win; renaming `L` aside and checking it first only moves the gap (putting a live lock back leaves
 * `L` absent for a moment, and a third run takes it while the second still believes it holds it).
 * So every change to an existing `L` (takeover, release) is made while holding a claim on the
 * generation it saw, after reading `L` again under that claim:
 * - Only one party holds a generation's claim: claims are created by `link()` (EEXIST for the rest).
 * - While `L` holds generation G, only the holder of G's claim changes it. Nothing else can: a plain
 *   take (`link`) only succeeds when `L` is absent, and a claim on another generation finds, on its
 *   re-read, that `L` is not that generation and changes nothing.
 * - So the re-read under the claim is still true when the claimant acts: two takers of one stale
 *   lock cannot both win, and a release never removes a successor's lock.
 * - When G's claim holder unlinks `L`, it then links its own record; a fresh taker may link first in
 *   that gap, and then it is the only holder and the claimant has lost, as it should.
 * - A claim left by a run killed inside those few system calls is never deleted while its generation
 *   lives (that deletion would be the same race): once older than the stale age it is skipped, and
 *   every party moves to the next slot (`claim-1`, ...) alike. Once a generation ends (its `L` is
 *   removed), nothing can make `L` hold it again (tokens are random), so its files are deleted.
 * - A claimant paused past the stale age while holding its claim (SIGSTOP, a frozen VM) may have been
 *   skipped, so it checks the claim's age right before it unlinks and changes nothing if it is that
 *   old: the gap left is that clock read and the unlink, two system calls.
 *
 * Why a refresh never writes `L`. A refresh that re-read `L` and then renamed a new record over it
 * would, if paused between the two past the stale age, overwrite the record of the run that took
 * over meanwhile, and both would send (issue 17's SIGSTOP test caught it). Instead the holder keeps
 * its own record open from the moment it links it and refreshes by setting that file's mtime
 * (`futimes`): once another run has replaced `L`, the touch lands on the unlinked old file and
 * changes nothing anyone reads. It then reads `L` to learn whether it still holds it.
 *
 * Stale by age, not hostname: the holder touches its record every `refreshEveryMs`; a record not
 * refreshed for `staleAfterMs` is taken over, and at once when its pid is dead on this very host. A
 * run in a new container has a new hostname, so a hostname rule alone would refuse it for ever. Ages
 * compare the holder's clock with the reader's: safe while clocks differ by less than the stale age
 * minus the refresh interval (45 s by default). Like any lease, a holder paused for longer than the
 * stale age (SIGSTOP, a frozen VM) is taken over; it finds out at its next refresh (`onLost`).
 */

export interface LockOwner {
  pid: number;
  host: string;
  /** Random per run: tells this run's lock from a later one with the same pid and host. */
  token: string;
  startedAt: string;
  /** The record's mtime: when its holder last refreshed it. */
  refreshedAt: string;
}

/** The event a lock is for, as in `meeting 85746065`. */
export interface LockEvent {
  kind: string;
  id: string;
}

/** Points in `acquire` where tests run a second taker, to check each interleaving without sleeps. */
export type LockStep = "link" | "look" | "claim" | "recheck" | "rechecked" | "unlinked" | "refresh-claimed" | "refresh-touched" | "release-checked";

export interface RunLockOptions {
  /** The lock folder, created (0700) when missing. */
  dir: string;
  /** Who the lock is for on Zoom's side: an account id or API key and its API host, never a secret. Hashed into the name. */
  account: string;
  event: LockEvent;
  staleAfterMs?: number;
  refreshEveryMs?: number;
  nowMs?: () => number;
  pid?: number;
  hostname?: () => string;
  /** False only when `pid` certainly does not exist on this host. */
  isAlive?: (pid: number) => boolean;
  newToken?: () => string;
  /** Calls `tick` every `intervalMs` until the returned function is called. */
  every?: (intervalMs: number, tick: () => void) => () => void;
  /** Called once when a refresh finds that another run has taken the lock over. */
  onLost?: (holder: LockOwner | undefined) => void;
  onStep?: (step: LockStep) => void;
}

export const lockDefaults = { staleAfterMs: 60_000, refreshEveryMs: 15_000 } as const;

/** A run killed inside a claim's few system calls leaves one slot behind; this many is a broken folder. */
const maxClaimSlots = 64;
/** Takes that lose a race to a run that then releases at once; more means something is wrong. */
const maxTakeAttempts = 8;

interface Settings {
  path: string;
  event: LockEvent;
  staleAfterMs: number;
  refreshEveryMs: number;
  nowMs: () => number;
  pid: number;
  host: string;
  isAlive: (pid: number) => boolean;
  token: string;
  every: (intervalMs: number, tick: () => void) => () => void;
  onLost: (holder: LockOwner | undefined) => void;
  step: (step: LockStep) => void;
}

type Seen =
  | { state: "absent" }
  | { state: "owned"; owner: LockOwner; generation: string }
  | { state: "unreadable"; writtenMs: number; generation: string };

export class RunLock {
  private done = false;
  private readonly stopRefresh: () => void;
  /** The run that took this lock over, once this run found out (undefined while held, or when unreadable). */
  private taker: LockOwner | undefined;
  /** When the lock was last known to be ours (taken, refreshed or read back), by the wall clock. */
  private knownHeldAtMs: number;

  private constructor(
    private readonly settings: Settings,
    private current: LockOwner,
    /** This run's own record, open since it was linked: what a refresh touches (see the top). */
    private readonly recordFd: number,
  ) {
    this.knownHeldAtMs = settings.nowMs();
    this.stopRefresh = settings.every(settings.refreshEveryMs, () => void this.refresh());
  }

  /** Takes the lock for this account and event, or throws ConfigError naming the run that holds it. */
  static acquire(options: RunLockOptions): RunLock {
    const settings = resolveSettings(options);
    const nowMs = settings.nowMs();
    const nowIso = new Date(nowMs).toISOString();
    const owner: LockOwner = { pid: settings.pid, host: settings.host, token: settings.token, startedAt: nowIso, refreshedAt: nowIso };
    const temp = tempPath(settings, settings.token);
    let fd: number | undefined;
    try {
      mkdirSync(dirname(settings.path), { recursive: true, mode: 0o700 });
      writeRecord(temp, { pid: owner.pid, host: owner.host, token: owner.token, startedAt: owner.startedAt });
      utimesSync(temp, nowMs / 1000, nowMs / 1000);
      fd = openSync(temp, "r");
      if (!take(settings, temp)) raceLost(settings);
      const lock = new RunLock(settings, owner, fd);
      fd = undefined;
      return lock;
    } catch (error) {
      throw error instanceof ConfigError ? error : cannotLock(settings, error);
    } finally {
      if (fd !== undefined) closeSync(fd);
      removeQuietly(temp);
    }
  }

  get path(): string {
    return this.settings.path;
  }

  get owner(): LockOwner {
    return this.current;
  }

  /** False once released or taken over by another run. */
  get held(): boolean {
    return !this.done;
  }

  /** The run that took this lock over, when this run found out and could read who. */
  get takenOverBy(): LockOwner | undefined {
    return this.taker;
  }

  /**
   * Whether the lock is still this run's, checked before each request leaves (issue 17). Cheap while
   * the refresh timer keeps up: the lock file is read only when the last sign of holding it is older
   * than a refresh interval by the wall clock, which is what a paused process (SIGSTOP, a frozen VM)
   * sees first when it resumes, before its overdue timer has run.
   */
  stillHeld(): boolean {
    if (this.done) return false;
    const s = this.settings;
    const nowMs = s.nowMs();
    if (nowMs - this.knownHeldAtMs < s.refreshEveryMs) return true;
    let seen: Seen;
    try {
      seen = look(s.path);
    } catch {
      // Unreadable for a moment (an I/O error): the refresh decides; a lost lock is found there.
      return true;
    }
    if (generationOf(seen) !== s.token) return this.lose(seen);
    this.knownHeldAtMs = nowMs;
    return true;
  }

  /** Touches this run's record and reads `L` back; the timer calls it. False once the lock is not ours. */
  refresh(): boolean {
    if (this.done) return false;
    const s = this.settings;
    const nowMs = s.nowMs();
    try {
      const claimed = claim(s, s.token);
      // Someone is deciding whether this lock is stale right now: it is not, so try at the next tick.
      if (claimed === undefined) return true;
      try {
        s.step("refresh-claimed");
        futimesSync(this.recordFd, nowMs / 1000, nowMs / 1000);
        s.step("refresh-touched");
        const seen = look(s.path);
        if (generationOf(seen) !== s.token) return this.lose(seen);
        this.current = { ...this.current, refreshedAt: new Date(nowMs).toISOString() };
        this.knownHeldAtMs = nowMs;
        return true;
      } finally {
        removeQuietly(claimed.path);
      }
    } catch {
      // A failed touch (an I/O error) is retried at the next tick; only staleAfterMs of failures lose the lock.
      return true;
    }
  }

  /** Removes the lock if it is still ours and stops refreshing it; never removes another run's lock. */
  release(): void {
    if (this.done) return;
    this.end();
    const s = this.settings;
    try {
      const claimed = claim(s, s.token);
      // Another run holds our claim: it is judging this lock, so the decision is its to make.
      if (claimed === undefined) return;
      try {
        if (generationOf(look(s.path)) !== s.token) return;
        s.step("release-checked");
        // Paused past the stale age since the claim: a successor may hold L now; ours goes stale by itself.
        if (!claimStillFresh(s, claimed)) return;
        unlinkSync(s.path);
      } finally {
        removeQuietly(claimed.path);
      }
      removeGeneration(s, s.token);
    } catch {
      // Releasing must not hide the run's own outcome; a lock left behind goes stale by itself.
    }
  }

  private end(): void {
    this.done = true;
    this.stopRefresh();
    try {
      closeSync(this.recordFd);
    } catch {
      // Closing a descriptor of a file nobody reads any more: nothing to report.
    }
  }

  private lose(seen: Seen): false {
    this.end();
    this.taker = seen.state === "owned" ? seen.owner : undefined;
    this.settings.onLost(this.taker);
    return false;
  }
}

/** `<sha256(account)[:16]>-meeting-85746065.lock`: the account is hashed so the name reveals nothing. */
export function lockFileName(account: string, event: LockEvent): string {
  const accountHash = createHash("sha256").update(account).digest("hex").slice(0, 16);
  return `${accountHash}-${safeName(event.kind)}-${safeName(event.id)}.lock`;
}

/** setInterval that does not keep the process alive: a finished run must not wait for its lock's timer. */
function everyUnref(intervalMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function resolveSettings(options: RunLockOptions): Settings {
  return {
    path: join(options.dir, lockFileName(options.account, options.event)),
    event: options.event,
    staleAfterMs: options.staleAfterMs ?? lockDefaults.staleAfterMs,
    refreshEveryMs: options.refreshEveryMs ?? lockDefaults.refreshEveryMs,
    nowMs: options.nowMs ?? Date.now,
    pid: options.pid ?? process.pid,
    host: (options.hostname ?? osHostname)(),
    isAlive: options.isAlive ?? pidAlive,
    token: (options.newToken ?? randomUUID)(),
    every: options.every ?? everyUnref,
    onLost: options.onLost ?? (() => undefined),
    step: options.onStep ?? (() => undefined),
  };
}

/** Tries to become the holder with the record in `temp`; false when another run won a race at each try. */
function take(s: Settings, temp: string): boolean {
  for (let attempt = 0; attempt < maxTakeAttempts; attempt += 1) {
    s.step("link");
    if (linked(temp, s.path)) return true;
    s.step("look");
    const seen = look(s.path);
    if (seen.state === "absent") continue; // released since our link: try again
    if (staleness(s, seen) === undefined) throw heldError(s, seen);
    const outcome = takeOver(s, seen, temp);
    if (outcome === "won") return true;
    if (outcome === "busy") throw takingOverError(s, seen);
  }
  return false;
}

/** Replaces the stale generation `seen` by our record, under its claim (see the comment at the top). */
function takeOver(s: Settings, seen: Exclude<Seen, { state: "absent" }>, temp: string): "won" | "busy" | "changed" {
  s.step("claim");
  const claimed = claim(s, seen.generation);
  if (claimed === undefined) return "busy";
  let removed = false;
  try {
    s.step("recheck");
    const again = look(s.path);
    if (again.state === "absent" || again.generation !== seen.generation || staleness(s, again) === undefined) return "changed";
    s.step("rechecked");
    // Paused past the stale age since the claim: another taker may have skipped it and won; look again.
    if (!claimStillFresh(s, claimed)) return "changed";
    unlinkSync(s.path);
    removed = true;
    s.step("unlinked");
    // A fresh taker may link in the gap; then it is the one holder and this run lost fairly.
    return linked(temp, s.path) ? "won" : "changed";
  } finally {
    removeQuietly(claimed.path);
    if (removed) removeGeneration(s, seen.generation);
  }
}

/** Why `seen` may be taken over, or undefined while its holder counts as alive. */
function staleness(s: Settings, seen: Exclude<Seen, { state: "absent" }>): "dead" | "old" | undefined {
  // An unreadable file never comes from a live run (records appear whole), but its age is all we know.
  const writtenMs = seen.state === "owned" ? Date.parse(seen.owner.refreshedAt) : seen.writtenMs;
  if (s.nowMs() - writtenMs >= s.staleAfterMs) return "old";
  if (seen.state === "owned" && seen.owner.host === s.host && !s.isAlive(seen.owner.pid)) return "dead";
  return undefined;
}

interface Claim {
  path: string;
  claimedAtMs: number;
}

/**
 * Claims generation `generation` of the lock, or undefined when another party holds it. Abandoned
 * claims (older than the stale age) are skipped, never deleted.
 */
function claim(s: Settings, generation: string): Claim | undefined {
  const temp = `${s.path}.${s.token}.claim.tmp`;
  const claimedAtMs = s.nowMs();
  writeRecord(temp, { pid: s.pid, host: s.host, token: s.token, claimedAtMs });
  try {
    let slot = 0;
    for (let attempt = 0; attempt < maxClaimSlots * 2 && slot < maxClaimSlots; attempt += 1) {
      const path = `${s.path}.${generation}.claim-${slot}`;
      if (linked(temp, path)) return { path, claimedAtMs };
      const claimedMs = claimedAt(path);
      if (claimedMs === undefined) continue; // released since our link: the same slot again
      if (s.nowMs() - claimedMs < s.staleAfterMs) return undefined;
      slot += 1;
    }
    return undefined;
  } finally {
    removeQuietly(temp);
  }
}

/** False once a claim is as old as the stale age: from then on others skip it, so it protects nothing. */
function claimStillFresh(s: Settings, claimed: Claim): boolean {
  return s.nowMs() - claimed.claimedAtMs < s.staleAfterMs;
}

function claimedAt(path: string): number | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { claimedAtMs?: unknown };
    if (typeof parsed.claimedAtMs === "number") return parsed.claimedAtMs;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
  }
  return mtimeMs(path);
}

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The lock file as it is now: one open file, so its inode, mtime and content belong together. */
function look(path: string): Seen {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { state: "absent" };
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const owner = parseOwner(readFileSync(fd, "utf8"), stat.mtimeMs);
    return owner === undefined
      ? { state: "unreadable", writtenMs: stat.mtimeMs, generation: `x${stat.ino}-${Math.trunc(stat.mtimeMs)}` }
      : { state: "owned", owner, generation: owner.token };
  } finally {
    closeSync(fd);
  }
}

function generationOf(seen: Seen): string | undefined {
  return seen.state === "absent" ? undefined : seen.generation;
}

function parseOwner(text: string, mtimeMs: number): LockOwner | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<Record<keyof LockOwner, unknown>>;
    const { pid, host, token, startedAt } = parsed;
    const valid =
      typeof pid === "number" && Number.isInteger(pid) && pid > 0 &&
      typeof host === "string" &&
      // The token becomes part of file names: nothing that could leave the lock folder.
      typeof token === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(token) &&
      typeof startedAt === "string" && !Number.isNaN(Date.parse(startedAt));
    // Rounded: a float mtime can read a microsecond short of the millisecond that was set.
    return valid ? { pid, host, token, startedAt, refreshedAt: new Date(Math.round(mtimeMs)).toISOString() } : undefined;
  } catch {
    return undefined;
  }
}

/** Create-if-absent: false when `to` exists. */
function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/** Always a new file: rewriting one still linked to the lock or a claim would empty that too. */
function writeRecord(path: string, record: object): void {
  removeQuietly(path);
  writeFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600, flag: "wx" });
}

function tempPath(s: Settings, token: string): string {
  return `${s.path}.${token}.tmp`;
}

/** Deletes the files of a generation that has ended: its leftover claims and temporary records. */
function removeGeneration(s: Settings, generation: string): void {
  const prefix = `${basename(s.path)}.${generation}.`;
  try {
    for (const name of readdirSync(dirname(s.path))) if (name.startsWith(prefix)) removeQuietly(join(dirname(s.path), name));
  } catch {
    // Tidying only: leftovers are never read once their generation has ended.
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or tidying only.
  }
}

/** A run that found another run holding its event now: it stops sending (the caller maps this to exit 2). */
export function lostLockError(event: LockEvent, taker: LockOwner | undefined): ConfigError {
  const who = taker === undefined ? "another zoomreg push" : `another zoomreg push (pid ${taker.pid} on host ${taker.host}, since ${isoSeconds(Date.parse(taker.startedAt))})`;
  return new ConfigError(`${who} took over the lock for ${event.kind} ${event.id} while this run was paused: this run stopped sending`, {
    hint: "the other run registers the rows this one did not send (they are not_sent); nothing was added twice",
  });
}

function heldError(s: Settings, seen: Exclude<Seen, { state: "absent" }>): ConfigError {
  const event = `${s.event.kind} ${s.event.id}`;
  const wait = `if no such run exists, delete ${s.path}; a lock not refreshed for ${duration(s.staleAfterMs)} is taken over by itself`;
  if (seen.state === "unreadable") {
    return new ConfigError(`another zoomreg push holds the lock for ${event} (its lock file is unreadable, written ${isoSeconds(seen.writtenMs)})`, {
      hint: `wait for it to finish; ${wait}`,
    });
  }
  const { pid, host, startedAt } = seen.owner;
  return new ConfigError(`another zoomreg push is running for ${event} (pid ${pid} on host ${host}, since ${isoSeconds(Date.parse(startedAt))})`, {
    hint: `wait for it to finish; ${wait}`,
  });
}

function takingOverError(s: Settings, seen: Exclude<Seen, { state: "absent" }>): ConfigError {
  const left = seen.state === "owned" ? ` left by pid ${seen.owner.pid} on host ${seen.owner.host}` : "";
  return new ConfigError(`another zoomreg push is taking over the stale lock for ${s.event.kind} ${s.event.id}${left} at this moment`, {
    hint: "wait for that run to finish, then run again",
  });
}

function raceLost(s: Settings): never {
  throw new ConfigError(`other zoomreg pushes for ${s.event.kind} ${s.event.id} kept taking the lock ${s.path} at the same moment`, { hint: "run again" });
}

function cannotLock(s: Settings, error: unknown): ConfigError {
  return new ConfigError(`cannot take the run lock ${s.path}: ${errorCode(error) ?? String(error)}`, {
    cause: error,
    hint: `the folder ${dirname(s.path)} must be writable and on a file system with hard links (ZOOMREG_LOCK_DIR moves it)`,
  });
}

function duration(ms: number): string {
  return ms === 60_000 ? "a minute" : ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} s`;
}

function isoSeconds(ms: number): string {
  return Number.isNaN(ms) ? "an unknown time" : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function safeName(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/g, "_");
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
