import type { CsvFormulas } from "./encode.js";

/** One line of the output file: what happened to one input row. */
/**
 * `not_sent`: the run stopped (the event refused everyone, Zoom was down, a signal) before this row was
 * sent or executed; nothing about it is recorded, so the next run sends it.
 */
export type RowStatus =
  | "registered"
  | "pending_approval"
  | "existing"
  | "failed"
  | "deferred"
  | "invalid"
  | "duplicate"
  | "not_sent"
  /** What a status column (or --prune) changed: the host's approval given, the registration cancelled or denied. */
  | "approved"
  | "cancelled"
  | "denied"
  /** A person the list wants cancelled or denied who already is (or is not on the event). */
  | "unchanged";

export interface OutputRow {
  /** The input line (csv, tsv, ndjson) or record number (json) the row came from. */
  /** Empty for a row the input did not have (a registrant --prune cancelled). */
  line: number | "";
  email: string;
  first_name: string;
  last_name: string;
  status: RowStatus;
  registrant_id: string;
  join_url: string;
  participant_pin_code: string;
  error_code: string;
  error_message: string;
  tracking_id: string;
  /** For `deferred` rows: when Zoom will accept them again (ISO-8601 UTC). */
  deferred_until: string;
}

export const outputColumns: readonly (keyof OutputRow)[] = [
  "line",
  "email",
  "first_name",
  "last_name",
  "status",
  "registrant_id",
  "join_url",
  "participant_pin_code",
  "error_code",
  "error_message",
  "tracking_id",
  "deferred_until",
];

/**
 * What a column holds, for CSV's formula guard (encode.ts): `text` a person typed or a message, guarded
 * unless `--csv-formulas keep`; `id` an identifier, number, date or status, always written as it is
 * (an email or a registrant id with a `'` in front is another value). A Record, so a new column cannot
 * be added without saying which it is.
 */
export type CellKind = "id" | "text";

export const outputCellKinds: Readonly<Record<keyof OutputRow, CellKind>> = {
  line: "id",
  email: "id",
  first_name: "text",
  last_name: "text",
  status: "id",
  registrant_id: "id",
  join_url: "id",
  participant_pin_code: "id",
  error_code: "id",
  error_message: "text",
  tracking_id: "id",
  deferred_until: "id",
};

/**
 * A row of a run that spans events (issue 20): which event it is for, after its line. A row whose
 * event could not be read has both empty.
 */
export interface EventOutputRow extends OutputRow {
  event_kind: "meeting" | "webinar" | "";
  event_id: string;
}

export const eventOutputColumns: readonly (keyof EventOutputRow)[] = ["line", "event_kind", "event_id", ...outputColumns.filter((column) => column !== "line")];

export const eventOutputCellKinds: Readonly<Record<keyof EventOutputRow, CellKind>> = { ...outputCellKinds, event_kind: "id", event_id: "id" };

/** A rejected row: the output row plus the original record, so it can be fixed and fed again. */
export interface RejectRow {
  line: number;
  status: "invalid" | "duplicate";
  email: string;
  reason: string;
  /** The record as read, as JSON: nothing the user gave is lost. */
  record: string;
}

export const rejectColumns: readonly (keyof RejectRow)[] = ["line", "status", "email", "reason", "record"];

/** The reason and the original record are free text (the record holds whatever the input had). */
export const rejectCellKinds: Readonly<Record<keyof RejectRow, CellKind>> = { line: "id", status: "id", email: "id", reason: "text", record: "text" };

/** A rejected row of a run that spans events: its event, when it could be read. */
export interface EventRejectRow extends RejectRow {
  event_kind: "meeting" | "webinar" | "";
  event_id: string;
}

export const eventRejectColumns: readonly (keyof EventRejectRow)[] = ["line", "event_kind", "event_id", "status", "email", "reason", "record"];

export const eventRejectCellKinds: Readonly<Record<keyof EventRejectRow, CellKind>> = { ...rejectCellKinds, event_kind: "id", event_id: "id" };

/** The columns whose CSV cells get the formula guard under `--csv-formulas <mode>`: the text ones, or none. */
export function formulaGuardedColumns<T extends object>(kinds: Readonly<Record<keyof T, CellKind>>, mode: CsvFormulas): ReadonlySet<keyof T> {
  if (mode === "keep") return new Set();
  return new Set((Object.keys(kinds) as (keyof T)[]).filter((column) => kinds[column] === "text"));
}
