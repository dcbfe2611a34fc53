/**
 * The push use case, once, for both callers: `zoomreg push` (src/cli/push-action.ts, a shell that
 * turns flags into options and prints) and push() from code (push.ts). It checks the options, opens
 * the input, decides from its first record whether the run is for one event or for the events its
 * rows name (routing.ts), and runs the dry run (dry-run.ts), the one event (event-push.ts, with the
 * output, rejects and state files here) or the many (run-events.ts), returning the summary. It
 * reads no process state: the environment, the working directory and stdin/stdout (for `-`) come
 * from the caller.
 */
import type { Logger } from "pino";
import { countRecords } from "../input/count-records.js";
import { outputCellKinds, outputColumns, rejectCellKinds, rejectColumns, type RecordSink, type OutputRow, type RejectRow } from "../output/index.js";
import { systemClock } from "../shared/clock.js";
import { retryRead } from "../preflight/read-retry.js";
import type { EventRef } from "../zoom/index.js";
import { dryRunExitCode } from "./exit-codes.js";
import { dryRun } from "./dry-run.js";
import { guardLock, pushToEvent, type EventPushResult } from "./event-push.js";
import { loadNetwork } from "../network/load-network.js";
import { redactedPaths } from "./logging.js";
import { openRunOutputs, putOutputsInPlace, withWhatWasDone } from "./outputs-in-place.js";
import { outputPaths, resolveIn, stdoutPath, type OutputPaths } from "./output-paths.js";
import { openRecords, peekFirst, statusOptionsFor, type StatusOptionsFor } from "./records.js";
import { routingOf } from "./routing.js";
import { RowTally } from "./row-tally.js";
import { runEventsJob } from "./run-events.js";
import { resolvePushOptions, type PushApiOptions, type PushSettings } from "./options.js";
import { runSummary } from "./summary.js";
import type { JobBasics, PushHost, PushOutcome } from "./job.js";

export type { PushHost, PushOutcome } from "./job.js";

/**
 * Runs one push. Throws a ZoomregError (ConfigError, InputError, AuthError, ...) when it cannot start
 * or a check before the rows fails; once rows are read, a stop that concerns every row comes back as
 * `fatalError` with the summary of what was done.
 */
export async function runPushJob(options: PushApiOptions, host: PushHost): Promise<PushOutcome> {
  const startedAtMs = systemClock.now();
  const settings = resolvePushOptions(options, { stdin: host.stdin !== undefined, stdout: host.stdout !== undefined });
  const env = settings.env ?? host.env;
  const logger = settings.logger === undefined ? host.logger : redacting(settings.logger, settings.logLevel);
  const signal = settings.signal ?? new AbortController().signal;
  const { dryRun: isDryRun, concurrency, timeoutMs, input } = settings;
  const fileName = input.kind === "file" ? input.file : undefined;
  const onRow = settings.onRow ?? ((): void => undefined);

  // Credentials are checked before any input is read, so a half-configured cron job fails at once.
  const network = isDryRun ? undefined : await loadNetwork();
  const session = network?.openZoomSession(env, { connections: concurrency + 2, timeoutMs, userAgent: `zoomreg/${host.version}` });
  const counting = isDryRun ? undefined : countForProgress(settings, host);
  try {
    const peeked = await peekFirst(await openRecords(settings, host, isDryRun, logger));
    // One event (--meeting) or the events the rows name (a meeting_id column, eventOf: issue 20).
    const routing = routingOf(settings, peeked.first);
    // Once per run: a status column is judged once, however many events ask.
    const statusOptions = statusOptionsFor(settings, host);
    if (isDryRun) {
      const summary = await dryRun({ settings, env, host, logger, signal, fileName, onRow, statusOptions }, routing, peeked.records);
      return { dryRun: true, summary, exitCode: dryRunExitCode(summary) };
    }
    if (network === undefined || session === undefined) throw new Error("unreachable: the session is opened above unless dryRun");
    if (routing.kind === "events") {
      return await runEventsJob({
        settings,
        host,
        env,
        logger,
        signal,
        network,
        session,
        records: peeked.records,
        route: routing.route,
        mapping: routing.mapping,
        inputPath: fileName === "-" ? undefined : fileName,
        onRow,
        startedAtMs,
        statusOptions,
      });
    }
    return await runOneEvent({ settings, host, env, logger, signal, network, session, records: peeked.records, event: routing.event, fileName, onRow, statusOptions });
  } finally {
    counting?.abort();
    await session?.close();
  }
}

/** The share shown is rows done of the file's rows, counted in a fast pass while the push starts. */
function countForProgress(settings: PushSettings, host: PushHost): AbortController {
  const counting = new AbortController();
  const { progress } = host;
  const { input } = settings;
  if (progress !== undefined && input.kind === "file" && input.file !== "-") {
    void countRecords(resolveIn(host.cwd, input.file), { ...input.layout, format: input.format, encoding: input.encoding, signal: counting.signal }).then((rows) =>
      progress.setTotalRows(rows),
    );
  }
  return counting;
}

interface OneEventJob extends JobBasics {
  statusOptions: StatusOptionsFor;
  event: EventRef;
  fileName: string | undefined;
}

/** A push to the one event the flags name: its output, rejects and state files, and its summary. */
async function runOneEvent(job: OneEventJob): Promise<PushOutcome> {
  const { settings, host, event, fileName, session, signal, logger } = job;
  const { tokens, client } = session;
  const { progress } = host;
  // Every read (token, event, questions, list) is retried; Zoom failing through it all is exit 5.
  const reads = { clock: systemClock, random: Math.random, signal, logger };
  // Fetch the first token before creating any file: wrong credentials leave nothing behind.
  await retryRead(() => tokens.getToken(signal), reads);
  let paths: OutputPaths | undefined;
  let sinks: { output: RecordSink<OutputRow>; rejects: RecordSink<RejectRow>; tally: RowTally } | undefined;
  let pushed: EventPushResult;
  try {
    pushed = await pushToEvent({
      event,
      settings,
      env: job.env,
      logger,
      signal,
      session,
      network: job.network,
      records: job.records,
      occurrenceIds: settings.occurrenceIds,
      statePathOf: () => (paths = outputPaths(host.cwd, settings.paths, event, fileName === "-" ? undefined : fileName, { writable: true })).statePath,
      // Right before each request leaves: a run whose lock another run took over sends nothing more (issue 17).
      onLock: (lock) => client.guardRequests(lock === undefined ? () => undefined : (target) => guardLock(lock, target)),
      openSinks: () => {
        const opened = openRunSinks(paths, settings, host);
        sinks = opened;
        return {
          writeRow: (row, sentThisRun) => {
            opened.output.write(row);
            opened.tally.add(row.status, sentThisRun);
            job.onRow(row, sentThisRun);
          },
          writeReject: (row) => opened.rejects.write(row),
        };
      },
      onRowsStart: () => progress?.start(),
      statusOptions: job.statusOptions,
    });
  } finally {
    if (sinks !== undefined) {
      progress?.finish();
      putOutputsInPlace(sinks.output, sinks.rejects);
    }
  }
  if (paths === undefined || sinks === undefined) throw new Error("unreachable: the outputs are opened before the rows");
  const { summary, exitCode } = pushed;
  const rowsOnStdout = paths.outPath === stdoutPath;
  const shownOut = rowsOnStdout ? "stdout" : paths.outPath;
  const result = runSummary(summary, { event, exitCode, tally: sinks.tally, output: shownOut, rejectsPath: paths.rejectsPath, rejectsWritten: sinks.rejects.rowsWritten, statePath: paths.statePath });
  return {
    dryRun: false,
    summary: result,
    exitCode,
    fatalError: summary.fatalError === undefined ? undefined : withWhatWasDone(summary.fatalError, summary, shownOut),
    interrupted: summary.interrupted,
    rowsOnStdout,
  };
}

/** The output and rejects files of a run, opened right before its first row, and the tally of what went to them. */
function openRunSinks(paths: OutputPaths | undefined, settings: PushSettings, host: PushHost): { output: RecordSink<OutputRow>; rejects: RecordSink<RejectRow>; tally: RowTally } {
  if (paths === undefined) throw new Error("unreachable: the paths are known once the event's state file is");
  const layout = { outputColumns, outputKinds: outputCellKinds, rejectColumns, rejectKinds: rejectCellKinds };
  return { ...openRunOutputs<OutputRow, RejectRow>(paths, layout, settings.csvFormulas, host.stdout), tally: new RowTally() };
}

/** The caller's logger with zoomreg's redaction on top (a second line of defence, as in the CLI's), at `level` when given. */
function redacting(logger: Logger, level: PushSettings["logLevel"]): Logger {
  return logger.child({}, { redact: { paths: redactedPaths, censor: "[redacted]" }, ...(level === undefined ? {} : { level }) });
}
