import type { Logger } from "pino";
import type { ZoomregError} from "../errors.js";
import { ApiError, AuthError, InputError, RateLimitError, NetworkError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow, RowStatus } from "../output/index.js";
import { SlidingWindowRateGate, defaultRetryPolicyOptions, runPool, type RetryPolicyOptions } from "../pool/index.js";
import { DuplicateTracker, createRowMapper, validateRecord, type RegistrantBody } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import { classifyFailure, type AddRegistrantResult, type EventRef } from "../zoom/index.js";

/** The one Zoom call a push needs; the ZoomClient provides it, tests may stub it. */
export type AddRegistrant = (
  event: EventRef,
  body: RegistrantBody & { auto_approve?: boolean },
  options: { occurrenceIds?: readonly string[]; signal?: AbortSignal },
) => Promise<AddRegistrantResult>;

export interface PushOptions {
  records: AsyncIterable<RawRecord> | Iterable<RawRecord>;
  event: EventRef;
  /** Undefined for a dry run: nothing is sent. */
  addRegistrant: AddRegistrant | undefined;
  occurrenceIds: readonly string[];
  autoApprove: boolean;
  concurrency: number;
  ratePerSecond: number;
  retry?: RetryPolicyOptions;
  /** Every finished row (all statuses) goes here as soon as it is known. */
  writeRow: (row: OutputRow) => void;
  /** Invalid and duplicate rows go here too, with the reason and the original record. */
  writeReject: (row: RejectRow) => void;
  /** Dry run: called with each row that would be sent. */
  onWouldSend?: (line: number, body: RegistrantBody) => void;
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Aborting stops reading new rows; rows in flight finish and are written. */
  signal?: AbortSignal;
}

export type StatusCounts = Record<RowStatus, number>;

export interface PushSummary {
  counts: StatusCounts;
  rowsRead: number;
  durationMs: number;
  /** Set when the run stopped early for a reason that concerns every row (credentials, the event). */
  fatalError: ZoomregError | undefined;
  /** True when the run stopped early because the caller's signal aborted. */
  interrupted: boolean;
}

interface SendItem {
  line: number;
  body: RegistrantBody;
}

/**
 * Zoom codes that say something about the event, not the row: no other row can succeed either, so
 * the run stops instead of failing every row the same way (facts page "Errors": 3001 does not exist,
 * 404 registration not enabled, 3038 over, 3043 capacity reached, 1001 host missing, 3003 not host).
 */
const eventLevelCodes = new Set([3001, 404, 3038, 3043, 1001, 3003]);

export function isRunFatal(error: unknown): error is ZoomregError {
  if (error instanceof AuthError) return true;
  if (error instanceof RateLimitError) return error.scope === "daily";
  return error instanceof ApiError && error.code !== undefined && eventLevelCodes.has(error.code);
}

export async function runPush(options: PushOptions): Promise<PushSummary> {
  const startedMs = options.clock.now();
  const counts: StatusCounts = { registered: 0, pending_approval: 0, failed: 0, invalid: 0, duplicate: 0 };
  const stop = new AbortController();
  const onCallerAbort = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  let fatalError: ZoomregError | undefined;
  let rowsRead = 0;

  const finish = (row: OutputRow): void => {
    counts[row.status] += 1;
    options.writeRow(row);
  };

  const reject = (record: RawRecord, status: "invalid" | "duplicate", email: string, reason: string, names: Pick<OutputRow, "first_name" | "last_name">): void => {
    finish({ ...emptyRow(record.position, status), email, ...names, error_message: reason });
    options.writeReject({ line: record.position, status, email, reason, record: JSON.stringify(record.fields) });
  };

  const mapper = createRowMapper();
  const duplicates = new DuplicateTracker();
  const log = options.logger;

  // Reading, mapping and validation happen lazily as the pool pulls items, so the input is never
  // held in memory: backpressure reaches all the way back to the file.
  async function* sendable(): AsyncGenerator<SendItem> {
    let checkedColumns = false;
    for await (const record of options.records) {
      if (stop.signal.aborted) return;
      rowsRead += 1;
      if (record.parseError !== undefined) {
        reject(record, "invalid", "", record.parseError, { first_name: "", last_name: "" });
        continue;
      }
      const mapping = mapper.mappingFor(record.fields);
      if (!checkedColumns) {
        checkedColumns = true;
        if (mapping.fields.email === undefined) {
          const found = Object.keys(record.fields);
          throw new InputError(
            `no email column: found ${found.length === 0 ? "no columns" : found.map((c) => JSON.stringify(c)).join(", ")}`,
            { hint: "name the column email (or E-mail, email_address) and run again" },
          );
        }
      }
      const result = validateRecord(record.fields, mapping);
      if (!result.ok) {
        const email = textOf(record.fields, mapping.fields.email);
        reject(record, "invalid", email, result.reasons.join("; "), {
          first_name: textOf(record.fields, mapping.fields.first_name),
          last_name: textOf(record.fields, mapping.fields.last_name),
        });
        continue;
      }
      const body = result.registrant;
      const firstLine = duplicates.check(body.email, record.position);
      if (firstLine !== undefined) {
        reject(record, "duplicate", body.email, `email: duplicate of line ${firstLine}`, {
          first_name: body.first_name,
          last_name: body.last_name ?? "",
        });
        continue;
      }
      if (options.addRegistrant === undefined) {
        options.onWouldSend?.(record.position, body);
        finish({ ...emptyRow(record.position, "registered"), ...names(body) });
        continue;
      }
      yield { line: record.position, body };
    }
  }

  const addRegistrant = options.addRegistrant;
  if (addRegistrant === undefined) {
    // Dry run: drain the generator; nothing is yielded.
    for await (const _ of sendable()) void _;
  } else {
    const gate = new SlidingWindowRateGate({ ratePerSecond: options.ratePerSecond, clock: options.clock });
    const results = runPool<SendItem, AddRegistrantResult>(
      sendable(),
      (item, context) =>
        addRegistrant(
          options.event,
          options.autoApprove ? { ...item.body, auto_approve: true } : item.body,
          { occurrenceIds: options.occurrenceIds, signal: context.signal },
        ),
      {
        concurrency: options.concurrency,
        gate,
        classify: classifyFailure,
        retry: options.retry ?? defaultRetryPolicyOptions,
        clock: options.clock,
        random: options.random,
        signal: stop.signal,
        onRetry: ({ item, attempt, error, delayMs, pausePool }) => {
          log.warn(
            { line: item.line, attempt, delayMs, pausePool, error: errorMessage(error) },
            pausePool ? "rate limited: pausing all requests" : "retrying after a transient failure",
          );
        },
      },
    );
    for await (const result of results) {
      const { item } = result;
      if (result.ok) {
        const value = result.value;
        finish({
          ...emptyRow(item.line, value.joinUrl === undefined ? "pending_approval" : "registered"),
          ...names(item.body),
          registrant_id: value.registrantId,
          join_url: value.joinUrl ?? "",
          participant_pin_code: value.participantPinCode ?? "",
          tracking_id: value.trackingId ?? "",
        });
        continue;
      }
      const error = result.error;
      finish({
        ...emptyRow(item.line, "failed"),
        ...names(item.body),
        error_code: error instanceof ApiError ? String(error.code ?? error.status) : error instanceof NetworkError ? "network" : "",
        error_message: `${errorMessage(error)} (after ${result.attempts} attempt${result.attempts === 1 ? "" : "s"})`,
        tracking_id: error instanceof ApiError ? (error.trackingId ?? "") : "",
      });
      if (fatalError === undefined && isRunFatal(error)) {
        fatalError = error;
        log.error({ error: error.message }, "stopping: this error concerns every row; rows in flight finish first");
        stop.abort(error);
      }
    }
  }
  options.signal?.removeEventListener("abort", onCallerAbort);
  return {
    counts,
    rowsRead,
    durationMs: options.clock.now() - startedMs,
    fatalError,
    interrupted: fatalError === undefined && (options.signal?.aborted ?? false),
  };
}

function emptyRow(line: number, status: RowStatus): OutputRow {
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
  };
}

function names(body: RegistrantBody): Pick<OutputRow, "email" | "first_name" | "last_name"> {
  return { email: body.email, first_name: body.first_name, last_name: body.last_name ?? "" };
}

function textOf(fields: Record<string, unknown>, column: string | undefined): string {
  if (column === undefined) return "";
  const value = fields[column];
  return typeof value === "string" || typeof value === "number" ? String(value).trim() : "";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
