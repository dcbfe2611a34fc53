import type { RowStatus } from "../output/index.js";

const registeredStatuses: ReadonlySet<RowStatus> = new Set(["registered", "existing", "pending_approval"]);

/** What this run did to the rows so far: new sends apart from rows answered from the ledger or Zoom's list. */
export class RowTally {
  readonly byStatus: Record<RowStatus, number> = { registered: 0, pending_approval: 0, existing: 0, failed: 0, deferred: 0, invalid: 0, duplicate: 0, not_sent: 0, approved: 0, cancelled: 0, denied: 0, unchanged: 0 };
  rows = 0;
  /** Rows whose add went to Zoom in this run, whatever came of it. */
  sent = 0;
  /** Registered by an add of this run (not awaiting approval). */
  registeredNow = 0;
  /** Awaiting the host's approval after an add of this run. */
  pendingApprovalNow = 0;
  /** Registered before this run: answered from the ledger or Zoom's list without sending. */
  alreadyRegistered = 0;

  /** Adds another tally's counts to this one (a run of many events: the total of its events). */
  addTally(other: RowTally): void {
    for (const [status, count] of Object.entries(other.byStatus) as [RowStatus, number][]) this.byStatus[status] += count;
    this.rows += other.rows;
    this.sent += other.sent;
    this.registeredNow += other.registeredNow;
    this.pendingApprovalNow += other.pendingApprovalNow;
    this.alreadyRegistered += other.alreadyRegistered;
  }

  add(status: RowStatus, sentThisRun: boolean): void {
    this.rows++;
    this.byStatus[status]++;
    if (sentThisRun) this.sent++;
    if (sentThisRun && status === "registered") this.registeredNow++;
    if (sentThisRun && status === "pending_approval") this.pendingApprovalNow++;
    if (!sentThisRun && registeredStatuses.has(status)) this.alreadyRegistered++;
  }
}

