/**
 * One event's push, as a single-event run does it and as each event of a run of many does it (issue
 * 20: "per event, what a single-event run does today"): the preflight, the event's lock, its state
 * ledger, Zoom's list of its registrants, then runPush over its rows, and the state file's last line
 * saying how the run ended. The caller owns the input, the outputs and the summary around it.
 */
import type { Logger } from "pino";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow } from "../output/index.js";
import type { Network } from "../network/load-network.js";
import type { ZoomSession } from "../network/zoom-session.js";
import type { RateBudgets } from "../push/budgets.js";
import type { SharedStop } from "../push/shared-stop.js";
import { runPush, type PushOptions, type PushSummary } from "../push/run-push.js";
import type { PreflightClient, PreflightResult } from "../preflight/preflight.js";
import { retryRead } from "../preflight/read-retry.js";
import type { ListRegistrants } from "../push/reconcile.js";
import { systemClock } from "../shared/clock.js";
import { EventLedger, SpillFile, lostLockError, type RunLock } from "../state/index.js";
import type { EventKind, EventRef, RateLimitLabel, ZoomClient } from "../zoom/index.js";
import { pushExitCode } from "./exit-codes.js";
import { acquireRunLock } from "./run-lock.js";
import type { PushEnv, PushSettings } from "./options.js";
import { stoppedByOf } from "./summary.js";

/** Where one event's rows go: the run's output and rejects (one event), or this event's part of them (many). */
export interface EventSinks {
  writeRow(row: OutputRow, sentThisRun: boolean): void;
  writeReject(row: RejectRow): void;
}

export interface EventPushContext {
  event: EventRef;
  settings: PushSettings;
  env: PushEnv;
  logger: Logger;
  signal: AbortSignal;
  session: ZoomSession;
  network: Network;
  records: AsyncIterable<RawRecord> | Iterable<RawRecord>;
  /** The occurrences rows without an occurrence_ids cell register for (`--occurrence`, for its event). */
  occurrenceIds: readonly string[];
  /** The event's state file: asked once the event is known to take registrants. */
  statePathOf: () => string;
  /** Called once the event's lock is held, and again with undefined once it is released. */
  onLock: (lock: RunLock | undefined) => void;
  /** Opened right before the first row: the event takes registrants, its lock is held, its list is read. */
  openSinks: () => EventSinks;
  /** Told that rows start moving, and when they stop (the CLI's progress display). */
  onRowsStart?: () => void;
  /** What a status column or --prune needs (statusOptions in records.ts), given the event's kind and the token's scopes. */
  statusOptions: (kind: EventKind, grantedScopes: readonly string[] | undefined) => Pick<PushOptions, "decideStatusColumn" | "statusScopeMissing">;
  /** Shared by every event of a run of many (issue 20); absent for one event, whose push makes its own. */
  budgets?: RateBudgets;
  sharedStop?: SharedStop;
  /**
   * Taken before each of the event's own reads (the event, its form, its list): a run of many events
   * reads one while others send, and Zoom counts both against the account's labels.
   */
  permit?: (label: RateLimitLabel, signal: AbortSignal) => Promise<void>;
  /** People other rows of the input name (rows whose event could not be read): a prune spares them too. */
  mentionedElsewhere?: (email: string) => boolean;
  /**
   * The event's requests in flight per label at most, asked when its rows start: in a run of many,
   * its share of `--concurrency`, since each in-flight slot reads, validates and records its rows
   * ahead of its permit, and twenty events each doing 32 at the start would do the whole input at once.
   */
  concurrency?: () => number;
}

export interface EventPushResult {
  summary: PushSummary;
  /** What the CLI would exit with for this event alone. */
  exitCode: number;
  statePath: string;
  /** The event's form and facts, when the preflight ran. */
  checked: PreflightResult | undefined;
}

/**
 * Pushes the event's rows. Throws a ZoomregError before any row is read when the event cannot take
 * registrants (the preflight), another run holds its lock, or its list cannot be read; once rows are
 * read, a stop comes back in the summary (`fatalError`).
 */
export async function pushToEvent(context: EventPushContext): Promise<EventPushResult> {
  const { event, settings, session, network, logger, signal } = context;
  const { client, tokens } = session;
  const startedAtMs = systemClock.now();
  const reads = { clock: systemClock, random: Math.random, signal, logger };
  const zoom = permitted(client, context.permit, signal);
  const checked = settings.preflight ? await network.preflight(zoom, event, { ...reads, occurrenceIds: context.occurrenceIds }) : undefined;
  const statePath = context.statePathOf();
  const lock = acquireRunLock(context.env, session.credentials, event, logger);
  context.onLock(lock);
  try {
    const ledger = await EventLedger.open<OutputRow>(statePath, `${event.kind}:${event.id}`, new Date(systemClock.now()));
    let listTexts: SpillFile | undefined;
    try {
      // Registrations Zoom lists that the ledger does not hold wait on disk for their rows, not in memory.
      listTexts = settings.reconcile ? SpillFile.open(statePath) : undefined;
      const existing =
        listTexts === undefined
          ? undefined
          : await network.listExisting(zoom.listRegistrants, event, {
              ...reads,
              inLedger: (email, registrantId) => ledgerHoldsRegistration(ledger, email, registrantId),
              texts: listTexts,
              // A run of many events paces its lists with the account's Medium permits instead.
              ...(context.permit === undefined ? { ratePerSecond: settings.statusRatePerSecond } : {}),
            });
      const useBatch =
        settings.batch === "always" ||
        (settings.batch === "auto" && (checked === undefined ? await batchAllowed(zoom, event, logger, signal) : batchableType(event, checked.event.type)));
      const sinks = context.openSinks();
      context.onRowsStart?.();
      const summary = await runPush({
        records: context.records,
        event,
        addRegistrant: (target, body, options) => client.addRegistrant(target, body, options),
        ...(useBatch
          ? {
              batch: {
                addBatch: (target, body, options) => client.addBatchRegistrants(target, body, options),
                ratePerSecond: settings.batchRatePerSecond,
                confirmationEmail: settings.confirmationEmail,
                meeting: event.kind === "meeting",
              },
            }
          : {}),
        occurrenceIds: context.occurrenceIds,
        autoApprove: settings.autoApprove,
        concurrency: context.concurrency?.() ?? settings.concurrency,
        ratePerSecond: settings.ratePerSecond,
        writeRow: (row, sentThisRun) => sinks.writeRow(row, sentThisRun),
        writeReject: (row) => sinks.writeReject(row),
        ledger,
        mapping: { overrides: settings.overrides, ...(checked === undefined ? {} : { questionTitles: checked.questionTitles }) },
        ...(checked === undefined ? {} : { checkRow: checked.checkRow, checkColumns: checked.checkColumns, checkOccurrences: checked.checkOccurrences }),
        ...(existing === undefined ? {} : { existing }),
        clock: systemClock,
        random: Math.random,
        logger,
        signal,
        earlierRequestsAtMs: { Light: client.requestsSentAtMs("Light"), Medium: client.requestsSentAtMs("Medium"), Heavy: client.requestsSentAtMs("Heavy") },
        statuses: {
          updateStatus: (target, body, options) => client.updateRegistrantStatus(target, body, options),
          ratePerSecond: settings.statusRatePerSecond,
          readRegistrant: (target, registrantId, options) => client.getRegistrant(target, registrantId, options),
          deleteRegistrant: (target, registrantId, options) => client.deleteRegistrant(target, registrantId, options),
        },
        ...context.statusOptions(event.kind, tokens.tokenInfo()?.scopes),
        ...(settings.prune === undefined ? {} : { prune: { maxPrune: settings.prune, ...(context.mentionedElsewhere === undefined ? {} : { mentioned: context.mentionedElsewhere }) } }),
        ...(context.budgets === undefined ? {} : { budgets: context.budgets }),
        ...(context.sharedStop === undefined ? {} : { sharedStop: context.sharedStop }),
      });
      const exitCode = pushExitCode(summary, signal);
      await recordHowItEnded(ledger, summary, exitCode, startedAtMs, logger);
      return { summary, exitCode, statePath, checked };
    } finally {
      listTexts?.close();
      ledger.close();
    }
  } finally {
    lock.release();
    context.onLock(undefined);
  }
}

/** Before each request: a run whose lock another run took over (it was paused past the stale age) sends nothing more (issue 17). */
export function guardLock(lock: RunLock, event: EventRef): void {
  if (!lock.stillHeld()) throw lostLockError(event, lock.takenOverBy);
}

/** The event's reads, each after the account's permit for its label when the run shares them (issue 20). */
function permitted(
  client: ZoomClient,
  permit: EventPushContext["permit"],
  signal: AbortSignal,
): PreflightClient & { listRegistrants: ListRegistrants; getEvent: ZoomClient["getEvent"] } {
  const after = async <T>(label: RateLimitLabel, call: () => Promise<T>): Promise<T> => {
    await permit?.(label, signal);
    return call();
  };
  return {
    getEvent: (event, options) => after("Light", () => client.getEvent(event, options)),
    getRegistrationQuestions: (event, options) => after("Light", () => client.getRegistrationQuestions(event, options)),
    addRegistrant: (event, body, options) => after("Light", () => client.addRegistrant(event, body, options)),
    listRegistrants: (event, options) => after("Medium", () => client.listRegistrants(event, options)),
  };
}

/** The state file's last line says how the run ended, for `zoomreg status`; a disk that cannot take it has already stopped the run. */
async function recordHowItEnded(ledger: EventLedger<OutputRow>, summary: PushSummary, exitCode: number, startedAtMs: number, logger: Logger): Promise<void> {
  try {
    await ledger.recordRun({
      startedAt: new Date(startedAtMs).toISOString(),
      endedAt: new Date(systemClock.now()).toISOString(),
      exitCode,
      counts: summary.counts,
      stoppedBy: stoppedByOf(summary),
      deferredUntil: summary.deferredUntilMs === undefined ? null : new Date(summary.deferredUntilMs).toISOString(),
    });
  } catch (error) {
    logger.debug({ error: error instanceof Error ? error.message : String(error) }, "the run's end was not written to the state file");
  }
}

/** Whether the ledger holds zoomreg's own row for this registration, join_url included. */
function ledgerHoldsRegistration(ledger: EventLedger<OutputRow>, email: string, registrantId: string): boolean {
  const row = ledger.previous(email)?.row;
  return row?.registrant_id === registrantId && row.join_url !== "";
}

/**
 * Zoom takes batches only for scheduled meetings (type 2) and webinars (type 5); recurring ones (8, 9)
 * need single adds (docs/zoom-facts.md, "Endpoints": batch add). One GET of the event decides.
 */
async function batchAllowed(zoom: Pick<ZoomClient, "getEvent">, event: EventRef, logger: Logger, signal: AbortSignal): Promise<boolean> {
  const info = await retryRead(() => zoom.getEvent(event, { signal }), { clock: systemClock, random: Math.random, signal, logger });
  const allowed = batchableType(event, info.type);
  logger.info({ type: info.type, batch: allowed }, allowed ? "batch registration available for this event" : "this event type takes single adds only");
  return allowed;
}

export function batchableType(event: EventRef, type: number): boolean {
  return type === (event.kind === "meeting" ? 2 : 5);
}
