import { setFlagsFromString } from "node:v8";
import { main } from "./main.js";
import { ExitCode } from "./exit-codes.js";
import { DurableLog } from "../state/durable-log.js";
import type { StdoutClosedPolicy } from "./io.js";

/**
 * Grow the old generation by a quarter after each full collection instead of V8's default (up to 4x
 * for a program that allocates fast). A run's live set is small (~25 MB: the duplicate tracker, rows in
 * flight), but at 20,000 rows a second short-lived rows are promoted faster than V8 collects them, and
 * the heap grew to ~100 MB of garbage (issue 5: peak RSS under 150 MB). This is not a cap: a larger
 * live set still gets the memory it needs, one more collection at a time. Measured on a 1,000,000-row
 * dry run: 193 MB peak RSS without it, ~130 MB with it, for ~5% more CPU (docs/performance.md).
 * NODE_OPTIONS or node's own flags win: V8 flags read at each collection, so later settings apply.
 */
const heapGrowingFlag = "--heap-growing-percent";
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => arg.includes(heapGrowingFlag))) {
  setFlagsFromString(`${heapGrowingFlag}=25`);
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
    DurableLog.flushAll();
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
  if (error.code !== "EPIPE") throw error;
  if (whenStdoutCloses === "finish") return;
  DurableLog.flushAll();
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
