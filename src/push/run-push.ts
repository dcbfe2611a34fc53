/**
 * A push, as stages with one owner each (issue 10):
 * - rows.ts reads a record into a rejection or an item;
 * - triage.ts decides, without sending, whether the item is already known, deferred, or sent;
 * - lanes.ts sends items, single or in batches, through rate-limited pools, keeping the ledger's
 *   count of adds Zoom may have executed;
 * - refusal.ts judges what a failed add means;
 * - recorder.ts writes every outcome, ledger line first, then the output row.
 * This file wires them, and owns when the run stops.
 */
import type { Logger } from "pino";
import { ApiError, AuthError, ConfigError, InputError, NetworkError, ZoomUnavailableError, ZoomregError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow } from "../output/index.js";
import { AsyncQueue, AttemptNotStarted, defaultRetryPolicyOptions, merge, partition, type PoolResult, type RetryPolicyOptions } from "../pool/index.js";
import type { ColumnMapping, MappingOptions, RegistrantBody } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
import type { AddBatchResult, AddRegistrantResult, EventRef, RateLimitLabel } from "../zoom/client.js";
import { batchLane, batchSize, singleLane, statusLane, type AddBatch, type AddRegistrant, type LaneOptions, type StatusLaneOptions, type UpdateStatus } from "./lanes.js";
import { pruneAllowance, pruneCandidates, pruneGuardError, type MaxPrune } from "./prune.js";
import type { RegistrantLookup } from "./listed.js";
import { OutcomeRecorder, type StatusCounts } from "./recorder.js";
import { judgeFailure, type Verdict } from "./refusal.js";
import { RowReader, itemRow, type SendItem } from "./rows.js";
import { triage, type Decision } from "./triage.js";

export { batchSize, limitHintOf, type AddBatch, type AddRegistrant, type UpdateStatus } from "./lanes.js";
export { maxAddsPerRegistrantPerDay } from "./refusal.js";
export type { StatusCounts } from "./recorder.js";

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
   * Approve, cancel and deny (a status column, --prune), and the ceiling for it (Zoom's Medium label).
   * Undefined: a row that asks for a status change fails with a ConfigError.
   */
  statuses?: { updateStatus: UpdateStatus; ratePerSecond: number };
  /** Cancel zoomreg's own registrants the input no longer has, within this many (issue 13). */
  prune?: { maxPrune: MaxPrune };
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
  /** Dry run: called with each row that would be sent. */
  onWouldSend?: (line: number, body: RegistrantBody) => void;
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
}

/** What a run would do to one person: the plan a dry run prints (issue 13). */
export type PlanAction = "add" | "approve" | "cancel" | "deny" | "existing" | "unchanged" | "deferred";

export interface PlanEntry {
  /** Empty for a registrant --prune would cancel. */
  line: number | "";
  email: string;
  action: PlanAction;
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
  /** True when the run stopped early because the caller's signal aborted. */
  interrupted: boolean;
}

/**
 * Rows in a row that failed only because Zoom failed: past this many with no answer that worked in
 * between, Zoom is taken to be down and the run stops rather than spend every row's retries on it.
 */
export const unavailableAfterRows = 10;

export async function runPush(options: PushOptions): Promise<PushSummary> {
  const push = new Push(options);
  return push.run();
}

class Push {
  private readonly stop = new AbortController();
  private readonly recorder: OutcomeRecorder;
  private readonly reader: RowReader;
  /** Items handed to a lane whose result has not come back. */
  private readonly inFlight = new Map<number, SendItem>();
  private readonly counters = { rowsSent: 0, singleRequests: 0, batchRequests: 0 };
  private readonly startedMs: number;
  private seq = 0;
  /** Input rows read, when pruned rows follow them. */
  private rowsRead: number | undefined;
  /** Valid input rows: a prune refuses an input with none. */
  private validRows = 0;
  private fatalError: ZoomregError | undefined;
  private internalError: Error | undefined;
  /** The input broke mid-file: everything before it was sent; the run ends with this error. */
  private inputError: InputError | undefined;
  private dailyLimitUntilMs: number | undefined;
  private deferredUntilMs: number | undefined;
  private zoomFailures = 0;
  private zoomFailuresInARow = 0;

  constructor(private readonly options: PushOptions) {
    this.startedMs = options.clock.now();
    this.recorder = new OutcomeRecorder({
      ledger: options.ledger,
      writeRow: options.writeRow,
      writeReject: options.writeReject,
      clock: options.clock,
      logger: options.logger,
      onFailure: (error) => this.stopFor(error),
    });
    this.reader = new RowReader({
      ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
      ...(options.checkRow === undefined ? {} : { checkRow: options.checkRow }),
      ...(options.checkColumns === undefined ? {} : { checkColumns: options.checkColumns }),
      ...(options.onMapping === undefined ? {} : { onMapping: options.onMapping }),
      sendOptions: { autoApprove: options.autoApprove, occurrenceIds: options.occurrenceIds },
      trackMentions: options.prune !== undefined,
    });
  }

  async run(): Promise<PushSummary> {
    const { signal } = this.options;
    const onCallerAbort = (): void => this.stop.abort(signal?.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    const records = toAsyncIterator(this.options.records);
    try {
      if (this.options.addRegistrant === undefined) {
        for await (const _ of this.sendable(records)) void _;
        // A dry run sent nothing: an input error is simply the answer.
        if (this.inputError !== undefined) throw this.inputError;
        this.rowsRead = this.seq;
        this.planPrune();
      } else {
        await this.giveBackAddsZoomDidNotExecute();
        await this.sendAll(this.options.addRegistrant, records);
        await this.finishAfterStop(records);
        this.rowsRead = this.seq;
        await this.prune();
      }
    } finally {
      await this.recorder.close();
      await records.return?.();
      signal?.removeEventListener("abort", onCallerAbort);
    }
    if (this.internalError !== undefined) throw this.internalError;
    return this.summary();
  }

  /**
   * Zoom's list is the truth (issue 10): an add counted today for a person the list does not show was
   * not executed, whatever its answer was, and must not hold them back under the 3-a-day guard.
   */
  private async giveBackAddsZoomDidNotExecute(): Promise<void> {
    const { ledger, existing, clock } = this.options;
    if (ledger === undefined || existing === undefined) return;
    const unlisted = ledger.emailsWithAddsOnDay(clock.now(), (email) => !existing.has(email));
    // Side by side: the ledger's group commit then syncs them together, not one fdatasync each.
    await Promise.all(unlisted.map((email) => ledger.giveBackAdds(email, clock.now())));
  }

  /**
   * Reads records lazily as the lanes pull, so backpressure reaches back to the file; yields only what
   * must be sent and records everything else on the way.
   */
  private async *sendable(records: AsyncIterator<RawRecord>): AsyncGenerator<SendItem> {
    while (!this.stop.signal.aborted) {
      await this.recorder.room(this.stop.signal);
      if (this.stop.signal.aborted) return;
      const next = await this.nextRecord(records);
      if (next.done === true) return;
      const item = this.decide(next.value);
      if (item === undefined) continue;
      this.inFlight.set(item.seq, item);
      yield item;
    }
  }

  /**
   * The next record; an input error mid-file ends the input instead of the run (issue 11): what was
   * read is still sent and recorded, and the run then stops with that error.
   */
  private async nextRecord(records: AsyncIterator<RawRecord>): Promise<IteratorResult<RawRecord>> {
    try {
      return await records.next();
    } catch (error) {
      if (!(error instanceof InputError) || this.seq === 0) throw error;
      this.inputError = error;
      return { done: true, value: undefined };
    }
  }

  /** Reads and triages one record; returns the item when it is to be sent. */
  private decide(record: RawRecord): SendItem | undefined {
    const read = this.reader.read(record, this.seq++);
    if (read.kind === "rejected") {
      this.recorder.reject(this.seq - 1, read.row, read.reject);
      return undefined;
    }
    const { item } = read;
    this.validRows += 1;
    if (this.options.addRegistrant === undefined && this.options.onPlan === undefined) {
      this.options.onWouldSend?.(item.line, item.body);
      this.recorder.unrecorded(item.seq, itemRow(item, "registered"));
      return undefined;
    }
    const { ledger, existing, clock } = this.options;
    const previous = ledger?.previous(item.key);
    const decision = triage(item, {
      previous,
      listed: existing?.get(item.key, previous?.row),
      addsToday: ledger?.addsOnDay(item.key, clock.now()) ?? 0,
      statusChangesToday: ledger?.statusChangesOnDay(item.key, clock.now()) ?? 0,
      accountLimitedUntilMs: this.dailyLimitUntilMs,
      nowMs: clock.now(),
    });
    if (this.options.onPlan !== undefined) {
      this.plan(item, decision);
      return undefined;
    }
    switch (decision.kind) {
      case "send":
        return item;
      case "answered":
        if (decision.record) this.recorder.outcome(item, decision.row, true, false);
        else this.recorder.unrecorded(item.seq, decision.row);
        return undefined;
      case "defer":
        this.noteDeferred(decision.untilMs);
        this.recorder.unrecorded(item.seq, decision.row);
        return undefined;
      case "change":
        return { ...item, change: { action: decision.action, registrantId: decision.registrantId, joinUrl: decision.joinUrl } };
    }
  }

  /** A dry run's plan for one row: what the real run would do, reported, nothing sent or recorded. */
  private plan(item: SendItem & { line: number }, decision: Decision): void {
    const action: PlanAction =
      decision.kind === "send" ? "add" : decision.kind === "change" ? decision.action : decision.kind === "defer" ? "deferred" : decision.row.status === "unchanged" ? "unchanged" : "existing";
    if (decision.kind === "send") this.options.onWouldSend?.(item.line, item.body);
    this.options.onPlan?.({ line: item.line, email: item.body.email, action });
    this.recorder.unrecorded(item.seq, decision.kind === "send" || decision.kind === "change" ? itemRow(item, "registered") : decision.row);
  }

  private async sendAll(add: AddRegistrant, records: AsyncIterator<RawRecord>): Promise<void> {
    const { batch, occurrenceIds } = this.options;
    const lane = this.laneOptions();
    const [changes, addItems] = partition(this.sendable(records)[Symbol.asyncIterator](), (item) => item.change !== undefined, { maxBuffered: 4 * batchSize });
    const adds = addItems[Symbol.asyncIterator]();
    const [batchable, singles] =
      batch === undefined
        ? [emptyAsync<SendItem>(), { [Symbol.asyncIterator]: () => adds }]
        : partition(adds, (item) => isBatchable(item.body, occurrenceIds), { maxBuffered: 4 * batchSize });
    // Rows of a batch refused for one of them go one by one at once, in the single lane: waiting for
    // the end of the input would hold every later row's output behind them, and stop reading.
    const oneByOne = new AsyncQueue<SendItem>();
    const singleResults = singleLane(merge(singles, oneByOne), add, this.options.ratePerSecond, lane);
    const batchResults =
      batch === undefined
        ? emptyAsync<PoolResult<SendItem[], AddBatchResult>>()
        : batchLane(batchable, { ...lane, ...batch, onQuotaSpent: (item, error) => this.settleFailure(item, error, 0) });
    const statusResults = statusLane(changes, { ...lane, ...this.statusOptions() });
    type Tagged =
      | { single: PoolResult<SendItem, AddRegistrantResult> }
      | { batch: PoolResult<SendItem[], AddBatchResult> }
      | { status: PoolResult<SendItem[], { trackingId: string | undefined }> };
    const tagged = merge<Tagged>(
      mapAsync(singleResults, (single) => ({ single })),
      mapAsync(closing(batchResults, () => oneByOne.close()), (result) => ({ batch: result })),
      mapAsync(statusResults, (status) => ({ status })),
    );
    for await (const next of tagged) {
      if ("single" in next) this.settleSingle(next.single);
      else if ("status" in next) this.settleStatus(next.status);
      else for (const item of this.settleBatch(next.batch)) oneByOne.push(item);
    }
  }

  private statusOptions(): Pick<StatusLaneOptions, "updateStatus" | "ratePerSecond" | "onQuotaSpent"> {
    const refuse: UpdateStatus = () => Promise.reject(new ConfigError("this push cannot change registrants' status", { hint: "push from the command line or give push() a Zoom client" }));
    return {
      updateStatus: this.options.statuses?.updateStatus ?? refuse,
      ratePerSecond: this.options.statuses?.ratePerSecond ?? 20,
      onQuotaSpent: (item, error) => this.settleFailure(item, error, 0),
    };
  }

  /** A status change Zoom made: the row says what was done (approved, cancelled, denied). */
  private settleStatus(result: PoolResult<SendItem[], { trackingId: string | undefined }>): void {
    for (const item of result.item) this.inFlight.delete(item.seq);
    if (!result.ok) {
      const verdict = this.judge(result.item[0], result.error);
      for (const item of result.item) this.settleFailure(item, result.error, result.attempts, result.gaveUp === "aborted", verdict, true);
      return;
    }
    this.zoomFailuresInARow = 0;
    for (const item of result.item) {
      const change = item.change;
      if (change === undefined) continue;
      const status = change.action === "approve" ? "approved" : change.action === "cancel" ? "cancelled" : "denied";
      this.recorder.outcome(item, itemRow(item, status, { registrant_id: change.registrantId, join_url: change.action === "approve" ? change.joinUrl : "", tracking_id: result.value.trackingId ?? "" }), true);
    }
  }

  private laneOptions(): LaneOptions {
    const { options } = this;
    return {
      event: options.event,
      occurrenceIds: options.occurrenceIds,
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
      ...(options.earlierRequestsAtMs === undefined ? {} : { earlierRequestsAtMs: options.earlierRequestsAtMs }),
    };
  }

  private settleSingle(result: PoolResult<SendItem, AddRegistrantResult>): void {
    this.inFlight.delete(result.item.seq);
    if (result.ok) this.registered(result.item, result.value);
    else this.settleFailure(result.item, result.error, result.attempts, result.gaveUp === "aborted");
  }

  /** Records a batch's rows; returns those to send again one by one (a batch refused for one of its rows). */
  private settleBatch(result: PoolResult<SendItem[], AddBatchResult>): SendItem[] {
    for (const item of result.item) this.inFlight.delete(item.seq);
    if (result.ok) {
      const byEmail = new Map(result.value.registrants.map((entry) => [entry.email.toLowerCase(), entry]));
      for (const item of result.item) {
        const entry = byEmail.get(item.key);
        if (entry !== undefined) this.registered(item, { ...entry, trackingId: result.value.trackingId });
        // Executed, but Zoom did not say for whom: the next run's list tells.
        else this.recorder.outcome(item, itemRow(item, "failed", { error_message: "missing from Zoom's batch answer" }), false);
      }
      return [];
    }
    const verdict = this.judge(result.item[0], result.error);
    if (verdict.kind === "row-final" || verdict.kind === "registrant-daily") {
      // One bad row refuses all 30 (PEERS.md) and nothing was executed (the lane gave the adds back):
      // each row is tried alone, where its own answer shows.
      this.options.logger.warn({ rows: result.item.length, error: messageOf(result.error) }, "batch refused as a whole: sending its rows one by one");
      for (const item of result.item) this.inFlight.set(item.seq, item);
      return result.item;
    }
    const stoppedWaiting = result.gaveUp === "aborted";
    for (const item of result.item) this.settleFailure(item, result.error, result.attempts, stoppedWaiting, verdict, true);
    if (verdict.kind === "transient" && !stoppedWaiting && !(result.error instanceof AttemptNotStarted)) this.zoomFailed(result.error, result.attempts);
    return [];
  }

  private registered(item: SendItem, value: Pick<AddRegistrantResult, "registrantId" | "joinUrl" | "participantPinCode" | "trackingId">): void {
    this.zoomFailuresInARow = 0;
    const row = itemRow(item, value.joinUrl === undefined ? "pending_approval" : "registered", {
      registrant_id: value.registrantId,
      join_url: value.joinUrl ?? "",
      participant_pin_code: value.participantPinCode ?? "",
      tracking_id: value.trackingId ?? "",
    });
    this.recorder.outcome(item, row, true);
  }

  private judge(item: SendItem | undefined, error: unknown): Verdict {
    const { ledger, clock, event } = this.options;
    const addsToday = item === undefined ? 0 : (ledger?.addsOnDay(item.key, clock.now()) ?? 0);
    return judgeFailure(error, { event, addsToday, nowMs: clock.now() });
  }

  /** One failed row: one decision per kind of refusal (refusal.ts), recorded here and only here. */
  private settleFailure(item: SendItem, error: unknown, attempts: number, stoppedWaiting = false, verdict = this.judge(item, error), partOfBatch = false): void {
    this.inFlight.delete(item.seq);
    const trackingId = trackingIdOf(error);
    const failed = (): OutputRow =>
      itemRow(item, "failed", { error_code: errorCodeOf(error), error_message: `${messageOf(error)} (after ${attempts} attempt${attempts === 1 ? "" : "s"})`, tracking_id: trackingId });
    switch (verdict.kind) {
      case "row-final":
        this.zoomFailuresInARow = 0;
        this.recorder.outcome(item, failed(), true);
        return;
      case "transient":
        if (error instanceof AttemptNotStarted) return this.notSent(item);
        this.recorder.outcome(item, failed(), false);
        // A retry cut short by the stop, or one row of a batch (counted once for the batch), is not a new failure.
        if (!stoppedWaiting && !partOfBatch) this.zoomFailed(error, attempts);
        return;
      case "registrant-daily":
      case "account-daily":
        if (verdict.kind === "account-daily") this.stopForDailyLimit(verdict.retryAtMs);
        this.noteDeferred(verdict.retryAtMs);
        this.recorder.outcome(item, itemRow(item, "deferred", { error_code: errorCodeOf(error), error_message: messageOf(error), tracking_id: trackingId, deferred_until: new Date(verdict.retryAtMs).toISOString() }), false);
        return;
      case "stop":
        this.stopFor(verdict.error);
        return this.notSent(item);
      case "internal":
        // A configuration or disk error stops the run like the event's would (the summary still says
        // what was done); a bug is rethrown once what is in flight is recorded (exit 70).
        if (verdict.error instanceof ZoomregError) this.stopFor(verdict.error);
        else {
          this.internalError ??= verdict.error instanceof Error ? verdict.error : new Error(String(verdict.error));
          this.stop.abort(verdict.error);
        }
        return this.notSent(item);
    }
  }

  /** Zoom failed this row (5xx, network, per-second 429s past retries): too many in a row and Zoom is down. */
  private zoomFailed(error: unknown, attempts: number): void {
    this.zoomFailures += 1;
    this.zoomFailuresInARow += 1;
    if (this.zoomFailuresInARow >= unavailableAfterRows) {
      this.stopFor(new ZoomUnavailableError(`${unavailableAfterRows} rows in a row failed, the last with ${messageOf(error)}`, { cause: error, attempts }));
    }
  }

  /** A row the run stopped before Zoom executed it: nothing goes to the ledger, so the next run sends it. */
  private notSent(item: SendItem): void {
    const reason = this.fatalError?.message ?? (this.options.signal?.aborted === true ? "interrupted" : "the run stopped");
    this.recorder.unrecorded(item.seq, itemRow(item, "not_sent", { error_message: `not sent: ${reason}; the next run sends it` }));
  }

  private stopFor(error: ZoomregError): void {
    if (this.fatalError !== undefined) return;
    this.fatalError = error;
    this.options.logger.error({ error: error.message }, "stopping: this concerns every row; rows in flight finish first");
    this.stop.abort(error);
  }

  private stopForDailyLimit(untilMs: number): void {
    if (this.dailyLimitUntilMs !== undefined) return;
    this.dailyLimitUntilMs = untilMs;
    this.options.logger.error({ until: new Date(untilMs).toISOString() }, "Zoom's daily limit for the account is reached: stopping; the rest is deferred");
    this.stop.abort("daily limit");
  }

  private noteDeferred(untilMs: number): void {
    this.deferredUntilMs = this.deferredUntilMs === undefined ? untilMs : Math.min(this.deferredUntilMs, untilMs);
  }

  /**
   * After the lanes stop early (the daily limit, the event, Zoom down, a signal), rows handed to a lane
   * that never ran are deferred or not sent. Except after a signal, the rest of the input is read too:
   * every row gets its output row, answered from what the ledger and Zoom's list already say, so the
   * output that replaces the last one still holds everyone registered (issue 11).
   */
  private async finishAfterStop(records: AsyncIterator<RawRecord>): Promise<void> {
    const waiting = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const item of waiting) this.unsent(item);
    // A signal means "stop now": the rest of the input (stdin, maybe still being written) is not read.
    if (!this.stop.signal.aborted || this.internalError !== undefined || this.options.signal?.aborted === true) return;
    for (let next = await this.nextRecord(records); next.done !== true; next = await this.nextRecord(records)) {
      const item = this.decide(next.value);
      if (item !== undefined) this.unsent(item);
      // Nothing is in flight now: rows recorded from Zoom's list wait only for their ledger line.
      await this.recorder.room(neverAborted);
    }
  }

  /**
   * `--prune`, once the whole input was read and sent: cancels zoomreg's own registrants the input no
   * longer names, unless there are more than the guard allows (then nothing is cancelled, exit 2).
   * Their rows follow the input's, with an empty line.
   */
  private async prune(): Promise<void> {
    const { candidates, zoomregRegistrants } = this.pruneTargets() ?? { candidates: [], zoomregRegistrants: 0 };
    const items = candidates.map((candidate): SendItem => {
      const item: SendItem = {
        seq: this.seq++,
        line: "",
        key: candidate.email,
        bodyHash: "",
        body: { email: candidate.row.email === "" ? candidate.email : candidate.row.email, first_name: candidate.row.first_name, last_name: candidate.row.last_name },
        desired: "cancelled",
        change: { action: "cancel", registrantId: candidate.registrantId, joinUrl: "" },
      };
      this.inFlight.set(item.seq, item);
      return item;
    });
    if (items.length === 0) return;
    this.options.logger.info({ cancelling: items.length, of: zoomregRegistrants }, "--prune: cancelling zoomreg's registrants the input no longer has");
    for await (const result of statusLane(fromArray(items), { ...this.laneOptions(), ...this.statusOptions() })) this.settleStatus(result);
    await this.finishAfterStop(emptyAsync<RawRecord>()[Symbol.asyncIterator]());
  }

  /** Who a prune would cancel, or undefined when it must not run (the run stops, saying why). */
  private pruneTargets(): ReturnType<typeof pruneCandidates> | undefined {
    const { prune, ledger, existing } = this.options;
    if (prune === undefined || this.stop.signal.aborted || this.inputError !== undefined) return undefined;
    if (existing === undefined) {
      this.stopFor(new ConfigError("--prune needs Zoom's registrant list", { hint: "drop --no-reconcile (and give the dry run credentials): the list says who is still on the event" }));
      return undefined;
    }
    if (this.validRows === 0) {
      this.stopFor(new ConfigError("--prune: the input has no valid row, so it would cancel everyone zoomreg added: nothing was cancelled", { hint: "check the export" }));
      return undefined;
    }
    const targets = pruneCandidates(ledger?.earlierOutcomes() ?? [], existing, (email) => this.reader.mentioned(email));
    const allowance = pruneAllowance(prune.maxPrune, targets.zoomregRegistrants);
    if (targets.candidates.length > allowance) {
      this.stopFor(pruneGuardError(targets.candidates.length, targets.zoomregRegistrants, allowance));
      return undefined;
    }
    return targets;
  }

  /** A dry run's --prune: the people it would cancel, in the plan (or the guard's refusal). */
  private planPrune(): void {
    if (this.options.onPlan === undefined) return;
    for (const candidate of this.pruneTargets()?.candidates ?? []) this.options.onPlan({ line: "", email: candidate.row.email === "" ? candidate.email : candidate.row.email, action: "cancel" });
  }

  /** An item the run stopped before sending: deferred after the account's daily limit, else not sent. */
  private unsent(item: SendItem): void {
    const untilMs = this.dailyLimitUntilMs;
    if (untilMs === undefined) return this.notSent(item);
    const reason = "not sent: the account reached Zoom's daily limit";
    this.recorder.unrecorded(item.seq, itemRow(item, "deferred", { error_message: reason, deferred_until: new Date(untilMs).toISOString() }));
  }

  private summary(): PushSummary {
    const { counters } = this;
    return {
      counts: this.recorder.counts,
      rowsRead: this.rowsRead ?? this.seq,
      rowsSent: counters.rowsSent,
      requests: { single: counters.singleRequests, batch: counters.batchRequests },
      durationMs: this.options.clock.now() - this.startedMs,
      fatalError: this.fatalError ?? this.inputError,
      dailyLimitUntilMs: this.dailyLimitUntilMs,
      deferredUntilMs: this.deferredUntilMs,
      zoomFailures: this.zoomFailures,
      interrupted: this.fatalError === undefined && this.inputError === undefined && this.dailyLimitUntilMs === undefined && (this.options.signal?.aborted ?? false),
    };
  }
}

/** Only email and names go in a batch (docs/zoom-facts.md); anything else, or occurrences, needs a single add. */
export function isBatchable(body: RegistrantBody, occurrenceIds: readonly string[]): boolean {
  if (occurrenceIds.length > 0) return false;
  return Object.keys(body).every((key) => key === "email" || key === "first_name" || key === "last_name");
}

const neverAborted = new AbortController().signal;

function errorCodeOf(error: unknown): string {
  if (error instanceof ApiError) return String(error.code ?? error.status);
  if (error instanceof AuthError) return String(error.code ?? error.status ?? "");
  return error instanceof NetworkError ? "network" : "";
}

function trackingIdOf(error: unknown): string {
  return error instanceof ApiError ? (error.trackingId ?? "") : "";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function* emptyAsync<T>(): AsyncGenerator<T> {
  // Nothing: a lane that has no work.
}

/** Passes `source` on, calling `onEnd` once it ends, however it ends. */
async function* closing<T>(source: AsyncIterable<T>, onEnd: () => void): AsyncGenerator<T> {
  try {
    yield* source;
  } finally {
    onEnd();
  }
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncGenerator<U> {
  for await (const value of source) yield map(value);
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return { next: () => Promise.resolve(sync.next()), return: () => Promise.resolve({ done: true, value: undefined }) };
}
