/**
 * The decision about one valid row before anything is sent: answer it from what is already known
 * (Zoom's list, an earlier run's outcome), defer it, or send it. Pure: what the ledger and Zoom's list
 * say is passed in, a decision comes out (issue 10: "Zoom's list is the truth").
 */
import type { OutputRow } from "../output/index.js";
import type { DoneLine } from "../state/index.js";
import { nextUtcMidnightMs } from "../zoom/retry-after.js";
import type { ExistingRegistrant } from "./listed.js";
import type { RegistrantAction } from "../zoom/client.js";
import { changeFor, type ListedStatus } from "./desired.js";
import { maxAddsPerRegistrantPerDay, maxStatusChangesPerRegistrantPerDay } from "./refusal.js";
import { itemRow, type SendItem } from "./rows.js";

export interface Knowledge {
  /** The last outcome an earlier run recorded for this email. */
  previous: DoneLine<OutputRow> | undefined;
  /** This person on Zoom's list of the event's registrants (undefined: not listed, or no list). */
  listed: ExistingRegistrant | undefined;
  /**
   * Zoom's list was read (the default; not with --no-reconcile): then it alone says who is on the
   * event, and a registration the ledger recorded that the list does not show is gone (issue 17).
   */
  listRead?: boolean;
  /** Adds the ledger counts for this person in the current UTC day. */
  addsToday: number;
  /** Set once the account's daily limit has stopped sending. */
  accountLimitedUntilMs: number | undefined;
  nowMs: number;
  /** Status changes the ledger counts for this person today (Zoom allows 10); 0 when not given. */
  statusChangesToday?: number;
  /** Set when the token is known to lack the scope status changes need: the scope to add. */
  statusScopeMissing?: string;
}

export type Decision =
  /**
   * Known without sending. `record`: this run learnt it (from Zoom's list), so the ledger is told.
   * `unmet`: the person is not as the row asks, and zoomreg leaves it so (a host's denial): exit 1.
   */
  | { kind: "answered"; row: OutputRow; record: boolean; unmet?: true }
  | { kind: "defer"; row: OutputRow; untilMs: number }
  /**
   * The person is on the event, not as the list says they should be: approve, cancel or deny them.
   * `readmit`: an approval of someone Zoom holds as denied or cancelled (issue 17, "bringing people back").
   */
  | { kind: "change"; action: RegistrantAction; registrantId: string; joinUrl: string; readmit: boolean }
  | { kind: "send" };

export function triage(item: SendItem, known: Knowledge): Decision {
  const { previous, listed } = known;
  const onZoom = listedStatus(listed);
  if (item.desired !== undefined) {
    const change = changeFor(item.desired, onZoom);
    if (change.kind === "status" && listed !== undefined) return changeStatus(item, change.action, listed, known, onZoom === "denied");
    if (item.desired !== "registered") return { kind: "answered", row: unchangedRow(item, listed, previous), record: false };
  } else if (onZoom === "denied" && listed !== undefined) {
    // Without a status column only zoomreg's own cancellation is undone: a host's denial stands.
    return removedByZoomreg(previous, listed.registrantId) ? changeStatus(item, "approve", listed, known, true) : { kind: "answered", row: hostDeniedRow(item, listed), record: false, unmet: true };
  }
  if (listed !== undefined) return fromList(item, listed, previous);
  if (known.listRead === true) return notListed(item, known);
  // Without Zoom's list the ledger answers (--no-reconcile). A final failure only while the row is
  // unchanged: a fixed row is sent again.
  if (previous?.final === true && (previous.row.status !== "failed" || previous.bodyHash === item.bodyHash)) {
    return { kind: "answered", row: { ...previous.row, line: item.line }, record: false };
  }
  return sendWithinLimits(item, known);
}

/**
 * Zoom's list decides (issue 17): a person it does not show is not on the event, whatever the ledger
 * recorded (the host deleted them, the event was reset), and is sent again. Only Zoom's own refusal
 * of this very row still answers it. A person zoomreg cancelled that Zoom lists nowhere (Zoom may list
 * cancelled registrations in no list: docs/zoom-facts.md) is approved again first, by their old id.
 */
function notListed(item: SendItem, known: Knowledge): Decision {
  const { previous } = known;
  if (previous?.final === true && previous.row.status === "failed" && previous.bodyHash === item.bodyHash) {
    return { kind: "answered", row: { ...previous.row, line: item.line }, record: false };
  }
  const removedId = previous?.row.registrant_id ?? "";
  if (removedId !== "" && removedByZoomreg(previous, removedId)) {
    return changeStatus(item, "approve", { registrantId: removedId, joinUrl: "", status: "denied" }, known, true);
  }
  return sendWithinLimits(item, known);
}

function sendWithinLimits(item: SendItem, known: Knowledge): Decision {
  if (known.accountLimitedUntilMs !== undefined) return defer(item, known.accountLimitedUntilMs, "not sent: the account reached Zoom's daily limit");
  const quota = quotaDecision(known.addsToday, known.nowMs);
  if (quota !== undefined) return defer(item, quota.untilMs, quota.reason);
  return { kind: "send" };
}

/** Zoom lists the person: that is the row, whatever the ledger said (a `failed` outcome included). */
function fromList(item: SendItem, listed: ExistingRegistrant, previous: DoneLine<OutputRow> | undefined): Decision {
  const earlier = previous?.row;
  if (earlier !== undefined && earlier.registrant_id === listed.registrantId && answeredStatuses.has(earlier.status)) {
    // The ledger's row for this very registration: kept (its tracking id), with a join_url the list
    // brings that it lacks (approved since). The list may leave out join_urls the ledger holds.
    if (listed.joinUrl === "" || listed.joinUrl === earlier.join_url) return { kind: "answered", row: { ...earlier, line: item.line }, record: false };
    const status = earlier.status === "pending_approval" ? "registered" : earlier.status;
    return { kind: "answered", row: { ...earlier, line: item.line, status, join_url: listed.joinUrl }, record: true };
  }
  return { kind: "answered", row: itemRow(item, "existing", { registrant_id: listed.registrantId, join_url: listed.joinUrl }), record: true };
}

/** Outcomes that name a registration Zoom may still list. */
const answeredStatuses: ReadonlySet<string> = new Set(["registered", "pending_approval", "existing"]);

/** Whether zoomreg's own last change to this registration was to cancel or deny it (a prune, a status column). */
function removedByZoomreg(previous: DoneLine<OutputRow> | undefined, registrantId: string): boolean {
  const row = previous?.row;
  return row !== undefined && (row.status === "cancelled" || row.status === "denied") && row.registrant_id === registrantId;
}

function listedStatus(listed: ExistingRegistrant | undefined): ListedStatus {
  const status = listed?.status;
  return status === "approved" || status === "pending" || status === "denied" ? status : undefined;
}

/** Approve, cancel or deny, unless this person's 10 status changes today are spent. */
function changeStatus(item: SendItem, action: RegistrantAction, listed: ExistingRegistrant, known: Knowledge, readmit: boolean): Decision {
  if (known.statusScopeMissing !== undefined) {
    const reason = `not ${action === "approve" ? "approved" : "changed"}: the credentials lack ${known.statusScopeMissing}; add it to the app (zoomreg check names it) and run again`;
    return { kind: "answered", row: itemRow(item, "failed", { registrant_id: listed.registrantId, error_message: reason }), record: false };
  }
  const changes = known.statusChangesToday ?? 0;
  if (changes >= maxStatusChangesPerRegistrantPerDay) {
    const untilMs = nextUtcMidnightMs(known.nowMs);
    return defer(item, untilMs, `not changed: ${changes} status changes already sent today for this registrant (Zoom allows ${maxStatusChangesPerRegistrantPerDay} a day); deferred until ${new Date(untilMs).toISOString()}`);
  }
  return { kind: "change", action, registrantId: listed.registrantId, joinUrl: listed.joinUrl, readmit };
}

/** A person already as the list wants them (cancelled or denied, or not on the event at all). */
function unchangedRow(item: SendItem, listed: ExistingRegistrant | undefined, previous: DoneLine<OutputRow> | undefined): OutputRow {
  return itemRow(item, "unchanged", { registrant_id: listed?.registrantId ?? previous?.row.registrant_id ?? "" });
}

/** A person the host denied in Zoom, with no status column to say otherwise: the host's decision stands. */
export const hostDeniedMessage = "denied in Zoom, not by zoomreg: left as the host decided (a status column saying registered approves them again)";

function hostDeniedRow(item: SendItem, listed: ExistingRegistrant): OutputRow {
  return itemRow(item, "denied", { registrant_id: listed.registrantId, error_message: hostDeniedMessage });
}

/** The one quota rule: never a 4th add of a person in one UTC day. Undefined: an add may go. */
export function quotaDecision(addsToday: number, nowMs: number): { untilMs: number; reason: string } | undefined {
  if (addsToday < maxAddsPerRegistrantPerDay) return undefined;
  const untilMs = nextUtcMidnightMs(nowMs);
  return { untilMs, reason: `not sent: ${addsToday} adds already sent today for this registrant (Zoom allows ${maxAddsPerRegistrantPerDay} a day); deferred until ${new Date(untilMs).toISOString()}` };
}

function defer(item: SendItem, untilMs: number, reason: string): Decision {
  return { kind: "defer", untilMs, row: itemRow(item, "deferred", { error_message: reason, deferred_until: new Date(untilMs).toISOString() }) };
}
