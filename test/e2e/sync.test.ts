import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type FakeZoomInterceptor, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { accountIdentity } from "../../src/engine/run-lock.js";
import { resolveCredentials } from "../../src/network/credentials.js";
import { lockFileName } from "../../src/state/index.js";
import { addRequests, fakeEnv, readCsv, root, runCli, tempDir } from "./harness.js";

const webinar = defaultEventIds.webinar;
const rows = (n: number): string => ["email,first_name,last_name", ...Array.from({ length: n }, (_, i) => `p${i}@example.com,P${i},Q${i}`), ""].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
let interceptors: FakeZoomInterceptor[];
beforeEach(async () => {
  interceptors = [];
  zoom = await startFakeZoom({ port: 0, interceptors: [{ beforeRoute: (exchange) => interceptors.reduce<ReturnType<NonNullable<FakeZoomInterceptor["beforeRoute"]>>>((answer, i) => answer ?? i.beforeRoute?.(exchange), undefined) }] });
  dir = tempDir();
});
afterEach(async () => {
  await zoom.close();
});

/** Where every push to the fake's webinar with its account keeps its run lock, in the folder `locks`. */
const lockFile = (locks: string): string => join(locks, lockFileName(accountIdentity(resolveCredentials(fakeEnv(zoom))), { kind: "webinar", id: webinar }));

const push = (args: string[]) => runCli(["push", ...args], { env: fakeEnv(zoom), cwd: dir });

describe("nightly sync", () => {
  it("sends no add on a second run of the same file and writes an identical output", async () => {
    writeFileSync(join(dir, "people.csv"), rows(30));
    const first = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "500"]);
    expect(first.code).toBe(0);
    const firstOutput = readFileSync(join(dir, "out.csv"), "utf8");
    const addsAfterFirst = addRequests(zoom);
    const second = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "500"]);
    expect(second.code).toBe(0);
    expect(addRequests(zoom)).toBe(addsAfterFirst);
    expect(readFileSync(join(dir, "out.csv"), "utf8")).toBe(firstOutput);
  });

  it("reports people already registered by someone else as existing, with their join_url", async () => {
    writeFileSync(join(dir, "people.csv"), rows(3));
    // Registered outside zoomreg: no state file knows them, only Zoom's list does.
    await push(["people.csv", "--webinar", webinar, "--out", "elsewhere/../first.csv", "--state", "other-state.ndjson"]);
    const adds = addRequests(zoom);
    const run = await push(["people.csv", "--webinar", webinar, "--out", "out.csv"]);
    expect(addRequests(zoom)).toBe(adds);
    const out = readCsv(join(dir, "out.csv"));
    expect(out.map((row) => row.status)).toEqual(["existing", "existing", "existing"]);
    expect(out.every((row) => row.join_url?.startsWith("https://"))).toBe(true);
    expect(run.code).toBe(0);
  });

  it("refuses a second run on the same event while the first holds the lock, naming it", async () => {
    writeFileSync(join(dir, "people.csv"), rows(1));
    const locks = tempDir();
    const at = new Date().toISOString();
    writeFileSync(lockFile(locks), JSON.stringify({ pid: process.pid, host: hostname(), token: "held", startedAt: "2026-11-27T00:00:00.000Z", refreshedAt: at }));
    const run = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv"], { env: { ...fakeEnv(zoom), ZOOMREG_LOCK_DIR: locks }, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`another zoomreg push is running for webinar ${webinar} (pid ${process.pid} on host ${hostname()}, since 2026-11-27T00:00:00Z)`);
    expect(run.stderr).toContain(`delete ${lockFile(locks)}`);
    expect(addRequests(zoom)).toBe(0);
  });

  it("takes over at once the fresh lock of a run killed on this host", async () => {
    writeFileSync(join(dir, "people.csv"), rows(1));
    const locks = tempDir();
    const at = new Date().toISOString();
    writeFileSync(lockFile(locks), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), token: "killed", startedAt: at, refreshedAt: at }));
    const run = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv"], { env: { ...fakeEnv(zoom), ZOOMREG_LOCK_DIR: locks }, cwd: dir });
    expect(run.code).toBe(0);
    expect(readdirSync(locks)).toEqual([]);
  });

  it("stops at the account's daily limit with exit 4, defers the rest, and a run after midnight finishes them", async () => {
    writeFileSync(join(dir, "people.csv"), rows(40));
    // Zoom names the next 00:00 UTC; a fixed date here would be in the past once that day has come.
    const nextMidnight = new Date(Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000).toISOString();
    const retryAfter = nextMidnight.replace(".000Z", "Z");
    let addsAllowed = 10;
    interceptors.push({
      beforeRoute: (exchange) => {
        if (exchange.route.name !== "addRegistrant") return undefined;
        if (addsAllowed > 0) {
          addsAllowed -= 1;
          return undefined;
        }
        exchange.recordRateLimited("daily");
        return {
          status: 429,
          headers: { "content-type": "application/json", "x-ratelimit-type": "Daily-limit", "retry-after": retryAfter, "x-zm-trackingid": "t" },
          body: JSON.stringify({ code: 429, message: "You have reached the maximum daily rate limit for this API." }),
        };
      },
    });
    // Eight in flight: when the limit hits, several rows wait for a permit and the rest are not yet read.
    const first = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--concurrency", "8", "--json", "--batch", "never"]);
    expect(first.code).toBe(4);
    const summary = JSON.parse(first.stdout) as { dailyLimitUntil: string; counts: Record<string, number> };
    expect(summary.dailyLimitUntil).toBe(nextMidnight);
    const out = readCsv(join(dir, "out.csv"));
    expect(out).toHaveLength(40);
    expect(out.filter((row) => row.status === "registered")).toHaveLength(10);
    // Every row not sent is deferred until Zoom's time, whether it waited for a permit or was never read (issue 17).
    expect(out.filter((row) => row.status !== "registered").map((row) => [row.status, row.deferred_until])).toEqual(Array.from({ length: 30 }, () => ["deferred", nextMidnight]));

    addsAllowed = Number.POSITIVE_INFINITY; // the fake's day has turned
    const second = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never"]);
    expect(second.code).toBe(0);
    expect(readCsv(join(dir, "out.csv")).every((row) => row.status === "registered")).toBe(true);
  });

  it("exits 143 with a one-line message when SIGTERM comes while it still reads the event", async () => {
    // Every /v2 answer takes 5 s, so the signal lands during the preflight's GET of the event.
    const slow = await startFakeZoom({ port: 0, faults: { latency: { distribution: "uniform", minMs: 5_000, maxMs: 5_000 } } });
    try {
      writeFileSync(join(dir, "people.csv"), rows(3));
      const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "people.csv", "--webinar", webinar, "--out", "out.csv"], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", ...fakeEnv(slow) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const routes = () => Object.keys(slow.fake.ledger().totals.requestsByRoute);
      for (let i = 0; i < 400 && !routes().some((route) => route.startsWith("GET")); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      child.kill("SIGTERM");
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(143);
      expect(stderr).toMatch(/^zoomreg: interrupted by SIGTERM: nothing was lost/m);
      expect(stderr).not.toMatch(/internal error/);
    } finally {
      await slow.close();
    }
  });

  it("drains the requests in flight on SIGINT, exits 130, and a re-run finishes the file", async () => {
    writeFileSync(join(dir, "people.csv"), rows(60));
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "10", "--batch", "never"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...fakeEnv(zoom) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    // Wait until some adds have been answered, then interrupt.
    for (let i = 0; i < 200 && addRequests(zoom) < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: run again to finish/);
    // Every row read has its row: registered, or not_sent (read, but the signal came before it was sent).
    const partial = readCsv(join(dir, "out.csv"));
    const registered = partial.filter((row) => row.status === "registered").length;
    expect(registered).toBeGreaterThan(0);
    expect(registered).toBeLessThan(60);
    expect(partial.every((row) => row.status === "registered" || row.status === "not_sent")).toBe(true);

    const resumed = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "500"]);
    expect(resumed.code).toBe(0);
    const out = readCsv(join(dir, "out.csv"));
    expect(out.map((row) => row.line)).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 2)));
    const ledger = zoom.fake.ledger().events[`webinar:${webinar}`] ?? {};
    expect(Object.values(ledger).every((entry) => entry.addAttempts === 1)).toBe(true);
  });
});

describe("a re-run's list reads", () => {
  it("stay under Pro's Medium limit: zero 429s while listing 6,000 registrants (22 pages)", async () => {
    // Pro's Light and Medium limits; Heavy left open so that seeding 6,000 people takes a second, not twenty.
    const pro = await startFakeZoom({ port: 0, rateLimits: { perSecond: { Light: 30, Medium: 20 }, perDay: {}, headers: true } });
    try {
      const folder = tempDir();
      writeFileSync(join(folder, "people.csv"), rows(6000));
      const seed = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "10000"], { env: fakeEnv(pro), cwd: folder });
      expect(seed.code, seed.stderr).toBe(0);
      const rerun = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv"], { env: fakeEnv(pro), cwd: folder });
      expect(rerun.code, rerun.stderr).toBe(0);
      const { totals } = pro.fake.ledger();
      expect(totals.requestsByRoute["GET /v2/webinars/{webinarId}/registrants"]).toBe(3 + 22);
      expect(totals.rateLimitedByKind.qps ?? 0).toBe(0);
      expect(totals.peakRequestsPerSecondByLabel.Medium).toBeLessThanOrEqual(20);
    } finally {
      await pro.close();
    }
  }, 60_000);
});
