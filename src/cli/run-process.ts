import { setFlagsFromString } from "node:v8";
import { main } from "./main.js";
import { ExitCode } from "../engine/exit-codes.js";
import { flushAllBeforeAbruptExit } from "../shared/before-abrupt-exit.js";
import type { StdoutClosedPolicy } from "./io.js";

/**
 * V8's heap sizing, tuned for a CLI that streams (issue 5 and issue 11: peak RSS under 150 MB). Neither
 * is a cap: a larger live set still gets the memory it needs. NODE_OPTIONS or node's own flags win;
 * both flags are read by V8 each time it resizes, so setting them at start-up applies.
 * - Grow the old generation by a quarter after each full collection instead of V8's default (up to 4x
 *   for a program that allocates fast): at 20,000 rows a second short-lived rows were promoted faster
 *   than V8 collected them. A 1,000,000-row dry run: 193 MB peak RSS without it, ~130 MB with it, for
 *   ~5% more CPU.
 * - Keep the young generation at its first size (1 MB a semi-space) instead of doubling it to 16 MB:
 *   a run's rows live for milliseconds, and the 30 MB of nursery was a fifth of a 200,000-row re-run's
 *   peak (149 MB when it grows, 117–121 MB when it does not, for no more CPU). V8 raises a factor
 *   below 2 given on the command line, not one set here; a V8 that ignored it would only cost that
 *   memory. Figures: docs/performance.md.
 */
const heapFlags = { "--heap-growing-percent": 25, "--semi-space-growth-factor": 1 };
for (const [flag, value] of Object.entries(heapFlags)) {
  if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => arg.includes(flag))) setFlagsFromString(`${flag}=${value}`);
}

/**
 * The process boundary: the only file that touches process.argv/env/signals. The first SIGINT or
 * SIGTERM asks the run to drain (rows in flight finish and are written); a second one exits at once.
 * Output rows are written synchronously as they finish, so even then nothing finished is lost.
 */
const controller = new AbortController();
let signalled = 0;
// On a terminal the progress line (and the ^C echoed after it) is erased first, so the message starts clean.
const lineStart = process.stderr.isTTY ? "\r\x1b[2K" : "";
const onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
  signalled += 1;
  if (signalled > 1) {
    process.stderr.write(`${lineStart}zoomreg: ${signal} again: stopping now\n`);
    // State lines that wait for the sync in flight go to the file first (they are ~1 ms old at most).
    flushAllBeforeAbruptExit();
    process.exit(signal === "SIGINT" ? ExitCode.sigint : ExitCode.sigterm);
  }
  process.stderr.write(`${lineStart}zoomreg: ${signal}: finishing the requests in flight (press Ctrl-C again to stop at once)\n`);
  controller.abort(signal);
};
// `zoomreg push big.csv --dry-run --json | head`: the reader left. Stop quietly, as the rest of a
// shell pipeline expects, rather than die on an unhandled 'error' event with a stack trace. Only
// stdout; held state lines go out first. A push (not a dry run) says "finish": `--json | true` must
// not turn failed rows into exit 0, so it carries on (its later stdout writes go nowhere) and exits
// with its own code.
let whenStdoutCloses: StdoutClosedPolicy = "stop";
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") stdoutFailed(error);
  if (whenStdoutCloses === "finish") return;
  flushAllBeforeAbruptExit();
  process.exit(ExitCode.ok);
});
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));

loadDotEnv();

const exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  whenStdoutCloses: (policy) => {
    whenStdoutCloses = policy;
  },
});
// Exit now rather than wait for idle keep-alive sockets to let go; every file is closed by here. But
// first let stdout and stderr drain: on a full pipe (`zoomreg push ... --json | tail`) their writes
// queue, and process.exit() would drop the queued tail, summary included.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // Writes complete in order: the callback of an empty write runs once everything before it is out.
    if (!stream.write("", () => resolve())) stream.once("drain", () => resolve());
  });
}

/**
 * stdout itself failed (`--out - > /dev/full`: ENOSPC; EIO): nothing more can reach it, so stop at once
 * with one line and exit 2, as a full disk under the state file does. What was done is in the state
 * file (held lines go out first); the requests in flight are answered by Zoom's list on the next run.
 */
function stdoutFailed(error: NodeJS.ErrnoException): never {
  flushAllBeforeAbruptExit();
  const code = error.code ?? "error";
  const what = code === "ENOSPC" ? "disk full: cannot write to stdout (ENOSPC)" : `cannot write to stdout (${code})`;
  process.stderr.write(`${lineStart}zoomreg: ${what}: make room where stdout goes, or give --out a file, and run the same command again (what a push did is in its state file: nobody is sent twice)\n`);
  process.exit(ExitCode.usage);
}

/** `.env` in the working directory fills in what the environment does not set (it never overrides). */
function loadDotEnv(): void {
  try {
    process.loadEnvFile(".env");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      process.stderr.write(`zoomreg: cannot read .env: ${(error as Error).message}\n`);
    }
  }
}
