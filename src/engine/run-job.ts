/**
 * The push use case, once, for both callers: `zoomreg push` (src/cli/push-command.ts, a shell that
 * turns flags into options and prints) and push() from code (push.ts). It checks the options, then
 * the credentials, reads the input, runs the preflight, takes the run lock, opens the state ledger,
 * lists the event's registrants, pushes every row through runPush, writes the output and rejects
 * files, and returns the summary. It reads no process state: the environment, the working directory
 * and stdin/stdout (for `-`) come from the caller.
 */
import { existsSync, rmSync } from "node:fs";
import { Writable, type Readable } from "node:stream";
import type { Logger } from "pino";
import { ConfigError, InputError, ZoomregError } from "../errors.js";
import { countRecords } from "../input/count-records.js";
import { describeLayout, layoutLogLevel, openInputFile, readRecords, type InputLayout, type RawRecord } from "../input/index.js";
import { describeJsonValue, isJsonObject } from "../input/text.js";
import { formulaGuardedColumns, outputCellKinds, outputColumns, outputFormatFromPath, rejectCellKinds, rejectColumns, openRecordSink, type RecordSink, type OutputRow, type RejectRow } from "../output/index.js";
import type { ListedRegistrants } from "../push/listed.js";
import { runPush, type PlanAction, type PlanEntry, type PushOptions, type PushSummary } from "../push/run-push.js";
import { judgeStatusColumn } from "../push/status-column.js";
import { CostTally } from "../push/cost.js";
import { batchSize } from "../push/lanes.js";
import { missingScope } from "../preflight/scopes.js";
import type { ColumnMapping, RegistrantBody } from "../registrant/index.js";
import { systemClock } from "../shared/clock.js";
import { EventLedger } from "../state/index.js";
import { retryRead } from "../preflight/read-retry.js";
import { resolveCredentials } from "../network/credentials.js";
import { dryRunExitCode } from "./exit-codes.js";
import { batchableType, guardLock, pushToEvent, type EventPushResult } from "./event-push.js";
import { loadNetwork, type Network } from "../network/load-network.js";
import { redactedPaths } from "./logging.js";
import { outputPaths, resolveIn, stdoutPath, type OutputPaths } from "./output-paths.js";
import { RowTally } from "./row-tally.js";
import { resolvePushOptions, type PushApiOptions, type PushEnv, type PushRecords, type PushSettings } from "./options.js";
import { dryRunSummary, runSummary, type DryRunSummary, type PushRunSummary } from "./summary.js";

/** What the caller of the engine provides beyond the options: the CLI's process, or push()'s defaults. */
export interface PushHost {
  /** Used when the options carry no `env`. */
  env: PushEnv;
  /** Relative paths are resolved against it. */
  cwd: string;
  /** `zoomreg/<version>` in the User-Agent. */
  version: string;
  /** zoomreg's log, when the options carry no logger. */
  logger: Logger;
  /** `-` as the file reads this (the CLI's stdin); absent, `-` is refused. */
  stdin?: NodeJS.ReadableStream | Readable;
  /** `-` as out writes rows here (the CLI's stdout); absent, `-` is refused. */
  stdout?: NodeJS.WritableStream;
  /** A dry run's report as it goes (the CLI prints them): how the file was read, the mapping, each row it would send. */
  onLayout?: (layout: InputLayout) => void;
  onMapping?: (mapping: ColumnMapping) => void;
  onWouldSend?: (line: number, body: RegistrantBody) => void;
  /** A dry run against Zoom's list: what the real run would do to each person. */
  onPlan?: (entry: PlanEntry) => void;
  /** The CLI's progress display: told when rows start and stop, and the file's row count once counted. */
  progress?: { start(): void; setTotalRows(rows: number | undefined): void; finish(): void };
}

export type PushOutcome =
  | { dryRun: true; summary: DryRunSummary; exitCode: number }
  | {
      dryRun: false;
      summary: PushRunSummary;
      exitCode: number;
      /** What stopped the run for every row (credentials, the event, Zoom down, a broken input line), said with what was done. */
      fatalError: ZoomregError | undefined;
      /** The caller's signal stopped the run (the rows in flight were finished and written). */
      interrupted: boolean;
      /** The rows went to the host's stdout (`out: "-"`). */
      rowsOnStdout: boolean;
    };

/**
 * Runs one push. Throws a ZoomregError (ConfigError, InputError, AuthError, ...) when it cannot start
 * or a check before the rows fails; once rows are read, a stop that concerns every row comes back as
 * `fatalError` with the summary of what was done.
 */
export async function runPushJob(options: PushApiOptions, host: PushHost): Promise<PushOutcome> {
  const settings = resolvePushOptions(options, { stdin: host.stdin !== undefined, stdout: host.stdout !== undefined });
  const env = settings.env ?? host.env;
  const logger = settings.logger === undefined ? host.logger : redacting(settings.logger, settings.logLevel);
  const signal = settings.signal ?? new AbortController().signal;
  const { event, dryRun, concurrency, timeoutMs, occurrenceIds, input } = settings;
  const fileName = input.kind === "file" ? input.file : undefined;
  const onRow = settings.onRow ?? ((): void => undefined);

  // Credentials are checked before any input is read, so a half-configured cron job fails at once.
  const network = dryRun ? undefined : await loadNetwork();
  const session = network?.openZoomSession(env, { connections: concurrency + 2, timeoutMs, userAgent: `zoomreg/${host.version}` });
  const records = await openRecords(settings, host, dryRun, logger);
  // The share shown is rows done of the file's rows, counted in a fast pass while the push starts.
  const counting = new AbortController();
  const { progress } = host;
  if (progress !== undefined && input.kind === "file" && input.file !== "-" && !dryRun) {
    void countRecords(resolveIn(host.cwd, input.file), { ...input.layout, format: input.format, encoding: input.encoding, signal: counting.signal }).then((rows) =>
      progress.setTotalRows(rows),
    );
  }
  const mapping = { overrides: settings.overrides };

  if (dryRun) {
    const zoom = await dryRunLook(env, settings, host, logger, signal);
    const checked = zoom?.checked;
    const plan = new PlanCounts();
    const cost = new CostTally();
    let firstMapping: ColumnMapping | undefined;
    const ledger = zoom?.existing === undefined ? undefined : await existingLedger(settings, host, fileName);
    const summary = await runPush({
      records,
      event,
      addRegistrant: undefined,
      ...statusOptions(settings, host, zoom?.grantedScopes),
      occurrenceIds,
      autoApprove: settings.autoApprove,
      concurrency,
      ratePerSecond: settings.ratePerSecond,
      writeRow: onRow,
      writeReject: () => undefined,
      mapping: { ...mapping, ...(checked === undefined ? {} : { questionTitles: checked.questionTitles }) },
      ...(checked === undefined ? {} : { checkRow: checked.checkRow, checkColumns: checked.checkColumns, checkOccurrences: checked.checkOccurrences }),
      onMapping: (found) => {
        firstMapping ??= found;
        host.onMapping?.(found);
      },
      onWouldSend: (line, body, rowOccurrences) => {
        cost.add(body, rowOccurrences);
        host.onWouldSend?.(line, body);
      },
      ...(zoom?.existing === undefined
        ? {}
        : {
            existing: zoom.existing,
            onPlan: (entry: PlanEntry) => {
              plan.add(entry);
              host.onPlan?.(entry);
            },
          }),
      ...(ledger === undefined ? {} : { ledger }),
      ...(settings.prune === undefined ? {} : { prune: { maxPrune: settings.prune } }),
      clock: systemClock,
      random: Math.random,
      logger,
      signal,
    }).finally(() => ledger?.close());
    if (summary.fatalError !== undefined) throw summary.fatalError;
    const batches = settings.batch === "never" ? "no" : settings.batch === "always" ? "yes" : checked === undefined ? "if the event takes batches" : batchableType(event, checked.event.type) ? "yes" : "no";
    const limits = { lightPerSecond: settings.ratePerSecond, heavyPerSecond: settings.batchRatePerSecond, heavyPerDay: settings.heavyPerDay, batchSize };
    const estimate = cost.estimate(batches, limits, firstMapping);
    return { dryRun: true, summary: dryRunSummary(summary, event, estimate, zoom?.existing === undefined ? undefined : plan), exitCode: dryRunExitCode(summary) };
  }

  if (network === undefined || session === undefined) throw new Error("unreachable: the session is opened above unless dryRun");
  const { tokens, client } = session;
  // Every read (token, event, questions, list) is retried; Zoom failing through it all is exit 5.
  const reads = { clock: systemClock, random: Math.random, signal, logger };
  try {
    // Fetch the first token before creating any file: wrong credentials leave nothing behind.
    await retryRead(() => tokens.getToken(signal), reads);
    let paths: OutputPaths | undefined;
    let sinks: { output: RecordSink<OutputRow>; rejects: RecordSink<RejectRow>; tally: RowTally } | undefined;
    let pushed: EventPushResult;
    try {
      pushed = await pushToEvent({
        event,
        settings,
        env,
        logger,
        signal,
        session,
        network,
        records,
        occurrenceIds,
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
              onRow(row, sentThisRun);
            },
            writeReject: (row) => opened.rejects.write(row),
          };
        },
        onRowsStart: () => progress?.start(),
        statusOptions: (scopes) => statusOptions(settings, host, scopes),
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
  } finally {
    counting.abort();
    await session.close();
  }
}

/** The output and rejects files of a run, opened right before its first row, and the tally of what went to them. */
function openRunSinks(paths: OutputPaths | undefined, settings: PushSettings, host: PushHost): { output: RecordSink<OutputRow>; rejects: RecordSink<RejectRow>; tally: RowTally } {
  if (paths === undefined) throw new Error("unreachable: the paths are known once the event's state file is");
  const output = openRecordSink<OutputRow>(paths.outPath, paths.outFormat, outputColumns, { ...stdoutOption(host), guarded: formulaGuardedColumns(outputCellKinds, settings.csvFormulas) });
  const rejects = openRecordSink<RejectRow>(paths.rejectsPath, outputFormatFromPath(paths.rejectsPath) ?? "csv", rejectColumns, {
    ...stdoutOption(host),
    lazy: true,
    guarded: formulaGuardedColumns(rejectCellKinds, settings.csvFormulas),
  });
  return { output, rejects, tally: new RowTally() };
}

/** Where `out: "-"` writes: the host's stdout; without one, `-` was refused before this is reached. */
/** The caller's logger with zoomreg's redaction on top (a second line of defence, as in the CLI's), at `level` when given. */
function redacting(logger: Logger, level: PushSettings["logLevel"]): Logger {
  return logger.child({}, { redact: { paths: redactedPaths, censor: "[redacted]" }, ...(level === undefined ? {} : { level }) });
}

function stdoutOption(host: PushHost): { stdout: NodeJS.WritableStream } {
  return { stdout: host.stdout ?? new Writable({ write: (_chunk, _encoding, done) => done(new Error("unreachable: out - is refused without stdout")) }) };
}

/** The records of the input: parsed from the file (or stdin), or the caller's objects as they come. */
async function openRecords(settings: PushSettings, host: PushHost, dryRun: boolean, logger: Logger): Promise<AsyncIterable<RawRecord>> {
  const { input } = settings;
  if (input.kind === "records") return fromObjects(input.records);
  const stream = input.file === "-" ? host.stdin : await openInputFile(resolveIn(host.cwd, input.file));
  if (stream === undefined) throw new Error("unreachable: - is refused without stdin");
  return readRecords(stream, input.format, input.file === "-" ? "stdin" : input.file, {
    encoding: input.encoding,
    ...input.layout,
    // The dry run says how the file was read (its delimiter, a .json read as NDJSON) before the mapping; a run logs it, a skipped footer loud enough to see.
    onLayout: (found) => (dryRun && host.onLayout !== undefined ? host.onLayout(found) : logger[layoutLogLevel(found)](found, describeLayout(found))),
  });
}

/**
 * The caller's objects as records, the n-th at position n. One that is not an object is an invalid
 * row, as a JSON array's would be; a failure of the caller's iterable (a database cursor that breaks)
 * ends the input as a broken line ends a file: the rows before it are still sent and recorded, then
 * the run stops with an InputError.
 */
async function* fromObjects(records: PushRecords): AsyncGenerator<RawRecord> {
  let position = 0;
  try {
    for await (const value of records as AsyncIterable<unknown>) {
      position += 1;
      yield isJsonObject(value) ? { position, fields: value } : { position, fields: {}, parseError: `expected an object, found ${describeJsonValue(value)}` };
    }
  } catch (error) {
    if (error instanceof ZoomregError) throw error;
    throw new InputError(`records: reading record ${position + 1} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: "fix what feeds the records",
    });
  }
}

/**
 * The output replaces the last one however the run ended, once it holds a row (a run that failed
 * before its first row leaves the last output as it was); the rejects file likewise, and a run with
 * no reject removes the last run's, which no longer describes the input.
 */
function putOutputsInPlace(output: RecordSink<OutputRow>, rejects: RecordSink<RejectRow>): void {
  if (output.rowsWritten === 0) {
    output.discard();
    rejects.discard();
    return;
  }
  output.commit();
  if (rejects.rowsWritten > 0) {
    rejects.commit();
    return;
  }
  rejects.discard();
  rmSync(rejects.path, { force: true });
}

/** An input error mid-file says what was done before it: the rows registered are in the output. */
function withWhatWasDone(error: ZoomregError, summary: PushSummary, outPath: string): ZoomregError {
  if (!(error instanceof InputError)) return error;
  const done = summary.counts.registered + summary.counts.existing + summary.counts.pending_approval;
  return new InputError(`${error.message}; the ${summary.rowsRead} rows before it are done (${done} registered) and their join_urls are in ${outPath}`, {
    cause: error,
    hint: `${error.hint ?? "fix that line"}, then run the same command again: rows already registered are not sent again`,
  });
}

/**
 * What a run (or its plan) needs to change statuses safely: whether a status column found by its name
 * is the desired state (every value a status word: the input is read a second time for it), and the
 * status scope the token lacks when its scopes are known.
 */
function statusOptions(settings: PushSettings, host: PushHost, grantedScopes: readonly string[] | undefined): Pick<PushOptions, "decideStatusColumn" | "statusScopeMissing"> {
  const lacking = missingScope(grantedScopes, "updateStatus", settings.event.kind);
  return { decideStatusColumn: (column) => decideStatusColumn(settings, host, column), ...(lacking === undefined ? {} : { statusScopeMissing: lacking }) };
}

async function decideStatusColumn(settings: PushSettings, host: PushHost, column: string): ReturnType<typeof judgeStatusColumn> {
  const { input } = settings;
  if (input.kind === "records") {
    if (Array.isArray(input.records)) return judgeStatusColumn(fromObjects(input.records), column);
    return { use: false, reason: "records from an iterable cannot be read twice to check every value" };
  }
  if (input.file === "-") return { use: false, reason: "stdin cannot be read twice to check every value" };
  const stream = await openInputFile(resolveIn(host.cwd, input.file));
  return judgeStatusColumn(
    readRecords(stream, input.format, input.file, { encoding: input.encoding, ...input.layout }),
    column,
  );
}

/**
 * A dry run sends nothing, but with credentials it still reads the event and its form (so rows the
 * event would refuse show up as invalid) and Zoom's registrant list (so it can say what the real run
 * would do to each person: the plan).
 */
async function dryRunLook(
  env: PushEnv,
  settings: PushSettings,
  host: PushHost,
  logger: Logger,
  signal: AbortSignal,
): Promise<{ checked: Awaited<ReturnType<Network["preflight"]>> | undefined; existing: ListedRegistrants | undefined; grantedScopes: readonly string[] | undefined } | undefined> {
  try {
    resolveCredentials(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.debug("no credentials: the dry run checks rows against Zoom's limits only, not against the event's form");
    return undefined;
  }
  const { openZoomSession, preflight, listExisting } = await loadNetwork();
  const session = openZoomSession(env, { connections: 2, timeoutMs: settings.timeoutMs, userAgent: `zoomreg/${host.version}` });
  const reads = { clock: systemClock, random: Math.random, signal, logger };
  try {
    await retryRead(() => session.tokens.getToken(signal), reads);
    const checked = settings.preflight ? await preflight(session.client, settings.event, { ...reads, occurrenceIds: settings.occurrenceIds }) : undefined;
    const existing = settings.reconcile ? await listExisting((target, options) => session.client.listRegistrants(target, options), settings.event, { ...reads, ratePerSecond: settings.statusRatePerSecond }) : undefined;
    return { checked, existing, grantedScopes: session.tokens.tokenInfo()?.scopes };
  } finally {
    await session.close();
  }
}

/** The state file of the event, when there is one, for a dry run's plan (opened to read: nothing is written). */
async function existingLedger(settings: PushSettings, host: PushHost, fileName: string | undefined): Promise<EventLedger<OutputRow> | undefined> {
  const { statePath } = outputPaths(host.cwd, settings.paths, settings.event, fileName === "-" ? undefined : fileName);
  if (!existsSync(statePath)) return undefined;
  return EventLedger.open<OutputRow>(statePath, `${settings.event.kind}:${settings.event.id}`, new Date(systemClock.now()));
}

/** A dry run's plan: how many people each action concerns, and who is approved, cancelled or denied. */
class PlanCounts {
  readonly counts: Record<PlanAction, number> = { add: 0, approve: 0, readmit: 0, cancel: 0, deny: 0, existing: 0, unchanged: 0, deferred: 0 };
  readonly changes: PlanEntry[] = [];
  add(entry: PlanEntry): void {
    this.counts[entry.action] = this.counts[entry.action] + 1;
    if (entry.action === "approve" || entry.action === "readmit" || entry.action === "cancel" || entry.action === "deny") this.changes.push(entry);
  }
}
