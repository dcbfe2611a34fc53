import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { accountIdentity, acquireRunLock } from "../../src/engine/run-lock.js";
import { resolveCredentials } from "../../src/network/credentials.js";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { lockFileName, type LockOwner } from "../../src/state/index.js";
import { addRequests, fakeEnv, freshFakeZoomEachTest, root, runCli, tempDir, type CliRun } from "./harness.js";

const webinar = defaultEventIds.webinar;
const rows = (n: number): string => ["email,first_name,last_name", ...Array.from({ length: n }, (_, i) => `p${i}@example.com,P${i},Q${i}`), ""].join("\n");
const holderMessage = new RegExp(`another zoomreg push is running for webinar ${webinar} \\(pid \\d+ on host \\S+, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)`);

let zoom: RunningFakeZoom;
freshFakeZoomEachTest((fresh) => (zoom = fresh.zoom));

/** How many adds reached the fake per email of the webinar: more than one is a person added twice. */
function addAttemptsByEmail(): Record<string, number> {
  const entries = zoom.fake.ledger().events[`webinar:${webinar}`] ?? {};
  return Object.fromEntries(Object.entries(entries).map(([email, entry]) => [email, entry.addAttempts]));
}

describe("one run per account and event", () => {
  it("two pushes of one file to one event from two folders add nobody twice", async () => {
    const locks = tempDir();
    const folders = [tempDir(), tempDir()];
    for (const folder of folders) writeFileSync(join(folder, "people.csv"), rows(40));
    const env = { ...fakeEnv(zoom), ZOOMREG_LOCK_DIR: locks };
    // Single adds at 20/s: each run takes about two seconds, so the two overlap.
    const args = ["push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never", "--rate", "20"];
    const runs = await Promise.all(folders.map((cwd) => runCli(args, { env, cwd })));
    const codes = runs.map((run) => run.code).sort();
    expect([[0, 2], [0, 0]]).toContainEqual(codes);
    for (const run of runs.filter((r) => r.code === 2)) expect(run.stderr).toMatch(holderMessage);
    const attempts = addAttemptsByEmail();
    expect(Object.keys(attempts)).toHaveLength(40);
    expect(Object.entries(attempts).filter(([, count]) => count > 1)).toEqual([]);
    expect(addRequests(zoom)).toBe(40);
  });
});

describe("one lock per account, API host and event", () => {
  it("does not block a push to another host (a second fake) while the event's lock is held for the first", async () => {
    const other = await startFakeZoom({ port: 0 });
    const locks = tempDir();
    const cwd = tempDir();
    writeFileSync(join(cwd, "people.csv"), rows(3));
    // The first fake's lock, held by this (live) process as a running push would hold it.
    const held = acquireRunLock({ ZOOMREG_LOCK_DIR: locks }, resolveCredentials(fakeEnv(zoom)), { kind: "webinar", id: webinar }, pino({ level: "silent" }));
    try {
      const run = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv"], { env: { ...fakeEnv(other), ZOOMREG_LOCK_DIR: locks }, cwd });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const blocked = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv"], { env: { ...fakeEnv(zoom), ZOOMREG_LOCK_DIR: locks }, cwd });
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toMatch(holderMessage);
    } finally {
      held.release();
      await other.close();
    }
  });
});

/** `unshare --uts` gives a child its own hostname, as a new container has: it needs root and the tool. */
function unshareUnavailable(): string | undefined {
  if (process.platform !== "linux") return "unshare --uts is Linux-only";
  if (process.getuid?.() !== 0) return "unshare --uts needs root (run as root to include this test)";
  const probe = spawnSync("unshare", ["--uts", "hostname", "probe"], { stdio: "ignore" });
  if (probe.error !== undefined) return "the unshare tool is not installed (util-linux)";
  return probe.status === 0 ? undefined : "unshare --uts is not permitted here (a container without CAP_SYS_ADMIN?)";
}

/** The CLI under its own hostname: sh sets it, then execs node, so the child's pid is the run's. */
function spawnUnder(host: string, args: readonly string[], env: Record<string, string>, cwd: string): { pid: number; done: Promise<CliRun> } {
  const child = spawn("unshare", ["--uts", "sh", "-c", 'hostname "$0" && exec "$@"', host, process.execPath, join(root, "bin", "zoomreg.js"), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error("unshare did not start");
  return { pid: child.pid, done };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe("a run killed with SIGKILL in one container", () => {
  it("does not lock out a run from another hostname: it finishes within two minutes", async (context) => {
    const unavailable = unshareUnavailable();
    if (unavailable !== undefined) context.skip(`skipped: ${unavailable}`);
    const dir = tempDir();
    const locks = tempDir();
    writeFileSync(join(dir, "people.csv"), rows(200));
    // A 5 s stale age instead of a minute (ZOOMREG_LOCK_STALE_MS is a testing knob); refreshes every 1.25 s.
    const env = { ...fakeEnv(zoom), ZOOMREG_LOCK_DIR: locks, ZOOMREG_LOCK_STALE_MS: "5000" };
    const args = (ratePerSecond: number): string[] => ["push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never", "--rate", String(ratePerSecond)];
    const lockPath = join(locks, lockFileName(accountIdentity(resolveCredentials(env)), { kind: "webinar", id: webinar }));

    const killed = spawnUnder("container-a", args(10), env, dir);
    await waitFor(() => addRequests(zoom) >= 5, 20_000);
    expect((JSON.parse(readFileSync(lockPath, "utf8")) as LockOwner).host).toBe("container-a");
    process.kill(killed.pid, "SIGKILL");
    expect((await killed.done).code).toBe(null);
    const killedAtMs = Date.now();

    // A cron job's retries: refused while the dead run's lock is fresh, then it is taken over.
    const refusals: CliRun[] = [];
    let last = await spawnUnder("container-b", args(200), env, dir).done;
    while (last.code === 2 && Date.now() - killedAtMs < 120_000) {
      refusals.push(last);
      await sleep(500);
      last = await spawnUnder("container-b", args(200), env, dir).done;
    }
    expect(last.code, last.stderr).toBe(0);
    expect(Date.now() - killedAtMs).toBeLessThan(120_000);
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) expect(refusal.stderr).toMatch(new RegExp(`${holderMessage.source.replace("\\S+", "container-a")}`));
    expect(Object.values(addAttemptsByEmail()).filter((count) => count > 0)).toHaveLength(200);
  }, 150_000);
});

/** The CLI as a child whose pid the test can stop and continue. */
function spawnCli(args: readonly string[], env: Record<string, string>, cwd: string): { pid: number; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error("the CLI did not start");
  return { pid: child.pid, done };
}

describe("a run paused past the stale age (a suspended VM)", () => {
  it("sends nothing more once it finds another run took its event over: exit 2, the rest not_sent", async () => {
    const locks = tempDir();
    const [pausedDir, otherDir] = [tempDir(), tempDir()];
    for (const folder of [pausedDir, otherDir]) writeFileSync(join(folder, "people.csv"), rows(60));
    // A 1 s stale age (ZOOMREG_LOCK_STALE_MS is a testing knob): a pause of 2 s lets another run take over.
    const env = { ...fakeEnv(zoom), ZOOMREG_LOCK_DIR: locks, ZOOMREG_LOCK_STALE_MS: "1000" };
    const args = (ratePerSecond: number): string[] => ["push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never", "--rate", String(ratePerSecond)];

    const paused = spawnCli(args(10), env, pausedDir);
    await waitFor(() => addRequests(zoom) >= 5, 20_000);
    process.kill(paused.pid, "SIGSTOP");
    await sleep(2_000);
    // The other run takes the stale lock and is still sending when the paused one wakes.
    const other = spawnCli(args(20), env, otherDir);
    await waitFor(() => addRequests(zoom) >= 20, 20_000);
    const addsWhenWoken = addRequests(zoom);
    process.kill(paused.pid, "SIGCONT");

    const woke = await paused.done;
    expect(woke.code, woke.stderr).toBe(2);
    expect(woke.stderr).toMatch(/^zoomreg: another zoomreg push \(pid \d+ on host \S+, since .*\) took over the lock for webinar \d+ while this run was paused: this run stopped sending/m);
    expect((await other.done).code).toBe(0);
    // Nobody was added twice, and the woken run added at most the few it had in flight.
    expect(Object.entries(addAttemptsByEmail()).filter(([, count]) => count > 1)).toEqual([]);
    const wokenOut = readCsvLines(join(pausedDir, "out.csv"));
    expect(wokenOut.filter((status) => status === "registered").length).toBeLessThan(12);
    expect(wokenOut.filter((status) => status === "not_sent").length).toBeGreaterThan(45);
    expect(addRequests(zoom)).toBe(60);
    expect(addsWhenWoken).toBeGreaterThanOrEqual(20);
  }, 60_000);
});

/** The status column of a CSV output, row by row. */
function readCsvLines(path: string): string[] {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const column = (header ?? "").split(",").indexOf("status");
  return lines.map((line) => line.split(",")[column] ?? "");
}
