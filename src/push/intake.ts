/**
 * The intake of a push: records read lazily as the lanes pull (backpressure reaches back to the file),
 * each read into a rejection or an item (rows.ts) and triaged (triage.ts) against what the ledger and
 * Zoom's list know; what need not be sent is recorded on the way, what must be sent is yielded. Also
 * the dry run's plan, which is the same decisions reported instead of sent (issue 17).
 */
import type { Logger } from "pino";
import { AuthError, InputError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow } from "../output/index.js";
import type { RegistrantBody } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
import type { RegistrantLookup } from "./listed.js";
import { ownedRegistration } from "./ownership.js";
import type { OutcomeRecorder } from "./recorder.js";
import { itemRow, type RowReader, type SendItem } from "./rows.js";
import type { StopPolicy } from "./stop-policy.js";
import { triage, type Decision } from "./triage.js";
import type { PlanAction, PlanEntry } from "./plan.js";

export interface IntakeOptions {
  reader: RowReader;
  recorder: OutcomeRecorder;
  stop: StopPolicy;
  /** Items handed to a lane whose result has not come back. */
  inFlight: Map<number, SendItem>;
  ledger: EventLedger<OutputRow> | undefined;
  /** Zoom's list; undefined with --no-reconcile. */
  existing: RegistrantLookup | undefined;
  clock: Clock;
  logger: Logger;
  /** False for a dry run: nothing is sent. */
  sends: boolean;
  /** A dry run against Zoom's list: each row's decision, reported. */
  onPlan: ((entry: PlanEntry) => void) | undefined;
  onWouldSend: ((line: number, body: RegistrantBody, occurrenceIds: readonly string[]) => void) | undefined;
  decideStatusColumn: ((column: string) => Promise<{ use: true } | { use: false; reason: string }>) | undefined;
  statusScopeMissing: string | undefined;
  /** The run prunes: a push that will change statuses is refused without the status scope. */
  prunes: boolean;
}

export class Intake {
  /** Records read, and the next record's place in the input (0-based). */
  seq = 0;
  /** Valid input rows: a prune refuses an input with none. */
  validRows = 0;
  /** Rows left other than they ask, on purpose (a host's denial). */
  unmet = 0;

  constructor(private readonly options: IntakeOptions) {}

  /**
   * Reads records lazily as the lanes pull, so backpressure reaches back to the file; yields only what
   * must be sent and records everything else on the way.
   */
  async *sendable(records: AsyncIterator<RawRecord>): AsyncGenerator<SendItem> {
    while (!this.options.stop.stopped) {
      await this.options.recorder.room(this.options.stop.signal);
      if (this.options.stop.stopped) return;
      const next = await this.nextRecord(records);
      if (next.done === true) return;
      if (this.seq === 0) await this.beforeFirstRow(next.value);
      const item = this.decide(next.value);
      if (item === undefined) continue;
      this.options.inFlight.set(item.seq, item);
      yield item;
    }
  }

  /**
   * What the first record settles for the whole input, before anything is sent: whether a status
   * column found by its name is the desired state (every value must be a status word, issue 17), and
   * that a push which will change statuses holds the scope for it (exit 3 before the first change).
   */
  private async beforeFirstRow(record: RawRecord): Promise<void> {
    const column = this.options.reader.statusColumnToDecide(record);
    if (column !== undefined) {
      const verdict = (await this.options.decideStatusColumn?.(column)) ?? { use: false, reason: "its values cannot be read ahead" };
      this.options.reader.useFoundStatus({ column, use: verdict.use });
      if (!verdict.use) {
        this.options.logger.warn(`the column ${JSON.stringify(column)} is not read as the desired state (${verdict.reason}): pass --map status=${column} to use it, or --no-status to leave it without this notice`);
      }
    }
    const { statusScopeMissing, prunes } = this.options;
    if (statusScopeMissing !== undefined && (this.options.reader.readsStatus || prunes)) {
      const what = prunes ? "--prune cancels people" : "the status column changes registrants' status";
      throw new AuthError(`${what}, and the credentials lack ${statusScopeMissing}: nothing was changed`, undefined, 4711, {
        hint: `add ${statusScopeMissing} to the Server-to-Server OAuth app's scopes (marketplace.zoom.us > Manage > your app > Scopes), activate the app again, and run again`,
      });
    }
  }

  /**
   * The next record; an input error mid-file ends the input instead of the run (issue 11): what was
   * read is still sent and recorded, and the run then stops with that error.
   */
  async nextRecord(records: AsyncIterator<RawRecord>): Promise<IteratorResult<RawRecord>> {
    try {
      return await records.next();
    } catch (error) {
      if (!(error instanceof InputError) || this.seq === 0) throw error;
      this.options.stop.endInput(error);
      return { done: true, value: undefined };
    }
  }

  /** Reads and triages one record; returns the item when it is to be sent. */
  decide(record: RawRecord): SendItem | undefined {
    const read = this.options.reader.read(record, this.seq++);
    if (read.kind === "rejected") {
      this.options.recorder.reject(this.seq - 1, read.row, read.reject);
      return undefined;
    }
    this.validRows += 1;
    if (!this.options.sends && this.options.onPlan === undefined) {
      this.options.onWouldSend?.(read.item.line, read.item.body, read.item.occurrenceIds);
      this.options.recorder.unrecorded(read.item.seq, itemRow(read.item, "registered"));
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
      accountLimitedUntilMs: this.options.stop.dailyLimitUntilMs,
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
        if (decision.record) this.options.recorder.outcome(item, decision.row, true, false);
        else this.options.recorder.unrecorded(item.seq, decision.row);
        return undefined;
      case "defer":
        this.options.stop.noteDeferred(decision.untilMs);
        this.options.recorder.unrecorded(item.seq, decision.row);
        return undefined;
      case "change":
        return { ...item, change: { action: decision.action, registrantId: decision.registrantId, joinUrl: decision.joinUrl, ...(decision.readmit ? { readmit: true } : {}) } };
    }
  }

  /** A dry run's plan for one row: what the real run would do, reported, nothing sent or recorded. */
  private plan(item: SendItem & { line: number | "" }, decision: Decision): void {
    const action = planActionOf(decision);
    if (decision.kind === "send" && item.line !== "") this.options.onWouldSend?.(item.line, item.body, item.occurrenceIds);
    this.options.onPlan?.({ line: item.line, email: item.body.email, action });
    this.options.recorder.unrecorded(item.seq, decision.kind === "send" || decision.kind === "change" ? itemRow(item, "registered") : decision.row);
  }

  /**
   * After the lanes stop early (the daily limit, the event, Zoom down, a signal), the rest of the
   * input is read too, except after a signal: every row gets its output row, answered from what the
   * ledger and Zoom's list already say, so the output that replaces the last one still holds everyone
   * registered (issue 11). `unsent` hears of each row that would have been sent.
   */
  async drainRest(records: AsyncIterator<RawRecord>, unsent: (item: SendItem) => void): Promise<void> {
    for (let next = await this.nextRecord(records); next.done !== true; next = await this.nextRecord(records)) {
      const item = this.decide(next.value);
      if (item !== undefined) unsent(item);
      // Nothing is in flight now: rows recorded from Zoom's list wait only for their ledger line.
      await this.options.recorder.room(neverAborted);
    }
  }
}

const neverAborted = new AbortController().signal;

export function planActionOf(decision: Decision): PlanAction {
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
