/**
 * What the organisation's list says a person should be, and what that asks of Zoom given what Zoom's
 * registrant list shows (issue 13: "desired state, not only adds"). Pure.
 */
import type { RegistrantAction } from "../zoom/client.js";

/** A row's `status` column: what the person should be on the event. */
export type DesiredStatus = "registered" | "cancelled" | "denied";

/** A status column's words for each desired status: what lets auto-mapping take a column as one. */
const statusWords: Readonly<Record<string, DesiredStatus>> = {
  "": "registered",
  registered: "registered",
  register: "registered",
  approved: "registered",
  approve: "registered",
  cancelled: "cancelled",
  canceled: "cancelled",
  cancel: "cancelled",
  denied: "denied",
  deny: "denied",
  rejected: "denied",
};

/**
 * Yes/no spellings, read only from a column mapped with `--map status=<column>` (issue 17): a
 * spreadsheet's FALSE or a CRM's 0 in a column that merely happens to be called "Status" must never
 * cancel anyone.
 */
const booleanWords: Readonly<Record<string, DesiredStatus>> = {
  yes: "registered",
  y: "registered",
  true: "registered",
  "1": "registered",
  no: "cancelled",
  n: "cancelled",
  false: "cancelled",
  "0": "cancelled",
};

function cellText(cell: unknown): string | undefined {
  if (cell === undefined || cell === null) return "";
  return typeof cell === "string" || typeof cell === "number" || typeof cell === "boolean" ? String(cell).trim().toLowerCase() : undefined;
}

/**
 * The desired status a cell spells, or a reason the row is invalid. `stated`: the column was named
 * with `--map status=`, so yes/no spellings count too.
 */
export function parseDesiredStatus(cell: unknown, stated: boolean): { ok: true; status: DesiredStatus } | { ok: false; reason: string } {
  const text = cellText(cell);
  const status = text === undefined ? undefined : (statusWords[text] ?? (stated ? booleanWords[text] : undefined));
  if (status !== undefined) return { ok: true, status };
  const spellings = stated ? "registered (or approved, yes, 1, empty), cancelled (or no, 0) or denied" : "registered (or approved, empty), cancelled or denied";
  return { ok: false, reason: `status: ${JSON.stringify(cell)} is not a status: use ${spellings}` };
}

/** Whether auto-mapping may read this cell as a desired status: a status word or empty, never a yes/no. */
export function isStatusWord(cell: unknown): boolean {
  const text = cellText(cell);
  return text !== undefined && statusWords[text] !== undefined;
}

/** Where Zoom's list puts a person: its statuses, or not listed at all. */
export type ListedStatus = "approved" | "pending" | "denied" | undefined;

/** What to do about one person: add them, change their status, or nothing. */
export type Change = { kind: "add" } | { kind: "status"; action: RegistrantAction } | { kind: "none" };

/**
 * The change that makes Zoom match the list. A cancelled or denied person Zoom does not list is
 * already as wanted; Zoom lists a cancelled registration as denied (the fake does; unconfirmed for
 * Zoom), so a denied listing satisfies both. A person who should be registered and is denied is
 * approved again (re-admitted, issue 17): the list says so in so many words.
 */
export function changeFor(desired: DesiredStatus, listed: ListedStatus): Change {
  switch (desired) {
    case "registered":
      if (listed === undefined) return { kind: "add" };
      return listed === "approved" ? { kind: "none" } : { kind: "status", action: "approve" };
    case "cancelled":
      return listed === "approved" || listed === "pending" ? { kind: "status", action: "cancel" } : { kind: "none" };
    case "denied":
      return listed === "approved" || listed === "pending" ? { kind: "status", action: "deny" } : { kind: "none" };
  }
}
