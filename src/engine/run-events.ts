/**
 * A run of many events from one input (issue 20): each row names its meeting or webinar, and one run
 * keeps them all in step within the account's limits. The input is read once, as fast as it comes;
 * each row goes to its event (event-runs.ts), which pushes as a single-event run does, with its own
 * preflight, lock, ledger and state file, Zoom's list, prune and guard; the events share one gate and
 * pacer per rate-limit label and one stop for what concerns the account. One output, in input order,
 * with each row's event after its line.
 */
import { InputError, ZoomregError } from "../errors.js";
import {
  eventOutputCellKinds,
  eventOutputColumns,
  eventRejectCellKinds,
  eventRejectColumns,
  type EventOutputRow,
  type EventRejectRow,
} from "../output/index.js";
import { RateBudgets } from "../push/budgets.js";
import { Mentions } from "../push/mentions.js";
import { emptyRow } from "../push/rows.js";
import { SharedStop, concernsTheAccount } from "../push/shared-stop.js";
import { retryRead } from "../preflight/read-retry.js";
import type { ColumnMapping } from "../registrant/index.js";
import { systemClock } from "../shared/clock.js";
import { jsonText } from "../shared/json-text.js";
import { SpoolQueue, type RunLock } from "../state/index.js";
import { ExitCode, pushExitCode } from "./exit-codes.js";
import { guardLock, pushToEvent, type EventPushContext } from "./event-push.js";
import { EventRuns, eventExitCode, maxEventsPerRun, type EventRun } from "./event-runs.js";
import { mergeByLine } from "./merge-parts.js";
import { openRunOutputs, putOutputsInPlace, withWhatWasDone } from "./outputs-in-place.js";
import { eventsOutputPaths, stdoutPath, type EventsOutputPaths } from "./output-paths.js";
import type { PushSettings } from "./options.js";
import { RowTally } from "./row-tally.js";
import { eventKey, type RowEvent } from "./row-event.js";
import { resourcesUsed, stoppedByOf, type EventRunSummary, type PushRunSummary } from "./summary.js";
import { whoIn } from "./who.js";
import type { JobBasics, PushHost, PushOutcome } from "./job.js";

/** Which event a record is for: its columns (row-event.ts), or push()'s `eventOf`. */
export type RouteRecord = (fields: Record<string, unknown>) => RowEvent;

export interface EventsJob extends JobBasics {
  route: RouteRecord;
  /** The first record's mapping: whose rows the run writes itself (an event it could not read). */
  mapping: ColumnMapping;
  /** The input file, when there is one (not stdin): --out must not name it. */
  inputPath: string | undefined;
  startedAtMs: number;
  /** What a status column or --prune needs, given the token's scopes (run-job.ts). */
  statusOptions: EventPushContext["statusOptions"];
}

/** Rows the run itself writes (their event could not be read) waiting for the merge, in memory at most. */
const ownRowsInMemory = 500;

export async function runEventsJob(job: EventsJob): Promise<PushOutcome> {
  const { settings, host, session, logger, signal } = job;
  const { client, tokens } = session;
  const reads = { clock: systemClock, random: Math.random, signal, logger };
  // Fetch the first token before creating any file: wrong credentials leave nothing behind.
  await retryRead(() => tokens.getToken(signal), reads);
  const paths = eventsOutputPaths(host.cwd, settings.paths, job.inputPath, { writable: true });
  const budgets = new RateBudgets({
    ceilingPerSecond: { Light: settings.ratePerSecond, Heavy: settings.batchRatePerSecond, Medium: settings.statusRatePerSecond },
    clock: systemClock,
    earlierRequestsAtMs: { Light: client.requestsSentAtMs("Light"), Medium: client.requestsSentAtMs("Medium"), Heavy: client.requestsSentAtMs("Heavy") },
  });
  const sharedStop = new SharedStop();
  const locks = new Map<string, RunLock>();
  // Right before each request leaves: an event whose lock another run took over sends nothing more (issue 17).
  client.guardRequests((event) => {
    const lock = locks.get(eventKey(event));
    if (lock !== undefined) guardLock(lock, event);
  });
  const besidePath = paths.outPath === stdoutPath ? paths.rejectsPath : paths.outPath;
  const ownRows = new SpoolQueue<EventOutputRow>({ besidePath: `${besidePath}.run.rows`, maxInMemory: ownRowsInMemory });
  const ownRejects = new SpoolQueue<EventRejectRow>({ besidePath: `${besidePath}.run.rejects`, maxInMemory: ownRowsInMemory });
  const ownTally = new RowTally();
  const unrouted = new Mentions();
  const runs: EventRuns = new EventRuns({
    besidePath,
    signal,
    sharedStop,
    mapping: job.mapping,
    nowMs: () => systemClock.now(),
    push: pushToEvent,
    onRow: job.onRow,
    onPhase: () => job.host.progress?.setEvents?.(runs.phases()),
    contextFor: (run) => ({
      event: run.event,
      settings,
      env: job.env,
      logger: logger.child({ event: run.key }),
      signal,
      session,
      network: job.network,
      // --occurrence belongs to the event the flags name; other rows give theirs in occurrence_ids.
      occurrenceIds: settings.event !== undefined && eventKey(settings.event) === run.key ? settings.occurrenceIds : [],
      statePathOf: () => paths.statePathOf(run.event),
      onLock: (lock) => (lock === undefined ? locks.delete(run.key) : locks.set(run.key, lock)),
      statusOptions: job.statusOptions,
      budgets,
      sharedStop,
      permit: (label, permitSignal) => budgets.of(label).gate.acquire(permitSignal),
      mentionedElsewhere: (email) => unrouted.has(email),
      concurrency: (): number => eventConcurrency(settings.concurrency, runs.phases().pushing),
    }),
  });
  job.host.progress?.start();
  try {
    const own = { rows: ownRows, rejects: ownRejects, tally: ownTally, unrouted };
    const { inputError, runError, crash } = await routeRecords(job, runs, own);
    await runs.allDone();
    job.host.progress?.finish();
    const written = await writeMergedOutputs(paths, settings, host, runs.all, ownRows, ownRejects);
    // A bug in zoomreg ends the run (exit 70) once what was done is written.
    const bug = crash ?? (runs.failure instanceof ZoomregError ? undefined : runs.failure);
    if (bug !== undefined) throw bug instanceof Error ? bug : new Error("an event's push failed with a value that is not an Error", { cause: bug });
    const failed = runs.failure instanceof ZoomregError ? runs.failure : undefined;
    const output = paths.outPath === stdoutPath ? "stdout" : paths.outPath;
    const stops = { inputError, runError: runError ?? failed, account: accountStop(sharedStop) };
    const summary = eventsSummary(job, runs.all, ownTally, sharedStop, stops, { output, rejects: written.rejects ? paths.rejectsPath : null });
    const fatal = firstStop(stops);
    return {
      dryRun: false,
      summary,
      exitCode: summary.exitCode,
      fatalError: fatal === undefined ? undefined : withWhatWasDone(fatal, summary, summary.output),
      interrupted: signal.aborted,
      rowsOnStdout: paths.outPath === stdoutPath,
    };
  } finally {
    job.host.progress?.finish();
    runs.disposeAll();
    ownRows.dispose();
    ownRejects.dispose();
  }
}

/** Requests in flight per label for each event, at least: enough for one event to keep a label busy at Zoom's latency. */
export const minEventConcurrency = 4;

/** An event's share of `--concurrency` among the events pushing: the account's limits are shared, so is the read-ahead. */
export function eventConcurrency(concurrency: number, eventsPushing: number): number {
  return Math.min(concurrency, Math.max(minEventConcurrency, Math.ceil(concurrency / Math.max(1, eventsPushing))));
}

/** The rows the run writes itself: their event could not be read, or the run holds too many events already. */
interface OwnRows {
  rows: SpoolQueue<EventOutputRow>;
  rejects: SpoolQueue<EventRejectRow>;
  tally: RowTally;
  /** Everyone a row names whose event could not be read: no event's prune may cancel them. */
  unrouted: Mentions;
}

/**
 * Reads the input once, as fast as it comes, handing each row to its event. Whatever ends the reading
 * (the end, a broken line, a signal, a failure) ends every event's input: a broken one as a broken
 * line ends a single-event run's, so that no event prunes on a partial input.
 */
async function routeRecords(job: EventsJob, runs: EventRuns, own: OwnRows): Promise<{ inputError: InputError | undefined; runError: ZoomregError | undefined; crash: unknown }> {
  let inputError: InputError | undefined;
  let runError: ZoomregError | undefined;
  let crash: unknown;
  try {
    for await (const record of job.records) {
      if (job.signal.aborted) break;
      const routed = record.parseError === undefined ? job.route(record.fields) : { ok: false as const, reason: record.parseError };
      if (routed.ok && runs.takes(routed.event)) {
        runs.routeTo(routed.event, record);
        continue;
      }
      if (routed.ok) {
        const why = `not sent: the input names more than ${maxEventsPerRun} events, the most one run takes; split the export`;
        writeOwnRow(job, own, { ...emptyRow(record.position, "not_sent"), ...whoIn(record.fields, job.mapping), error_message: why, event_kind: routed.event.kind, event_id: routed.event.id }, undefined);
        continue;
      }
      own.unrouted.addAllIn(record);
      const row: EventOutputRow = { ...emptyRow(record.position, "invalid"), ...whoIn(record.fields, job.mapping), error_message: routed.reason, event_kind: "", event_id: "" };
      writeOwnRow(job, own, row, { line: record.position, status: "invalid", email: row.email, reason: routed.reason, record: jsonText(record.fields), event_kind: "", event_id: "" });
    }
  } catch (error) {
    // A broken line mid-file ends the input: the rows before it are pushed and recorded (issue 11).
    if (error instanceof InputError) inputError = error;
    else if (error instanceof ZoomregError) runError = error;
    else crash = error;
  } finally {
    const ended = inputError ?? runError ?? crash;
    runs.endInput(ended === undefined ? undefined : inputEndedEarly(ended));
    own.rows.close();
    own.rejects.close();
  }
  return { inputError, runError, crash };
}

function writeOwnRow(job: EventsJob, own: OwnRows, row: EventOutputRow, reject: EventRejectRow | undefined): void {
  own.tally.add(row.status, false);
  own.rows.push(row);
  job.onRow(row, false);
  if (reject !== undefined) own.rejects.push(reject);
}

/** What each event is told when the reading stopped early: an input error, whatever stopped it. */
function inputEndedEarly(error: unknown): InputError {
  if (error instanceof InputError) return error;
  return new InputError(`the input was not read to its end: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** What stopped every event, first what concerns the account (as a single-event run orders them). */
function firstStop(stops: { inputError: InputError | undefined; runError: ZoomregError | undefined; account: ZoomregError | undefined }): ZoomregError | undefined {
  return stops.account ?? stops.inputError ?? stops.runError;
}

/** The error that stopped every event, when one concerned the account (credentials, Zoom down). */
function accountStop(sharedStop: SharedStop): ZoomregError | undefined {
  const reason = sharedStop.reason;
  return reason?.kind === "fatal" && concernsTheAccount(reason.error) ? reason.error : undefined;
}

/**
 * Merges every part into the output and the rejects file, in input order, and puts them in place as
 * a single-event run does: once the output holds a row, it replaces the last one.
 */
async function writeMergedOutputs(
  paths: EventsOutputPaths,
  settings: PushSettings,
  host: PushHost,
  runs: readonly EventRun[],
  ownRows: SpoolQueue<EventOutputRow>,
  ownRejects: SpoolQueue<EventRejectRow>,
): Promise<{ rejects: boolean }> {
  const layout = { outputColumns: eventOutputColumns, outputKinds: eventOutputCellKinds, rejectColumns: eventRejectColumns, rejectKinds: eventRejectCellKinds };
  const { output, rejects } = openRunOutputs<EventOutputRow, EventRejectRow>(paths, layout, settings.csvFormulas, host.stdout);
  try {
    for await (const row of mergeByLine([ownRows, ...runs.map((run) => run.rows)])) output.write(row);
    for await (const row of mergeByLine([ownRejects, ...runs.map((run) => run.rejects)])) rejects.write(row);
  } finally {
    putOutputsInPlace(output, rejects);
  }
  return { rejects: rejects.rowsWritten > 0 };
}

/** The summary of a run of many events: each event's, and the run's in total. */
function eventsSummary(
  job: EventsJob,
  runs: readonly EventRun[],
  ownTally: RowTally,
  sharedStop: SharedStop,
  stops: { inputError: InputError | undefined; runError: ZoomregError | undefined; account: ZoomregError | undefined },
  files: { output: string; rejects: string | null },
): PushRunSummary {
  const events = runs.map(eventSummary);
  const total = new RowTally();
  for (const tally of [ownTally, ...runs.map((run) => run.tally)]) total.addTally(tally);
  const rowsRead = ownTally.rows + runs.reduce((sum, run) => sum + run.rowsRouted, 0);
  const dailyLimitUntilMs = sharedStop.reason?.kind === "daily-limit" ? sharedStop.reason.untilMs : undefined;
  const deferred = events.map((event) => event.deferredUntil).filter((until): until is string => until !== null).sort();
  const fatal = firstStop(stops);
  const exitCode = eventsExitCode(
    {
      fatalError: fatal,
      interrupted: job.signal.aborted,
      // An event that refused everyone, or stopped mid-run (full, over, closed, its lock taken over): a person must look.
      refused: runs.some((run) => run.refusal !== undefined || eventLevelStop(run.result?.summary.fatalError) !== undefined),
      dailyLimitUntilMs,
      zoomFailures: runs.reduce((sum, run) => sum + (run.result?.summary.zoomFailures ?? 0), 0),
      counts: total.byStatus,
      rowsRead,
      unmet: runs.reduce((sum, run) => sum + (run.result?.summary.unmet ?? 0), 0),
    },
    job.signal,
  );
  return {
    event: null,
    events,
    exitCode,
    counts: total.byStatus,
    rowsRead,
    rowsSent: runs.reduce((sum, run) => sum + (run.result?.summary.rowsSent ?? 0), 0),
    registeredThisRun: total.registeredNow,
    pendingApprovalThisRun: total.pendingApprovalNow,
    alreadyRegistered: total.alreadyRegistered,
    durationMs: systemClock.now() - job.startedAtMs,
    deferredUntil: deferred[0] ?? null,
    dailyLimitUntil: dailyLimitUntilMs === undefined ? null : new Date(dailyLimitUntilMs).toISOString(),
    stoppedBy: fatal?.message ?? (job.signal.aborted ? "signal" : dailyLimitUntilMs !== undefined ? "daily limit" : null),
    output: files.output,
    rejects: files.rejects,
    state: null,
    resources: resourcesUsed(),
  };
}

/** One event's part of the summary. */
function eventSummary(run: EventRun): EventRunSummary {
  const pushed = run.result?.summary;
  return {
    event: run.event,
    exitCode: eventExitCode(run),
    counts: run.tally.byStatus,
    rowsRead: run.rowsRouted,
    rowsSent: pushed?.rowsSent ?? 0,
    registeredThisRun: run.tally.registeredNow,
    pendingApprovalThisRun: run.tally.pendingApprovalNow,
    alreadyRegistered: run.tally.alreadyRegistered,
    durationMs: run.endedAtMs - run.startedAtMs,
    deferredUntil: pushed?.deferredUntilMs === undefined ? null : new Date(pushed.deferredUntilMs).toISOString(),
    // The input's end is the run's to report, once: an event it stopped says only that.
    stoppedBy: run.refusal?.message ?? (pushed === undefined ? null : pushed.fatalError instanceof InputError ? inputEnded : stoppedByOf(pushed)),
    refused: run.refusal?.message ?? null,
    state: run.result?.statePath ?? null,
  };
}

/** An event's `stoppedBy` when the input broke (the run's summary says how). */
export const inputEnded = "the input ended early";

/** A stop of one event's push that refused that event (over, full, its lock): not the account's, not the input's. */
function eventLevelStop(error: ZoomregError | undefined): ZoomregError | undefined {
  if (error === undefined || concernsTheAccount(error) || error instanceof InputError) return undefined;
  return error;
}

/**
 * What a run of many events exits with (README "Exit codes"): as a single-event run of all its rows,
 * but for an event that refused everyone or stopped mid-run (2: a person must look), which comes
 * after what stopped every event and a signal.
 */
export function eventsExitCode(run: Parameters<typeof pushExitCode>[0] & { refused: boolean }, signal: AbortSignal): number {
  if (run.refused && run.fatalError === undefined && !run.interrupted) return ExitCode.usage;
  return pushExitCode(run, signal);
}
