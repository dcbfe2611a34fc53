/**
 * What each lane's answer means for its rows, decided and recorded here and only here (issue 10:
 * "three kinds of refusal, one decision each"; issue 17: approvals read back, re-admissions that
 * fall back to delete and add). The lanes send; the recorder writes; this turns one into the other.
 */
import type { Logger } from "pino";
import { ApiError, AuthError, NetworkError, ZoomregError } from "../errors.js";
import type { OutputRow } from "../output/index.js";
import { AttemptNotStarted, type PoolResult } from "../pool/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
import type { AddBatchResult, AddRegistrantResult, EventRef } from "../zoom/client.js";
import type { AfterApproval } from "./lanes.js";
import type { OutcomeRecorder } from "./recorder.js";
import { judgeFailure, type Verdict } from "./refusal.js";
import { itemRow, type SendItem } from "./rows.js";
import { messageOf, type StopPolicy } from "./stop-policy.js";
import { nextUtcMidnightMs } from "../zoom/retry-after.js";

export interface SettlementOptions {
  event: EventRef;
  ledger: EventLedger<OutputRow> | undefined;
  clock: Clock;
  logger: Logger;
  /** The caller's signal: a row not sent after it says "interrupted". */
  signal: AbortSignal | undefined;
  recorder: OutcomeRecorder;
  stop: StopPolicy;
  /** Items handed to a lane whose result has not come back. */
  inFlight: Map<number, SendItem>;
  /** An approval Zoom took: read the registrant back for the join_url (the registrant lane); undefined: not read. */
  readBack: ((item: SendItem) => void) | undefined;
  /** A person to add afresh (the single lane): a re-admission Zoom would not approve. */
  readd: (item: SendItem) => void;
}

export class Settlement {
  constructor(private readonly options: SettlementOptions) {}

  single(result: PoolResult<SendItem, AddRegistrantResult>): void {
    this.options.inFlight.delete(result.item.seq);
    if (result.ok) this.registered(result.item, result.value);
    else this.failure(result.item, result.error, result.attempts, result.gaveUp === "aborted");
  }

  /** Records a batch's rows; returns those to send again one by one (a batch refused for one of its rows). */
  batch(result: PoolResult<SendItem[], AddBatchResult>): SendItem[] {
    const { inFlight, recorder, logger, stop } = this.options;
    for (const item of result.item) inFlight.delete(item.seq);
    if (result.ok) {
      const byEmail = new Map(result.value.registrants.map((entry) => [entry.email.toLowerCase(), entry]));
      for (const item of result.item) {
        const entry = byEmail.get(item.key);
        if (entry !== undefined) this.registered(item, { ...entry, trackingId: result.value.trackingId });
        // Executed, but Zoom did not say for whom: the next run's list tells.
        else recorder.outcome(item, itemRow(item, "failed", { error_message: "missing from Zoom's batch answer" }), false);
      }
      return [];
    }
    const verdict = this.judge(result.item[0], result.error);
    if (verdict.kind === "row-final" || verdict.kind === "registrant-daily") {
      // One bad row refuses all 30 (PEERS.md) and nothing was executed (the lane gave the adds back):
      // each row is tried alone, where its own answer shows.
      logger.warn({ rows: result.item.length, error: messageOf(result.error) }, "batch refused as a whole: sending its rows one by one");
      for (const item of result.item) inFlight.set(item.seq, item);
      return result.item;
    }
    const stoppedWaiting = result.gaveUp === "aborted";
    for (const item of result.item) this.failure(item, result.error, result.attempts, stoppedWaiting, verdict, true);
    if (verdict.kind === "transient" && !stoppedWaiting && !(result.error instanceof AttemptNotStarted)) stop.zoomFailed(result.error, result.attempts);
    return [];
  }

  /**
   * A status change: cancellations and denials are done; an approval is read back (its join_url). A
   * re-admission Zoom refused goes the same way: the read shows it was not approved, and the person
   * is deleted and added afresh.
   */
  status(result: PoolResult<SendItem[], { trackingId: string | undefined }>): void {
    const { inFlight, recorder, stop } = this.options;
    for (const item of result.item) inFlight.delete(item.seq);
    if (!result.ok) {
      const verdict = this.judge(result.item[0], result.error);
      const { readBack } = this.options;
      for (const item of result.item) {
        if (verdict.kind === "row-final" && item.change?.readmit === true && readBack !== undefined) this.follow(item, readBack);
        else this.failure(item, result.error, result.attempts, result.gaveUp === "aborted", verdict, true);
      }
      return;
    }
    stop.zoomAnswered();
    for (const item of result.item) {
      const change = item.change;
      if (change === undefined) continue;
      const { readBack } = this.options;
      if (change.action === "approve" && readBack !== undefined) {
        this.follow({ ...item, approved: true }, readBack);
        continue;
      }
      const status = change.action === "approve" ? "approved" : change.action === "cancel" ? "cancelled" : "denied";
      recorder.outcome(item, itemRow(item, status, { registrant_id: change.registrantId, join_url: change.action === "approve" ? change.joinUrl : "", tracking_id: result.value.trackingId ?? "" }), true);
    }
  }

  /** What the read after an approval found (registrantLane). */
  afterApproval(result: PoolResult<SendItem, AfterApproval>): void {
    const { item } = result;
    const { inFlight, recorder, stop } = this.options;
    inFlight.delete(item.seq);
    const registrantId = item.change?.registrantId ?? "";
    if (!result.ok) {
      const verdict = this.judge(item, result.error);
      if (verdict.kind === "stop" || verdict.kind === "internal") return this.failure(item, result.error, result.attempts, result.gaveUp === "aborted", verdict);
      if (verdict.kind === "transient") stop.zoomFailed(result.error, result.attempts);
      // The approval was taken; only its join_url is missing, and Zoom's list brings it next run.
      if (item.change?.readmit !== true) {
        return recorder.outcome(item, itemRow(item, "approved", { registrant_id: registrantId, error_message: `approved; reading its join_url failed (${messageOf(result.error)}): the next run fills it in` }), false);
      }
      return this.keep(item, itemRow(item, "failed", { registrant_id: registrantId, error_message: `not re-admitted: reading the registrant failed (${messageOf(result.error)}); the next run tries again` }));
    }
    stop.zoomAnswered();
    const after = result.value;
    switch (after.kind) {
      case "approved":
        recorder.outcome(item, itemRow(item, "approved", { registrant_id: registrantId, join_url: after.joinUrl, tracking_id: after.trackingId ?? "" }), true);
        return;
      case "readd": {
        // A new add: neither the status change nor its approval is this item's any more.
        const { change: _change, approved: _approved, ...fresh } = item;
        return this.follow({ ...fresh, readd: true }, this.options.readd);
      }
      case "readd-tomorrow": {
        const untilMs = nextUtcMidnightMs(this.options.clock.now());
        stop.noteDeferred(untilMs);
        return recorder.unrecorded(item.seq, itemRow(item, "deferred", { registrant_id: registrantId, error_message: `not re-admitted today: Zoom would not approve them again, and adding them afresh needs one of their 3 adds a day, spent; deferred until ${new Date(untilMs).toISOString()}`, deferred_until: new Date(untilMs).toISOString() }));
      }
      case "not-approved":
        return recorder.outcome(item, itemRow(item, "failed", { registrant_id: registrantId, error_message: `Zoom took the approval, yet lists the registrant as ${after.status}: the next run tries again` }), false);
    }
  }

  registered(item: SendItem, value: Pick<AddRegistrantResult, "registrantId" | "joinUrl" | "participantPinCode" | "trackingId">): void {
    this.options.stop.zoomAnswered();
    const row = itemRow(item, value.joinUrl === undefined ? "pending_approval" : "registered", {
      registrant_id: value.registrantId,
      join_url: value.joinUrl ?? "",
      participant_pin_code: value.participantPinCode ?? "",
      tracking_id: value.trackingId ?? "",
    });
    this.options.recorder.outcome(item, row, true, true, true);
  }

  /** One failed row: one decision per kind of refusal (refusal.ts), recorded here and only here. */
  failure(item: SendItem, error: unknown, attempts: number, stoppedWaiting = false, verdict = this.judge(item, error), partOfBatch = false): void {
    const { inFlight, recorder, stop } = this.options;
    inFlight.delete(item.seq);
    const trackingId = trackingIdOf(error);
    const failed = (): OutputRow =>
      itemRow(item, "failed", { error_code: errorCodeOf(error), error_message: `${messageOf(error)} (after ${attempts} attempt${attempts === 1 ? "" : "s"})`, tracking_id: trackingId });
    switch (verdict.kind) {
      case "row-final":
        stop.zoomAnswered();
        this.record(item, failed(), true);
        return;
      case "transient":
        if (error instanceof AttemptNotStarted) return this.notSent(item);
        this.record(item, failed(), false);
        // A retry cut short by the stop, or one row of a batch (counted once for the batch), is not a new failure.
        if (!stoppedWaiting && !partOfBatch) stop.zoomFailed(error, attempts);
        return;
      case "registrant-daily":
      case "account-daily":
        if (verdict.kind === "account-daily") stop.stopForDailyLimit(verdict.retryAtMs);
        stop.noteDeferred(verdict.retryAtMs);
        recorder.outcome(item, itemRow(item, "deferred", { error_code: errorCodeOf(error), error_message: messageOf(error), tracking_id: trackingId, deferred_until: new Date(verdict.retryAtMs).toISOString() }), false);
        return;
      case "stop":
        stop.stopFor(verdict.error);
        return this.notSent(item);
      case "internal":
        // A configuration or disk error (a lost lock included) stops the run like the event's would
        // (the summary still says what was done); a bug is rethrown once what is in flight is recorded (exit 70).
        if (verdict.error instanceof ZoomregError) stop.stopFor(verdict.error);
        else stop.stopForBug(verdict.error);
        return this.notSent(item);
    }
  }

  /**
   * A row the run stopped before Zoom executed it: nothing goes to the ledger, so the next run sends
   * it. After the account's daily limit it is deferred until then (issue 17), whether it was waiting
   * for a permit or not yet read.
   */
  notSent(item: SendItem): void {
    const { stop, recorder } = this.options;
    if (item.approved === true) {
      // Zoom took the approval; the run stopped before its join_url was read, and the next run's list brings it.
      recorder.outcome(item, itemRow(item, "approved", { registrant_id: item.change?.registrantId ?? "", error_message: "approved; the run stopped before reading its join_url: the next run fills it in" }), false);
      return;
    }
    const untilMs = stop.dailyLimitUntilMs;
    if (untilMs !== undefined) {
      recorder.unrecorded(item.seq, itemRow(item, "deferred", { error_message: "not sent: the account reached Zoom's daily limit", deferred_until: new Date(untilMs).toISOString() }));
      return;
    }
    const reason = stop.fatalError?.message ?? (this.options.signal?.aborted === true ? "interrupted" : "the run stopped");
    recorder.unrecorded(item.seq, itemRow(item, "not_sent", { error_message: `not sent: ${reason}; the next run sends it` }));
  }

  private judge(item: SendItem | undefined, error: unknown): Verdict {
    const { ledger, clock, event } = this.options;
    const addsToday = item === undefined ? 0 : (ledger?.addsOnDay(item.key, clock.now()) ?? 0);
    return judgeFailure(error, { event, addsToday, nowMs: clock.now() });
  }

  /** Hands an item on to another lane; it stays in flight until that lane answers. */
  private follow(item: SendItem, to: (item: SendItem) => void): void {
    this.options.inFlight.set(item.seq, item);
    to(item);
  }

  /**
   * A failure's row, recorded, except for a re-admission: its ledger row must go on saying that
   * zoomreg cancelled the person, so that the next run re-admits them rather than take Zoom's
   * denial for the host's.
   */
  private record(item: SendItem, row: OutputRow, final: boolean): void {
    if (item.change?.readmit === true) this.keep(item, row);
    else this.options.recorder.outcome(item, row, final);
  }

  private keep(item: SendItem, row: OutputRow): void {
    this.options.recorder.unrecorded(item.seq, row);
  }
}

function errorCodeOf(error: unknown): string {
  if (error instanceof ApiError) return String(error.code ?? error.status);
  if (error instanceof AuthError) return String(error.code ?? error.status ?? "");
  return error instanceof NetworkError ? "network" : "";
}

function trackingIdOf(error: unknown): string {
  return error instanceof ApiError ? (error.trackingId ?? "") : "";
}
