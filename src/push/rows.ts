/**
 * Output rows and the item a push sends, and the first stage of a push: one input record read into
 * either a rejection (invalid, duplicate) or an item to decide about. Knows nothing of Zoom's answers.
 */
import { InputError, type ZoomregError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow, RowStatus } from "../output/index.js";
import {
  DuplicateTracker,
  columnPaths,
  createRowMapper,
  emailKey,
  parseOccurrenceIds,
  validateRecord,
  valueAt,
  type ColumnMapping,
  type MappingOptions,
  type RegistrantBody,
} from "../registrant/index.js";
import { fnv1a64 } from "../shared/hash-index.js";
import type { RegistrantAction } from "../zoom/client.js";
import { parseDesiredStatus, type DesiredStatus } from "./desired.js";
import { Mentions } from "./mentions.js";

/** One valid row on its way to Zoom. `seq` is its place in the input (0-based), `key` its email's. */
export interface SendItem {
  seq: number;
  /** Empty for a registrant --prune cancels: no input row names them. */
  line: number | "";
  key: string;
  bodyHash: string;
  body: RegistrantBody;
  /** The occurrences of a recurring event the add registers for: the row's occurrence_ids, else the run's --occurrence (issue 20). */
  occurrenceIds: readonly string[];
  /**
   * What the row's status column says the person should be; undefined without a status column:
   * registered, as before, and a pending registration is left for the host to approve.
   */
  desired?: DesiredStatus;
  /**
   * Set when the person is on the event but not as wanted: the status change to make. `readmit`: an
   * approval of someone Zoom holds as denied or cancelled, who is deleted and added afresh if Zoom will
   * not approve them again (issue 17).
   */
  change?: { action: RegistrantAction; registrantId: string; joinUrl: string; readmit?: boolean };
  /** The registration zoomreg itself added for this person, when an earlier run did: its id (issue 17, ownership). */
  owns?: string;
  /** Added afresh after Zoom would not approve the person again: the add asks for approval at once. */
  readd?: boolean;
  /** Zoom took this item's approval; what is left is reading its join_url back. */
  approved?: boolean;
}

export type ReadRow = { kind: "rejected"; row: OutputRow; reject: RejectRow } | { kind: "valid"; item: SendItem & { line: number } };

export interface RowReaderOptions {
  mapping?: MappingOptions;
  /** Preflight's check of a valid row against the event's form (required questions, answers, host). */
  checkRow?: (body: RegistrantBody) => string[];
  /** Called once with the mapping inferred from the first record. */
  onMapping?: (mapping: ColumnMapping) => void;
  /** Preflight's check of the first record's columns against the form: an error here stops the run before anything is sent. */
  checkColumns?: (mapping: ColumnMapping) => ZoomregError | undefined;
  /** What else, besides the body, changes what is sent (auto_approve, occurrences: a row's occurrence_ids column overrides these). */
  sendOptions: { autoApprove: boolean; occurrenceIds: readonly string[] };
  /** Preflight's check of a row's occurrences against the event's (a one-time event has none): the reason, or undefined. */
  checkOccurrences?: (ids: readonly string[]) => string | undefined;
  /**
   * Remember every email the input mentions, invalid rows included (12 bytes a row): a prune must
   * never cancel someone whose row merely has a typo.
   */
  trackMentions?: boolean;
}

/**
 * Whether a status column found by its name (not stated with `--map status=`) is the desired state:
 * decided once, before the first row, by the caller (every value must be a status word, issue 17).
 */
export type FoundStatusColumn = { column: string; use: boolean };

export class RowReader {
  private readonly mapper;
  private readonly duplicates = new DuplicateTracker();
  private readonly mentions: Mentions | undefined;
  private checkedColumns = false;
  private foundStatus: FoundStatusColumn | undefined;

  constructor(private readonly options: RowReaderOptions) {
    this.mapper = createRowMapper(options.mapping);
    this.mentions = options.trackMentions === true ? new Mentions() : undefined;
  }

  /**
   * The status column this record's mapping found by its name, when it needs the caller's decision
   * (`useFoundStatus`): asked of the first record. Throws as `read` would for a stated column it lacks.
   */
  statusColumnToDecide(record: RawRecord): string | undefined {
    if (record.parseError !== undefined || this.foundStatus !== undefined) return undefined;
    const mapping = this.mapper.mappingFor(record.fields);
    return mapping.statusStated === true ? undefined : mapping.status;
  }

  useFoundStatus(decision: FoundStatusColumn): void {
    this.foundStatus = decision;
  }

  /** Whether rows carry a desired status: a stated column, or a found one the caller accepted. */
  get readsStatus(): boolean {
    return this.options.mapping?.overrides?.status !== undefined || this.foundStatus?.use === true;
  }

  /** Reads record number `seq`; throws InputError when the first record shows no email column at all. */
  read(record: RawRecord, seq: number): ReadRow {
    if (record.parseError !== undefined) {
      this.mentions?.addAllIn(record);
      return rejected(record, "invalid", { email: "", first_name: "", last_name: "" }, record.parseError);
    }
    const mapping = this.mapper.mappingFor(record.fields);
    this.checkColumnsOnce(mapping, record);
    const result = validateRecord(record.fields, mapping);
    if (!result.ok) {
      this.mentions?.addAllIn(record);
      const who = {
        email: textOf(record.fields, mapping.fields.email),
        first_name: textOf(record.fields, mapping.fields.first_name),
        last_name: textOf(record.fields, mapping.fields.last_name),
      };
      return rejected(record, "invalid", who, result.reasons.join("; "));
    }
    const body = result.registrant;
    this.mentions?.add(body.email, record.position);
    const refusals = this.options.checkRow?.(body) ?? [];
    if (refusals.length > 0) return rejected(record, "invalid", names(body), refusals.join("; "));
    const statusColumn = this.statusColumnOf(mapping);
    const desired = statusColumn === undefined ? undefined : parseDesiredStatus(valueAt(record.fields, statusColumn), mapping.statusStated === true);
    if (desired?.ok === false) return rejected(record, "invalid", names(body), desired.reason);
    const occurrences = this.occurrencesOf(record, mapping);
    if (!occurrences.ok) return rejected(record, "invalid", names(body), occurrences.reason);
    const firstLine = this.duplicates.check(body.email, record.position);
    if (firstLine !== undefined) return rejected(record, "duplicate", names(body), `email: duplicate of line ${firstLine}`);
    const occurrenceIds = occurrences.ids;
    const bodyHash = hashBody(body, this.options.sendOptions.autoApprove, occurrenceIds);
    return { kind: "valid", item: { seq, line: record.position, key: emailKey(body.email), bodyHash, body, occurrenceIds, ...(desired === undefined ? {} : { desired: desired.status }) } };
  }

  /** The row's occurrence_ids cell when it has one, else the run's; checked against the event's occurrences. */
  private occurrencesOf(record: RawRecord, mapping: ColumnMapping): { ok: true; ids: readonly string[] } | { ok: false; reason: string } {
    const column = mapping.event?.occurrences;
    const cell = column === undefined ? "" : textOf(record.fields, column);
    let ids = this.options.sendOptions.occurrenceIds;
    if (cell !== "") {
      const parsed = parseOccurrenceIds(cell);
      if (!parsed.ok) return { ok: false, reason: `${column ?? "occurrence_ids"}: ${parsed.reason}` };
      ids = parsed.ids;
    }
    const refusal = ids.length === 0 ? undefined : this.options.checkOccurrences?.(ids);
    return refusal === undefined ? { ok: true, ids } : { ok: false, reason: `${column ?? "occurrence_ids"}: ${refusal}` };
  }

  /** Whether a row of the input names this email, valid or not (needs `trackMentions`): a prune spares them. */
  mentioned(email: string): boolean {
    return this.mentions?.has(email) ?? true;
  }

  /**
   * The column to read the desired status from: the stated one, or the found one the caller accepted.
   * A record whose keys find another status column (JSON records vary) reads none: only the first
   * record's column was checked.
   */
  private shownMapping(mapping: ColumnMapping): ColumnMapping {
    return mapping.status === undefined || this.statusColumnOf(mapping) !== undefined ? mapping : withoutStatus(mapping);
  }

  private statusColumnOf(mapping: ColumnMapping): string | undefined {
    if (mapping.status === undefined || mapping.statusStated === true) return mapping.status;
    return this.foundStatus?.use === true && this.foundStatus.column === mapping.status ? mapping.status : undefined;
  }

  private checkColumnsOnce(mapping: ColumnMapping, record: RawRecord): void {
    if (this.checkedColumns) return;
    this.checkedColumns = true;
    this.options.onMapping?.(this.shownMapping(mapping));
    if (mapping.fields.email !== undefined) {
      // A column the form requires and no column carries would fail every row alike (issue 12).
      const fileWide = this.options.checkColumns?.(mapping);
      if (fileWide !== undefined) throw fileWide;
      return;
    }
    const found = columnPaths(record.fields);
    throw new InputError(`no email column: found ${found.length === 0 ? "no columns" : found.map((c) => JSON.stringify(c)).join(", ")}`, {
      hint: "name the column email (or E-mail, email_address), or pass --map email=<column>, and run again",
    });
  }
}

/** Reading a found status column's mapping: one left alone is shown as unmapped, as it is. */
function withoutStatus(mapping: ColumnMapping): ColumnMapping {
  const { status, statusStated: _, ...rest } = mapping;
  return status === undefined ? mapping : { ...rest, unmapped: [...mapping.unmapped, status] };
}

function rejected(record: RawRecord, status: "invalid" | "duplicate", who: Pick<OutputRow, "email" | "first_name" | "last_name">, reason: string): ReadRow {
  return {
    kind: "rejected",
    row: { ...emptyRow(record.position, status), ...who, error_message: reason },
    reject: { line: record.position, status, email: who.email, reason, record: JSON.stringify(record.fields) },
  };
}

/**
 * Tells a changed row from the one an earlier run sent (a final failure is answered from the ledger
 * only while the row is unchanged). FNV-1a 64 over the JSON: this is change detection, not security,
 * and a SHA-256 per row cost ~3% of a single add's CPU.
 */
function hashBody(body: RegistrantBody, autoApprove: boolean, occurrenceIds: readonly string[]): string {
  const [high, low] = fnv1a64(JSON.stringify([body, autoApprove, occurrenceIds]));
  return `${high.toString(16).padStart(8, "0")}${low.toString(16).padStart(8, "0")}`;
}

export function emptyRow(line: number | "", status: RowStatus): OutputRow {
  return {
    line,
    email: "",
    first_name: "",
    last_name: "",
    status,
    registrant_id: "",
    join_url: "",
    participant_pin_code: "",
    error_code: "",
    error_message: "",
    tracking_id: "",
    deferred_until: "",
  };
}

export function names(body: RegistrantBody): Pick<OutputRow, "email" | "first_name" | "last_name"> {
  return { email: body.email, first_name: body.first_name, last_name: body.last_name ?? "" };
}

/** The output row of an item that is not registered, with a reason (and when to try again, if known). */
export function itemRow(item: Pick<SendItem, "line" | "body">, status: RowStatus, fields: Partial<OutputRow> = {}): OutputRow {
  return { ...emptyRow(item.line, status), ...names(item.body), ...fields };
}

/** A cell as the output shows it: its text or number, trimmed; anything else as empty. */
export function textOf(fields: Record<string, unknown>, column: string | undefined): string {
  if (column === undefined) return "";
  const value = valueAt(fields, column);
  return typeof value === "string" || typeof value === "number" ? String(value).trim() : "";
}
