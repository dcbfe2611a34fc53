/**
 * A push, as stages with one owner each (issue 10, issue 17, issue 19):
 * - intake.ts reads records (rows.ts) and triages them (triage.ts), recording what need not be sent;
 * - send-lanes.ts sends the rest through the lanes (lanes.ts), which share one budget per label (budgets.ts);
 * - settle.ts (with refusal.ts) turns each answer into outcomes; stop-policy.ts owns when the run stops;
 * - prune-pass.ts says who --prune cancels; recorder.ts writes every outcome, ledger line first.
 * This file wires them.
 */
import type { Logger } from "pino";
import type { ZoomregError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow } from "../output/index.js";
import { AsyncQueue, defaultRetryPolicyOptions, type RetryPolicyOptions } from "../pool/index.js";
import type { ColumnMapping, MappingOptions, RegistrantBody } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
import type { EventRef, RateLimitLabel } from "../zoom/client.js";
import { RateBudgets } from "./budgets.js";
import { Intake } from "./intake.js";
import type { AddBatch, AddRegistrant, DeleteRegistrant, LaneOptions, ReadRegistrant, UpdateStatus } from "./lanes.js";
import type { RegistrantLookup } from "./listed.js";
import type { PlanEntry } from "./plan.js";
import type { MaxPrune } from "./prune.js";
import { PrunePass } from "./prune-pass.js";
import { OutcomeRecorder, type StatusCounts } from "./recorder.js";
import { RowReader, type SendItem } from "./rows.js";
import { sendCancellations, sendThroughLanes, type LaneWiring } from "./send-lanes.js";
import { Settlement } from "./settle.js";
import type { SharedStop } from "./shared-stop.js";
import { StopPolicy } from "./stop-policy.js";
import { ConfigError } from "../errors.js";

export { batchSize, limitHintOf, type AddBatch, type AddRegistrant, type DeleteRegistrant, type ReadRegistrant, type UpdateStatus } from "./lanes.js";
export { unavailableAfterRows } from "./stop-policy.js";
export { isBatchable } from "./cost.js";
export { maxAddsPerRegistrantPerDay } from "./refusal.js";
export type { StatusCounts } from "./recorder.js";
export type { PlanAction, PlanEntry } from "./plan.js";

export interface PushOptions {
  records: AsyncIterable<RawRecord> | Iterable<RawRecord>;
  event: EventRef;
  /** Undefined for a dry run: nothing is sent. */
  addRegistrant: AddRegistrant | undefined;
  occurrenceIds: readonly string[];
  autoApprove: boolean;
  /** The most requests in flight per label; pacing picks fewer when the server answers fast. */
  concurrency: number;
  /** Ceiling for single adds (Zoom's Light label); the pacer learns the rate that works below it. */
  ratePerSecond: number;
  /** Batch registration: the call, and the ceiling for it (Zoom's Heavy label). Undefined: single adds only. */
  batch?: { addBatch: AddBatch; ratePerSecond: number; confirmationEmail: boolean | undefined; meeting: boolean };
  /**
   * Approve, cancel and deny (a status column, --prune, re-admissions) and the ceiling for it (Zoom's
   * Medium label); the reads after an approval (its join_url) and the delete of a re-admission Zoom will
   * not approve (Light). Undefined: a row that asks for a status change fails with a ConfigError.
   */
  statuses?: { updateStatus: UpdateStatus; ratePerSecond: number; readRegistrant?: ReadRegistrant; deleteRegistrant?: DeleteRegistrant };
  /** Set when the token is known to lack the scope status changes need (S2S tokens list theirs): that scope. */
  statusScopeMissing?: string;
  /**
   * Whether a status column found by its name (not stated with --map status=) is the desired state:
   * true only when every value in it is a status word (issue 17). Undefined: such a column is left alone.
   */
  decideStatusColumn?: (column: string) => Promise<{ use: true } | { use: false; reason: string }>;
  /**
   * Cancel zoomreg's own registrants the input no longer has, within this many (issue 13). `mentioned`:
   * people other rows of the input name (a run of many events: rows whose event could not be read).
   */
  prune?: { maxPrune: MaxPrune; mentioned?: (email: string) => boolean };
  /**
   * Dry run against Zoom's list (`existing`): each row's decision, as the real run would make it,
   * instead of what would be sent. Nothing is sent and nothing is written to the ledger.
   */
  onPlan?: (entry: PlanEntry) => void;
  retry?: RetryPolicyOptions;
  /**
   * Every row, in input order, once its outcome is known (and, with a ledger, written there);
   * `sentThisRun`: its add went to Zoom in this run, as opposed to answered from the ledger or Zoom's list.
   */
  writeRow: (row: OutputRow, sentThisRun: boolean) => void;
  /** Invalid and duplicate rows go here too, with the reason and the original record. */
  writeReject: (row: RejectRow) => void;
  /** Dry run: called with each row that would be sent, and the occurrences it would register for. */
  onWouldSend?: (line: number, body: RegistrantBody, occurrenceIds: readonly string[]) => void;
  /** Preflight's check of a row's occurrences against the event's. */
  checkOccurrences?: (ids: readonly string[]) => string | undefined;
  /** Column overrides (--map, --question) and the event's question titles. */
  mapping?: MappingOptions;
  /** Preflight's check of a valid row against the event's form (required questions, answers, host). */
  checkRow?: (body: RegistrantBody) => string[];
  /** Preflight's check of the first record's columns (a required column missing): its error stops the run before anything is sent. */
  checkColumns?: (mapping: ColumnMapping) => ZoomregError | undefined;
  /** Called once with the mapping inferred from the first record (dry run prints it). */
  onMapping?: (mapping: ColumnMapping) => void;
  /** What was sent before for this event: makes re-runs no-ops and guards the daily adds. */
  ledger?: EventLedger<OutputRow>;
  /** The event's registrants listed before the run (reconcile); undefined with --no-reconcile. */
  existing?: RegistrantLookup;
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Aborting stops reading new rows; rows in flight finish and are written. */
  signal?: AbortSignal;
  /** When this run's requests before the push left, per rate-limit label (ZoomClient.requestsSentAtMs). */
  earlierRequestsAtMs?: Partial<Record<RateLimitLabel, readonly number[]>>;
  /** The account's gates and pacers, shared with the run's other events (issue 20); absent, the push makes its own. */
  budgets?: RateBudgets;
  /** What stops every event of the run at once (issue 20): the daily limit, credentials, Zoom down. */
  sharedStop?: SharedStop;
}

export interface PushSummary {
  counts: StatusCounts;
  rowsRead: number;
  /** Rows whose add was sent in this run (not counting retries). */
  rowsSent: number;
  /** Requests sent per kind, retries included. */
  requests: { single: number; batch: number };
  durationMs: number;
  /** Set when the run stopped early for a reason that concerns every row (credentials, the event, Zoom down). */
  fatalError: ZoomregError | undefined;
  /** Set when Zoom's daily limit for the account stopped the run: when to try again (epoch ms). */
  dailyLimitUntilMs: number | undefined;
  /** The earliest time a deferred row may be tried again (epoch ms). */
  deferredUntilMs: number | undefined;
  /** Rows that failed because Zoom failed or could not be reached (5xx, network, per-second 429s): the next run sends them. */
  zoomFailures: number;
  /** Rows left other than the input asks, on purpose: people the host denied in Zoom (no status column says otherwise). */
  unmet: number;
  /** True when the run stopped early because the caller's signal aborted. */
  interrupted: boolean;
}

export async function runPush(options: PushOptions): Promise<PushSummary> {
  return new Push(options).run();
}

class Push {
  private readonly stop: StopPolicy;
  private readonly recorder: OutcomeRecorder;
  private readonly reader: RowReader;
  private readonly intake: Intake;
  private readonly settle: Settlement;
  private readonly wiring: LaneWiring | undefined;
  /** Items handed to a lane whose result has not come back. */
  private readonly inFlight = new Map<number, SendItem>();
  private readonly counters = { rowsSent: 0, singleRequests: 0, batchRequests: 0 };
  private readonly startedMs: number;
  private prunePass: PrunePass | undefined;
  /** Input rows read, when pruned rows follow them. */
  private rowsRead: number | undefined;

  constructor(private readonly options: PushOptions) {
    this.startedMs = options.clock.now();
    this.stop = new StopPolicy(options.logger, options.sharedStop);
    this.recorder = new OutcomeRecorder({ ledger: options.ledger, writeRow: options.writeRow, writeReject: options.writeReject, clock: options.clock, logger: options.logger, onFailure: (error) => this.stop.stopFor(error) });
    this.reader = new RowReader({
      ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
      ...(options.checkRow === undefined ? {} : { checkRow: options.checkRow }),
      ...(options.checkColumns === undefined ? {} : { checkColumns: options.checkColumns }),
      ...(options.onMapping === undefined ? {} : { onMapping: options.onMapping }),
      ...(options.checkOccurrences === undefined ? {} : { checkOccurrences: options.checkOccurrences }),
      sendOptions: { autoApprove: options.autoApprove, occurrenceIds: options.occurrenceIds },
      trackMentions: options.prune !== undefined,
    });
    this.intake = new Intake({
      reader: this.reader,
      recorder: this.recorder,
      stop: this.stop,
      inFlight: this.inFlight,
      ledger: options.ledger,
      existing: options.existing,
      clock: options.clock,
      logger: options.logger,
      sends: options.addRegistrant !== undefined,
      onPlan: options.onPlan,
      onWouldSend: options.onWouldSend,
      decideStatusColumn: options.decideStatusColumn,
      statusScopeMissing: options.statusScopeMissing,
      prunes: options.prune !== undefined,
    });
    const oneByOne = new AsyncQueue<SendItem>();
    const readBacks = new AsyncQueue<SendItem>();
    this.settle = new Settlement({
      event: options.event,
      ledger: options.ledger,
      clock: options.clock,
      logger: options.logger,
      signal: options.signal,
      recorder: this.recorder,
      stop: this.stop,
      inFlight: this.inFlight,
      // Without a way to read registrants (push() given only a status call), an approval's row has the join_url the list had.
      readBack: options.statuses?.readRegistrant === undefined ? undefined : (item) => readBacks.push(item),
      readd: (item) => oneByOne.push(item),
    });
    const add = options.addRegistrant;
    this.wiring = add === undefined ? undefined : { lane: this.laneOptions(), settle: this.settle, add, batch: options.batch, statuses: options.statuses, oneByOne, readBacks };
  }

  async run(): Promise<PushSummary> {
    const { signal, prune, ledger, existing } = this.options;
    const onCallerAbort = (): void => this.stop.interrupt(signal?.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    const records = toAsyncIterator(this.options.records);
    try {
      // Before anything is recorded: the guard counts the event as the run found it (issue 17).
      if (prune !== undefined) {
        const alsoMentioned = prune.mentioned ?? ((): boolean => false);
        this.prunePass = new PrunePass({ maxPrune: prune.maxPrune, ledger, existing, mentioned: (email) => this.reader.mentioned(email) || alsoMentioned(email) });
      }
      await this.giveBackAddsZoomDidNotExecute();
      if (this.wiring === undefined) await this.plan(records);
      else await this.send(records, this.wiring);
    } finally {
      await this.recorder.close();
      await records.return?.();
      signal?.removeEventListener("abort", onCallerAbort);
    }
    if (this.stop.internalError !== undefined) throw this.stop.internalError;
    return this.summary();
  }

  /** A dry run: every row decided and reported, nothing sent; an input error is simply the answer. */
  private async plan(records: AsyncIterator<RawRecord>): Promise<void> {
    for await (const _ of this.intake.sendable(records)) void _;
    if (this.stop.inputError !== undefined) throw this.stop.inputError;
    this.rowsRead = this.intake.seq;
    if (this.options.onPlan === undefined) return;
    for (const candidate of this.pruneTargets() ?? []) this.options.onPlan({ line: "", email: candidate.body.email, action: "cancel" });
  }

  private async send(records: AsyncIterator<RawRecord>, wiring: LaneWiring): Promise<void> {
    await sendThroughLanes(this.intake.sendable(records), wiring);
    await this.finishAfterStop(records);
    this.rowsRead = this.intake.seq;
    const cancellations = this.pruneTargets() ?? [];
    if (cancellations.length === 0) return;
    this.options.logger.info({ cancelling: cancellations.length, of: this.prunePass?.owned }, "--prune: cancelling zoomreg's registrants the input no longer has");
    for (const item of cancellations) this.inFlight.set(item.seq, item);
    await sendCancellations(cancellations, wiring);
    await this.finishAfterStop(undefined);
  }

  /**
   * Zoom's list is the truth (issue 10): an add counted today for a person the list does not show was
   * not executed, whatever its answer was, and must not hold them back under the 3-a-day guard. A dry
   * run forgets them in memory only, so that it plans what the real run will do (issue 17).
   */
  private async giveBackAddsZoomDidNotExecute(): Promise<void> {
    const { ledger, existing, clock } = this.options;
    if (ledger === undefined || existing === undefined) return;
    const unlisted = ledger.emailsWithAddsOnDay(clock.now(), (email) => !existing.has(email));
    if (this.wiring === undefined) {
      for (const email of unlisted) ledger.forgetAddsOnDay(email, clock.now());
      return;
    }
    // Side by side: the ledger's group commit then syncs them together, not one fdatasync each.
    await Promise.all(unlisted.map((email) => ledger.giveBackAdds(email, clock.now())));
  }

  /**
   * After the lanes stop early (the daily limit, the event, Zoom down, a signal), rows handed to a lane
   * that never ran are deferred or not sent, and, except after a signal (stop now: stdin may still be
   * written), the rest of the input is read and answered from what is known (intake.ts).
   */
  private async finishAfterStop(records: AsyncIterator<RawRecord> | undefined): Promise<void> {
    const waiting = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const item of waiting) this.settle.notSent(item);
    if (records === undefined || !this.stop.stopped || this.stop.internalError !== undefined || this.options.signal?.aborted === true) return;
    await this.intake.drainRest(records, (item) => this.settle.notSent(item));
  }

  /**
   * Who --prune cancels, as items whose rows follow the input's (an empty line, in order of email), or
   * undefined when it must not run (the run stops, saying why; nothing is cancelled).
   */
  private pruneTargets(): SendItem[] | undefined {
    if (this.prunePass === undefined || this.stop.stopped || this.stop.inputError !== undefined) return undefined;
    const targets = this.prunePass.targets(this.intake.validRows);
    if (targets instanceof ConfigError) {
      this.stop.stopFor(targets);
      return undefined;
    }
    return targets.map((candidate) => ({
      seq: this.intake.seq++,
      line: "",
      key: candidate.email,
      bodyHash: "",
      occurrenceIds: [],
      body: { email: candidate.row.email === "" ? candidate.email : candidate.row.email, first_name: candidate.row.first_name, last_name: candidate.row.last_name },
      desired: "cancelled",
      change: { action: "cancel", registrantId: candidate.registrantId, joinUrl: "" },
      owns: candidate.registrantId,
    }));
  }

  private laneOptions(): LaneOptions {
    const { options } = this;
    return {
      event: options.event,
      autoApprove: options.autoApprove,
      concurrency: options.concurrency,
      retry: options.retry ?? defaultRetryPolicyOptions,
      ledger: options.ledger,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      signal: this.stop.signal,
      track: (write) => this.recorder.track(write),
      counters: this.counters,
      budgets: options.budgets ?? new RateBudgets({
        ceilingPerSecond: { Light: options.ratePerSecond, Heavy: options.batch?.ratePerSecond ?? options.ratePerSecond, Medium: options.statuses?.ratePerSecond ?? 20 },
        clock: options.clock,
        ...(options.earlierRequestsAtMs === undefined ? {} : { earlierRequestsAtMs: options.earlierRequestsAtMs }),
      }),
    };
  }

  private summary(): PushSummary {
    const { counters, stop } = this;
    return {
      counts: this.recorder.counts,
      rowsRead: this.rowsRead ?? this.intake.seq,
      rowsSent: counters.rowsSent,
      requests: { single: counters.singleRequests, batch: counters.batchRequests },
      durationMs: this.options.clock.now() - this.startedMs,
      fatalError: stop.fatalError ?? stop.inputError,
      dailyLimitUntilMs: stop.dailyLimitUntilMs,
      deferredUntilMs: stop.deferredUntilMs,
      zoomFailures: stop.zoomFailures,
      unmet: this.intake.unmet,
      interrupted: stop.fatalError === undefined && stop.inputError === undefined && stop.dailyLimitUntilMs === undefined && (this.options.signal?.aborted ?? false),
    };
  }
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return { next: () => Promise.resolve(sync.next()), return: () => Promise.resolve({ done: true, value: undefined }) };
}
