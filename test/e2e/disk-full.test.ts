/**
 * Disk faults are clear (issue 11): a push whose state file is on a disk that fills mid-run stops in
 * one line, leaves a ledger the next run reads, and a re-run on a disk with room adds nobody twice.
 *
 * The small disk is a 48 KiB tmpfs mounted in a mount namespace of its own (`unshare -m`), which needs
 * root and the tool. The tmpfs dies with the namespace, so the first run and the copy of its state
 * file to the normal temp dir happen in one shell inside it; the second run reads that copy.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, root, runCli, tempDir, type CliRun } from "./harness.js";

const meeting = defaultEventIds.meeting;
const people = 500;
const rows = ["email,first_name,last_name", ...Array.from({ length: people }, (_, i) => `p${i}@example.com,P${i},Q${i}`), ""].join("\n");
// Single adds, fast: each person leaves a send and a done line (~400 bytes), so 48 KiB fills after ~100.
const pushArgs = ["push", "people.csv", "--meeting", meeting, "--batch", "never", "--rate", "2000"];

function smallDiskUnavailable(): string | undefined {
  if (process.platform !== "linux") return "tmpfs in a mount namespace is Linux-only";
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root (run as root to include these tests)";
  const probe = spawnSync("unshare", ["-m", "sh", "-c", 'mount -t tmpfs -o size=16k tmpfs "$0"', tempDir()], { stdio: "ignore" });
  if (probe.error !== undefined) return "the unshare tool is not installed (util-linux)";
  return probe.status === 0 ? undefined : "unshare -m or mount -t tmpfs is not permitted here (a container without CAP_SYS_ADMIN?)";
}

/**
 * In a mount namespace: a 48 KiB tmpfs on `disk`, the push with its state there and its output in
 * `dir`, then the state file copied to `dir/state.ndjson`. Exits with the push's code.
 */
function pushOnSmallDisk(dir: string, env: Record<string, string>): Promise<CliRun> {
  const disk = join(dir, "disk");
  mkdirSync(disk);
  const script = [
    'mount -t tmpfs -o size=48k tmpfs "$DISK" || exit 97',
    '"$@"',
    "code=$?",
    'cp "$DISK/state.ndjson" "$DIR/state.ndjson" || exit 98',
    'exit "$code"',
  ].join("\n");
  const args = [...pushArgs, "--state", join(disk, "state.ndjson"), "--out", join(dir, "out.csv")];
  const child = spawn("unshare", ["-m", "sh", "-c", script, "sh", process.execPath, join(root, "bin", "zoomreg.js"), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, DISK: disk, DIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const unavailable = smallDiskUnavailable();

describe.skipIf(unavailable !== undefined)(`a push whose state disk fills mid-run${unavailable === undefined ? "" : ` (skipped: ${unavailable})`}`, () => {
  let zoom: RunningFakeZoom;
  let dir: string;
  let first: CliRun;
  let registeredByFirst: number;
  let addsByFirst: number;
  let second: CliRun;

  beforeAll(async () => {
    zoom = await startFakeZoom({ port: 0 });
    dir = tempDir();
    writeFileSync(join(dir, "people.csv"), rows);
    first = await pushOnSmallDisk(dir, fakeEnv(zoom));
    registeredByFirst = Object.values(zoom.fake.ledger().events[`meeting:${meeting}`] ?? {}).filter((entry) => entry.registered).length;
    addsByFirst = addRequests(zoom);
    second = await runCli([...pushArgs, "--state", join(dir, "state.ndjson"), "--out", join(dir, "out.csv")], { cwd: dir, env: fakeEnv(zoom) });
  }, 60_000);
  afterAll(async () => {
    await zoom.close();
  });

  it("fills the disk after some people were registered, not before the first or after the last", () => {
    expect(registeredByFirst).toBeGreaterThan(0);
    expect(registeredByFirst).toBeLessThan(people);
  });

  it("stops with exit 2", () => {
    expect(first.code).toBe(2);
  });

  it("says so in one line naming the state file and ENOSPC", () => {
    const messages = first.stderr.split("\n").filter((line) => line.startsWith("zoomreg:"));
    expect(messages).toEqual([expect.stringMatching(/^zoomreg: disk full: cannot write \S+\/disk\/state\.ndjson \(ENOSPC\)/) as string]);
  });

  it("leaves a ledger whose every line is whole JSON", () => {
    const lines = readFileSync(join(dir, "state.ndjson"), "utf8").split("\n").filter((line) => line !== "");
    expect(lines.filter((line) => !isJson(line))).toEqual([]);
  });

  it("is finished by a re-run on a disk with room, which exits 0", () => {
    expect([second.code, second.stderr]).toEqual([0, expect.not.stringMatching(/^zoomreg:/m) as string]);
  });

  it("adds nobody twice over the two runs", () => {
    const entries = Object.entries(zoom.fake.ledger().events[`meeting:${meeting}`] ?? {});
    expect(entries.filter(([, entry]) => entry.addAttempts > 1).map(([email]) => email)).toEqual([]);
    expect(addRequests(zoom)).toBe(addsByFirst + (people - registeredByFirst));
  });

  it("registers everyone", () => {
    const entries = Object.values(zoom.fake.ledger().events[`meeting:${meeting}`] ?? {});
    expect([entries.length, entries.filter((entry) => entry.registered).length]).toEqual([people, people]);
  });
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
