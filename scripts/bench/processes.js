// Runs one benchmarked Node process (zoomreg, the naive script, the fake's own benchmark) and keeps
// only what the benchmark reads: the exit code, the last line of stdout (zoomreg's --json summary
// comes last), the end of stderr, the wall time, and the CPU this process (the fake's host) spent
// meanwhile. stdout goes to a file, not a pipe: a dry run prints a line per row (a million lines,
// ~120 MB), and a pipe is written asynchronously, so a process that calls process.exit() with
// writes still queued would lose its last lines, the summary among them (and hold them in memory).
/* global process, performance, setTimeout, clearTimeout, Buffer */
import { spawn } from "node:child_process";
import { closeSync, fstatSync, openSync, readSync, rmSync } from "node:fs";

/** What is kept of stderr, for a failing run's message. */
const stderrTailChars = 4_000;
/** How much of the end of stdout is read back: the summary line is well under this. */
const stdoutTailBytes = 64 * 1024;
/** @type {Set<import("node:child_process").ChildProcess>} */
const running = new Set();

/** Kills the children still running (the benchmark was interrupted): each by its own handle. */
export function killRunningChildren() {
  for (const child of running) child.kill("SIGKILL");
}

/**
 * @typedef {object} ChildRun
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {string} lastLine the last non-empty line of stdout
 * @property {string} stderrTail
 * @property {number} wallMs
 * @property {number} hostCpuMs CPU of this process (which serves the fake) while the child ran
 * @property {boolean} timedOut
 */

/**
 * @param {{ args: string[], env: Record<string, string>, cwd: string, timeoutMs: number, stdoutPath: string }} options
 *   stdoutPath: a file for the child's stdout, removed once its last line is read
 * @returns {Promise<ChildRun>}
 */
export function runNode({ args, env, cwd, timeoutMs, stdoutPath }) {
  return new Promise((resolve, reject) => {
    const hostCpuBefore = process.cpuUsage();
    const startedMs = performance.now();
    const stdoutFd = openSync(stdoutPath, "w", 0o600);
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", stdoutFd, "pipe"] });
    closeSync(stdoutFd);
    running.add(child);
    let stderrTail = "";
    let timedOut = false;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (/** @type {string} */ chunk) => {
      stderrTail = (stderrTail + chunk).slice(-stderrTailChars);
    });
    // Bounded in time whatever the child does.
    const guard = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      running.delete(child);
      clearTimeout(guard);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      running.delete(child);
      clearTimeout(guard);
      const hostCpu = process.cpuUsage(hostCpuBefore);
      const lastLine = lastLineOf(stdoutPath);
      rmSync(stdoutPath, { force: true });
      resolve({
        exitCode,
        signal,
        lastLine,
        stderrTail,
        wallMs: performance.now() - startedMs,
        hostCpuMs: (hostCpu.user + hostCpu.system) / 1000,
        timedOut,
      });
    });
  });
}

/**
 * The last non-empty line of a file, reading only its end.
 * @param {string} path
 */
function lastLineOf(path) {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, stdoutTailBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n").map((line) => line.trim());
    return lines.filter((line) => line !== "").at(-1) ?? "";
  } finally {
    closeSync(fd);
  }
}

/**
 * The child's environment: only what it needs, so a developer's real ZOOM_* variables, NODE_OPTIONS
 * or a .env file (the child runs in a temp dir) never reach a benchmarked process.
 * @param {Record<string, string>} extra
 * @returns {Record<string, string>}
 */
export function childEnv(extra) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const name of ["PATH", "HOME", "LANG", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}
