/**
 * A push, as stages with one owner each (issue 10, issue 17):
 * - rows.ts reads a record into a rejection or an item;
 * - triage.ts decides, without sending, whether the item is already known, deferred, changed or sent;
 * - lanes.ts sends items (single adds, batches, status changes, reads after approvals) through
 *   rate-limited pools sharing one budget per label (budgets.ts), keeping the ledger's counts;
 * - settle.ts (with refusal.ts) turns each answer into outcomes; stop-policy.ts owns when the run stops;
 * - prune-pass.ts says who --prune cancels; recorder.ts writes every outcome, ledger line first.
 * This file wires them.
 */
import type { Logger } from "pino";
import { AuthError, ConfigError, InputError, type ZoomregError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow } from "../output/index.js";
import { AsyncQueue, defaultRetryPolicyOptions, merge, partition, type PoolResult, type RetryPolicyOptions } from "../pool/index.js";
import type { ColumnMapping, MappingOptions, RegistrantBody } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
import type { AddBatchResult, AddRegistrantResult, EventRef, RateLimitLabel } from "../zoom/client.js";
import { RateBudgets } from "./budgets.js";
import { isBatchable } from "./cost.js";
import {
  batchLane,
  batchSize,
  registrantLane,
  singleLane,
  statusLane,
  type AddBatch,
  type AddRegistrant,
  type AfterApproval,
  type DeleteRegistrant,
  type LaneOptions,
  type ReadRegistrant,
  type StatusLaneOptions,
  type UpdateStatus,
} from "./lanes.js";
import type { MaxPrune, PruneCandidate } from "./prune.js";
import { PrunePass } from "./prune-pass.js";
import type { RegistrantLookup } from "./listed.js";
import { ownedRegistration } from "./ownership.js";
import { OutcomeRecorder, type StatusCounts } from "./recorder.js";
import { RowReader, itemRow, type SendItem } from "./rows.js";
import { Settlement } from "./settle.js";
import { StopPolicy } from "./stop-policy.js";
import { triage, type Decision } from "./triage.js";

export { batchSize, limitHintOf, type AddBatch, type AddRegistrant, type DeleteRegistrant, type ReadRegistrant, type UpdateStatus } from "./lanes.js";
export { unavailableAfterRows } from "./stop-policy.js";
export { isBatchable } from "./cost.js";
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
  /** Runs right before each request leaves; a throw sends nothing and stops the run (a lock another run took over). */
  beforeSend?: () => void;
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

/** What a run would do to one person: the plan a dry run prints (issue 13); `readmit`: approve again, or delete and add afresh (issue 17). */
export type PlanAction = "add" | "approve" | "readmit" | "cancel" | "deny" | "existing" | "unchanged" | "deferred";

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
  /** Rows left other than the input asks, on purpose: people the host denied in Zoom (no status column says otherwise). */
  unmet: number;
  /** True when the run stopped early because the caller's signal aborted. */
  interrupted: boolean;
}

export async function runPush(options: PushOptions): Promise<PushSummary> {
  const push = new Push(options);
  return push.run();
}

class Push {
  private readonly stop: StopPolicy;
  private readonly recorder: OutcomeRecorder;
  private readonly reader: RowReader;
  private readonly settle: Settlement;
  private readonly budgets: RateBudgets;
  /** Items handed to a lane whose result has not come back. */
  private readonly inFlight = new Map<number, SendItem>();
  /** Rows for the single lane from the other lanes: a batch refused for one of its rows, people added afresh. */
  private readonly oneByOne = new AsyncQueue<SendItem>();
  /** Approvals Zoom took, to read back for their join_urls (and re-admissions to check). */
  private readonly readBacks = new AsyncQueue<SendItem>();
  private readonly counters = { rowsSent: 0, singleRequests: 0, batchRequests: 0 };
  private readonly startedMs: number;
  private prunePass: PrunePass | undefined;
  private seq = 0;
  /** Input rows read, when pruned rows follow them. */
  private rowsRead: number | undefined;
  /** Valid input rows: a prune refuses an input with none. */
  private validRows = 0;
  private unmet = 0;

  constructor(private readonly options: PushOptions) {
    this.startedMs = options.clock.now();
    this.stop = new StopPolicy(options.logger);
    this.recorder = new OutcomeRecorder({
      ledger: options.ledger,
      writeRow: options.writeRow,
      writeReject: options.writeReject,
      clock: options.clock,
      logger: options.logger,
      onFailure: (error) => this.stop.stopFor(error),
    });
    this.reader = new RowReader({
      ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
      ...(options.checkRow === undefined ? {} : { checkRow: options.checkRow }),
      ...(options.checkColumns === undefined ? {} : { checkColumns: options.checkColumns }),
      ...(options.onMapping === undefined ? {} : { onMapping: options.onMapping }),
      sendOptions: { autoApprove: options.autoApprove, occurrenceIds: options.occurrenceIds },
      trackMentions: options.prune !== undefined,
    });
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
      readBack: options.statuses?.readRegistrant === undefined ? undefined : (item) => this.readBacks.push(item),
      readd: (item) => this.oneByOne.push(item),
    });
    this.budgets = new RateBudgets({
      ceilingPerSecond: { Light: options.ratePerSecond, Heavy: options.batch?.ratePerSecond ?? options.ratePerSecond, Medium: options.statuses?.ratePerSecond ?? 20 },
      clock: options.clock,
      ...(options.earlierRequestsAtMs === undefined ? {} : { earlierRequestsAtMs: options.earlierRequestsAtMs }),
    });
  }

  async run(): Promise<PushSummary> {
    const { signal, prune, ledger, existing } = this.options;
    const onCallerAbort = (): void => this.stop.interrupt(signal?.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    const records = toAsyncIterator(this.options.records);
    try {
      // Before anything is recorded: the guard counts the event as the run found it (issue 17).
      if (prune !== undefined) this.prunePass = new PrunePass({ maxPrune: prune.maxPrune, ledger, existing, mentioned: (email) => this.reader.mentioned(email) });
      await this.giveBackAddsZoomDidNotExecute();
      if (this.options.addRegistrant === undefined) {
        for await (const _ of this.sendable(records)) void _;
        // A dry run sent nothing: an input error is simply the answer.
        if (this.stop.inputError !== undefined) throw this.stop.inputError;
        this.rowsRead = this.seq;
        this.planPrune();
      } else {
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
    if (this.stop.internalError !== undefined) throw this.stop.internalError;
    return this.summary();
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
    if (this.options.addRegistrant === undefined) {
      for (const email of unlisted) ledger.forgetAddsOnDay(email, clock.now());
      return;
    }
    // Side by side: the ledger's group commit then syncs them together, not one fdatasync each.
    await Promise.all(unlisted.map((email) => ledger.giveBackAdds(email, clock.now())));
  }

  /**
   * Reads records lazily as the lanes pull, so backpressure reaches back to the file; yields only what
   * must be sent and records everything else on the way.
   */
  private async *sendable(records: AsyncIterator<RawRecord>): AsyncGenerator<SendItem> {
    while (!this.stop.stopped) {
      await this.recorder.room(this.stop.signal);
      if (this.stop.stopped) return;
      const next = await this.nextRecord(records);
      if (next.done === true) return;
      if (this.seq === 0) await this.beforeFirstRow(next.value);
      const item = this.decide(next.value);
      if (item === undefined) continue;
      this.inFlight.set(item.seq, item);
      yield item;
    }
  }

  /**
   * What the first record settles for the whole input, before anything is sent: whether a status
   * column found by its name is the desired state (every value must be a status word, issue 17), and
   * that a push which will change statuses holds the scope for it (exit 3 before the first change).
   */
  private async beforeFirstRow(record: RawRecord): Promise<void> {
    const column = this.reader.statusColumnToDecide(record);
    if (column !== undefined) {
      const verdict = (await this.options.decideStatusColumn?.(column)) ?? { use: false, reason: "its values cannot be read ahead" };
      this.reader.useFoundStatus({ column, use: verdict.use });
      if (!verdict.use) {
        this.options.logger.warn(`the column ${JSON.stringify(column)} is not read as the desired state (${verdict.reason}): pass --map status=${column} to use it, or --no-status to leave it without this notice`);
      }
    }
    const { statusScopeMissing, prune } = this.options;
    if (statusScopeMissing !== undefined && (this.reader.readsStatus || prune !== undefined)) {
      const what = prune !== undefined ? "--prune cancels people" : "the status column changes registrants' status";
      throw new AuthError(`${what}, and the credentials lack ${statusScopeMissing}: nothing was changed`, undefined, 4711, {
        hint: `add ${statusScopeMissing} to the Server-to-Server OAuth app's scopes (marketplace.zoom.us > Manage > your app > Scopes), activate the app again, and run again`,
      });
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
      this.stop.endInput(error);
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
    this.validRows += 1;
    if (this.options.addRegistrant === undefined && this.options.onPlan === undefined) {
      this.options.onWouldSend?.(read.item.line, read.item.body);
      this.recorder.unrecorded(read.item.seq, itemRow(read.item, "registered"));
      return undefined;
    }
    const { ledger, existing, clock } = this.options;
    const previous = ledger?.previous(read.item.key);
    const owns = previous === undefined ? undefined : ownedRegistration(previous);
    const item = owns === undefined ? read.item : { ...read.item, owns };
    const decision = triage(item, {
      previous,
      listed: existing?.get(item.key, previous?.row),
      listRead: existing !== undefined,
      addsToday: ledger?.addsOnDay(item.key, clock.now()) ?? 0,
      statusChangesToday: ledger?.statusChangesOnDay(item.key, clock.now()) ?? 0,
      accountLimitedUntilMs: this.stop.dailyLimitUntilMs,
      nowMs: clock.now(),
      ...(this.options.statusScopeMissing === undefined ? {} : { statusScopeMissing: this.options.statusScopeMissing }),
    });
    if (decision.kind === "answered" && decision.unmet === true) this.unmet += 1;
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
        this.stop.noteDeferred(decision.untilMs);
        this.recorder.unrecorded(item.seq, decision.row);
        return undefined;
      case "change":
        return { ...item, change: { action: decision.action, registrantId: decision.registrantId, joinUrl: decision.joinUrl, ...(decision.readmit ? { readmit: true } : {}) } };
    }
  }

  /** A dry run's plan for one row: what the real run would do, reported, nothing sent or recorded. */
  private plan(item: SendItem & { line: number | "" }, decision: Decision): void {
    const action = planActionOf(decision);
    if (decision.kind === "send" && item.line !== "") this.options.onWouldSend?.(item.line, item.body);
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
    const singleResults = singleLane(merge(singles, this.oneByOne), add, lane);
    const batchResults =
      batch === undefined
        ? emptyAsync<PoolResult<SendItem[], AddBatchResult>>()
        : batchLane(batchable, { ...lane, ...batch, onQuotaSpent: (item, error) => this.settle.failure(item, error, 0) });
    const statusResults = statusLane(changes, { ...lane, ...this.statusOptions() });
    const readResults = registrantLane(this.readBacks, { ...lane, ...this.registrantOptions() });
    type Tagged =
      | { single: PoolResult<SendItem, AddRegistrantResult> }
      | { batch: PoolResult<SendItem[], AddBatchResult> }
      | { status: PoolResult<SendItem[], { trackingId: string | undefined }> }
      | { read: PoolResult<SendItem, AfterApproval> }
      | { ended: "batch" | "status" | "read" };
    // A lane's end travels behind its last result, so what that result hands on is queued before the
    // queue it feeds is closed. A lane that throws (the input's first record refused) closes both
    // queues at once: the lanes reading them must end for the error to reach the caller.
    const closeQueues = (): void => {
      this.readBacks.close();
      this.oneByOne.close();
    };
    const tagged = merge<Tagged>(
      closingOnError(mapAsync(singleResults, (single) => ({ single })), closeQueues),
      closingOnError(endedBy(mapAsync(batchResults, (result) => ({ batch: result })), { ended: "batch" }), closeQueues),
      closingOnError(endedBy(mapAsync(statusResults, (status) => ({ status })), { ended: "status" }), closeQueues),
      closingOnError(endedBy(mapAsync(readResults, (read) => ({ read })), { ended: "read" }), closeQueues),
    );
    let feedingSingles = 2;
    for await (const next of tagged) {
      if ("single" in next) this.settle.single(next.single);
      else if ("status" in next) this.settle.status(next.status);
      else if ("read" in next) this.settle.afterApproval(next.read);
      else if ("batch" in next) for (const item of this.settle.batch(next.batch)) this.oneByOne.push(item);
      else if (next.ended === "status") this.readBacks.close();
      else if ((feedingSingles -= 1) === 0) this.oneByOne.close();
    }
  }

  private statusOptions(): Pick<StatusLaneOptions, "updateStatus" | "onQuotaSpent"> {
    return {
      updateStatus: this.options.statuses?.updateStatus ?? refuseStatusChange,
      onQuotaSpent: (item, error) => this.settle.failure(item, error, 0),
    };
  }

  private registrantOptions(): { readRegistrant: ReadRegistrant; deleteRegistrant: DeleteRegistrant } {
    const { statuses } = this.options;
    return { readRegistrant: statuses?.readRegistrant ?? refuseStatusChange, deleteRegistrant: statuses?.deleteRegistrant ?? refuseStatusChange };
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
      budgets: this.budgets,
      ...(options.beforeSend === undefined ? {} : { beforeSend: options.beforeSend }),
    };
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
    for (const item of waiting) this.settle.notSent(item);
    // A signal means "stop now": the rest of the input (stdin, maybe still being written) is not read.
    if (!this.stop.stopped || this.stop.internalError !== undefined || this.options.signal?.aborted === true) return;
    for (let next = await this.nextRecord(records); next.done !== true; next = await this.nextRecord(records)) {
      const item = this.decide(next.value);
      if (item !== undefined) this.settle.notSent(item);
      // Nothing is in flight now: rows recorded from Zoom's list wait only for their ledger line.
      await this.recorder.room(neverAborted);
    }
  }

  /**
   * `--prune`, once the whole input was read and sent: cancels zoomreg's own registrants the input no
   * longer names, unless there are more than the guard allows (then nothing is cancelled, exit 2).
   * Their rows follow the input's, with an empty line, in order of email.
   */
  private async prune(): Promise<void> {
    const candidates = this.pruneTargets() ?? [];
    if (candidates.length === 0) return;
    const items = candidates.map((candidate): SendItem => {
      const item: SendItem = {
        seq: this.seq++,
        line: "",
        key: candidate.email,
        bodyHash: "",
        body: { email: candidate.row.email === "" ? candidate.email : candidate.row.email, first_name: candidate.row.first_name, last_name: candidate.row.last_name },
        desired: "cancelled",
        change: { action: "cancel", registrantId: candidate.registrantId, joinUrl: "" },
        owns: candidate.registrantId,
      };
      this.inFlight.set(item.seq, item);
      return item;
    });
    this.options.logger.info({ cancelling: items.length, of: this.prunePass?.owned }, "--prune: cancelling zoomreg's registrants the input no longer has");
    for await (const result of statusLane(fromArray(items), { ...this.laneOptions(), ...this.statusOptions() })) this.settle.status(result);
    await this.finishAfterStop(emptyAsync<RawRecord>()[Symbol.asyncIterator]());
  }

  /** Who a prune would cancel, or undefined when it must not run (the run stops, saying why). */
  private pruneTargets(): PruneCandidate[] | undefined {
    if (this.prunePass === undefined || this.stop.stopped || this.stop.inputError !== undefined) return undefined;
    const targets = this.prunePass.targets(this.validRows);
    if (!(targets instanceof ConfigError)) return targets;
    this.stop.stopFor(targets);
    return undefined;
  }

  /** A dry run's --prune: the people it would cancel, in the plan (or the guard's refusal). */
  private planPrune(): void {
    if (this.options.onPlan === undefined) return;
    for (const candidate of this.pruneTargets() ?? []) this.options.onPlan({ line: "", email: candidate.row.email === "" ? candidate.email : candidate.row.email, action: "cancel" });
  }

  private summary(): PushSummary {
    const { counters, stop } = this;
    return {
      counts: this.recorder.counts,
      rowsRead: this.rowsRead ?? this.seq,
      rowsSent: counters.rowsSent,
      requests: { single: counters.singleRequests, batch: counters.batchRequests },
      durationMs: this.options.clock.now() - this.startedMs,
      fatalError: stop.fatalError ?? stop.inputError,
      dailyLimitUntilMs: stop.dailyLimitUntilMs,
      deferredUntilMs: stop.deferredUntilMs,
      zoomFailures: stop.zoomFailures,
      unmet: this.unmet,
      interrupted: stop.fatalError === undefined && stop.inputError === undefined && stop.dailyLimitUntilMs === undefined && (this.options.signal?.aborted ?? false),
    };
  }
}

function planActionOf(decision: Decision): PlanAction {
  switch (decision.kind) {
    case "send":
      return "add";
    case "change":
      return decision.readmit ? "readmit" : decision.action;
    case "defer":
      return "deferred";
    case "answered":
      return decision.row.status === "unchanged" ? "unchanged" : "existing";
  }
}

/** Without Zoom calls for it (push() from code given only an add): a status change fails with a ConfigError. */
function refuseStatusChange(): Promise<never> {
  return Promise.reject(new ConfigError("this push cannot change registrants' status", { hint: "push from the command line or give push() a Zoom client" }));
}

const neverAborted = new AbortController().signal;

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function* emptyAsync<T>(): AsyncGenerator<T> {
  // Nothing: a lane that has no work.
}

/** Passes `source` on; when it throws, calls `onError` before the error goes on. */
async function* closingOnError<T>(source: AsyncIterable<T>, onError: () => void): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    onError();
    throw error;
  }
}

/** Passes `source` on, then `last` once it has ended. */
async function* endedBy<T, E>(source: AsyncIterable<T>, last: E): AsyncGenerator<T | E> {
  yield* source;
  yield last;
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncGenerator<U> {
  for await (const value of source) yield map(value);
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return { next: () => Promise.resolve(sync.next()), return: () => Promise.resolve({ done: true, value: undefined }) };
}
