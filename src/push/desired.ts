/**
 * What the organisation's list says a person should be, and what that asks of Zoom given what Zoom's
 * registrant list shows (issue 13: "desired state, not only adds"). Pure.
 */
import type { RegistrantAction } from "../zoom/client.js";

/** A row's `status` column: what the person should be on the event. */
export type DesiredStatus = "registered" | "cancelled" | "denied";

const spellings: Readonly<Record<string, DesiredStatus>> = {
  "": "registered",
  registered: "registered",
  register: "registered",
  approved: "registered",
  approve: "registered",
  yes: "registered",
  y: "registered",
  true: "registered",
  "1": "registered",
  cancelled: "cancelled",
  canceled: "cancelled",
  cancel: "cancelled",
  no: "cancelled",
  n: "cancelled",
  false: "cancelled",
  "0": "cancelled",
  denied: "denied",
  deny: "denied",
  rejected: "denied",
};

/** The desired status a cell spells, or a reason the row is invalid. */
export function parseDesiredStatus(cell: unknown): { ok: true; status: DesiredStatus } | { ok: false; reason: string } {
  const text = typeof cell === "string" || typeof cell === "number" || typeof cell === "boolean" ? String(cell).trim().toLowerCase() : cell === undefined || cell === null ? "" : undefined;
  const status = text === undefined ? undefined : spellings[text];
  if (status !== undefined) return { ok: true, status };
  return { ok: false, reason: `status: ${JSON.stringify(cell)} is not a status: use registered (or approved, yes, 1, empty), cancelled (or no, 0) or denied` };
}

/** Where Zoom's list puts a person: its statuses, or not listed at all. */
export type ListedStatus = "approved" | "pending" | "denied" | undefined;

/** What to do about one person: add them, change their status, or nothing. */
export type Change = { kind: "add" } | { kind: "status"; action: RegistrantAction } | { kind: "none" };

/**
 * The change that makes Zoom match the list. A cancelled or denied person Zoom does not list is
 * already as wanted; Zoom lists a cancelled registration as denied (the fake does; unconfirmed for
 * Zoom), so a denied listing satisfies both.
 */
export function changeFor(desired: DesiredStatus, listed: ListedStatus): Change {
  switch (desired) {
    case "registered":
      if (listed === undefined) return { kind: "add" };
      return listed === "pending" ? { kind: "status", action: "approve" } : { kind: "none" };
    case "cancelled":
      return listed === "approved" || listed === "pending" ? { kind: "status", action: "cancel" } : { kind: "none" };
    case "denied":
      return listed === "approved" || listed === "pending" ? { kind: "status", action: "deny" } : { kind: "none" };
  }
}
