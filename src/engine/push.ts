/**
 * `import { push } from "zoomreg"`: the engine of `zoomreg push`, from code (issue 13).
 *
 *   const summary = await push({ meeting: "85746065", records: rows, out: "joinurls.csv", onRow });
 *
 * Same options as zoomreg.config.json (options.ts), same files (output, rejects, state ledger), same
 * run lock and the same summary object as `zoomreg push --json`. It never exits the process, never
 * reads process.argv and never writes to stdout; it logs nothing unless given a logger or a logLevel.
 */
import type { Logger } from "pino";
import type { ZoomregError } from "../errors.js";
import { createJsonLogger, logLevels, silentLogger } from "./logging.js";
import { version } from "../version.js";
import { runPushJob } from "./run-job.js";
import type { PushApiOptions } from "./options.js";
import type { DryRunSummary, PushResult, PushRunSummary } from "./summary.js";

/** A ZoomregError that stopped a push once its rows were being read, with the summary of what was done. */
export type PushStoppedError = ZoomregError & { readonly summary: PushRunSummary };

/**
 * Registers `records` (or `file`) for the meeting or webinar and resolves to the summary `zoomreg push
 * --json` prints (a DryRunSummary with `dryRun: true`). Every output row reaches `onRow` as soon as it is
 * known, and the output file, as in the CLI.
 *
 * Resolves, with `exitCode` saying what the CLI would exit with, when every row has an outcome: also
 * when some rows failed, were deferred or invalid (`counts`; exitCode 2 when every row read is invalid), at Zoom's daily limit for the account
 * (`stoppedBy: "daily limit"`), and when `signal` aborted (`stoppedBy: "signal"`; the requests in
 * flight were finished and written).
 *
 * Rejects with a typed error of zoomreg's (src/errors.ts):
 * - before anything is sent: ConfigError (an option, the credentials in `env`, the output paths,
 *   another run holding the event's lock), InputError (the file cannot be read), ApiError (the event
 *   cannot take registrants), AuthError (the credentials are refused), ZoomUnavailableError (Zoom down
 *   through every retry of a read);
 * - once rows were being read, when a stop concerns every row: AuthError, ApiError, ZoomUnavailableError,
 *   InputError (a broken line, or `records` failing mid-way: the rows before it are done), ConfigError
 *   (the state file cannot be written). These carry `summary` (see {@link summaryOf}): what was done,
 *   `stoppedBy` the error's message; the rows done are in the output and went through `onRow`.
 */
export function push(options: PushApiOptions & { dryRun: true }): Promise<DryRunSummary>;
export function push(options: PushApiOptions & { dryRun?: false | undefined }): Promise<PushRunSummary>;
export function push(options: PushApiOptions): Promise<PushResult>;
export async function push(options: PushApiOptions): Promise<PushResult> {
  const outcome = await runPushJob(options, {
    // The default environment: the one read of process.env outside src/cli, so that push() works
    // like the CLI where the caller passes nothing; pass `env` to keep the process's out of it.
    // eslint-disable-next-line no-restricted-properties
    env: process.env,
    cwd: process.cwd(),
    version,
    logger: defaultLogger(options),
  });
  if (!outcome.dryRun && outcome.fatalError !== undefined) throw Object.assign(outcome.fatalError, { summary: outcome.summary });
  return outcome.summary;
}

/** The summary of what a push did before the error stopped it; undefined for an error before its rows, or any other value. */
export function summaryOf(error: unknown): PushRunSummary | undefined {
  if (typeof error !== "object" || error === null || !("summary" in error)) return undefined;
  return (error as PushStoppedError).summary;
}

/** Without a logger in the options: JSON lines on stderr at `logLevel` when one is given, else silent. */
function defaultLogger(options: PushApiOptions): Logger {
  const level = typeof options === "object" && options !== null ? options.logLevel : undefined;
  if (level !== undefined && level !== "silent" && logLevels.includes(level)) return createJsonLogger(level, process.stderr);
  return silentLogger();
}
