import type { Logger } from "pino";
import { ApiError, AuthError, InputError, NetworkError, QuotaGuardError, RateLimitError, type PerSecondLimit, type ZoomregError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow, RejectRow, RowStatus } from "../output/index.js";
import {
  AimdPacer,
  SlidingWindowRateGate,
  chunk,
  defaultRetryPolicyOptions,
  merge,
  partition,
  runPool,
  type LimitHint,
  type PoolResult,
  type RetryPolicyOptions,
} from "../pool/index.js";
import {
  DuplicateTracker,
  columnPaths,
  createRowMapper,
  emailKey,
  fnv1a64,
  validateRecord,
  valueAt,
  type ColumnMapping,
  type MappingOptions,
  type RegistrantBody,
} from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
// The pure parts of src/zoom, not its index: a dry run must not load the HTTP client (undici is ~20 MB).
import { classifyFailure } from "../zoom/classify.js";
import { nextUtcMidnightMs } from "../zoom/retry-after.js";
import type { AddBatchResult, AddRegistrantResult, EventRef } from "../zoom/index.js";
import type { ExistingRegistrant } from "./reconcile.js";
import { ReorderBuffer } from "./reorder.js";

/** The one Zoom call a push needs; the ZoomClient provides it, tests may stub it. */
export type AddRegistrant = (
  event: EventRef,
  body: RegistrantBody & { auto_approve?: boolean },
  options: { occurrenceIds?: readonly string[]; signal?: AbortSignal },
) => Promise<AddRegistrantResult>;

/** The batch endpoint: at most 30 people per call, each with only email and names (facts page). */
export type AddBatch = (
  event: EventRef,
  body: { registrants: { email: string; first_name: string; last_name?: string }[]; auto_approve?: boolean; registrants_confirmation_email?: boolean },
  options: { signal?: AbortSignal },
) => Promise<AddBatchResult>;

export const batchSize = 30;

/** Zoom: "a registrant may be added at most 3 times a day" per event, reset at 00:00 UTC (facts page). */
export const maxAddsPerRegistrantPerDay = 3;

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
  retry?: RetryPolicyOptions;
  /** Every row, in input order, once its outcome is known. */
  writeRow: (row: OutputRow) => void;
  /** Invalid and duplicate rows go here too, with the reason and the original record. */
  writeReject: (row: RejectRow) => void;
  /** Dry run: called with each row that would be sent. */
  onWouldSend?: (line: number, body: RegistrantBody) => void;
  /** Column overrides (--map, --question) and the event's question titles. */
  mapping?: MappingOptions;
  /** Preflight's check of a valid row against the event's form (required questions, answers, host). */
  checkRow?: (body: RegistrantBody) => string[];
  /** Called once with the mapping inferred from the first record (dry run prints it). */
  onMapping?: (mapping: ColumnMapping) => void;
  /** What was sent before for this event: makes re-runs no-ops and guards the daily adds. */
  ledger?: EventLedger<OutputRow>;
  /** The event's registrants listed before the run (reconcile); undefined with --no-reconcile. */
  existing?: ReadonlyMap<string, ExistingRegistrant>;
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
  /** Rows whose add was sent in this run (not counting retries). */
  rowsSent: number;
  /** Requests sent per kind, retries included. */
  requests: { single: number; batch: number };
  durationMs: number;
  /** Set when the run stopped early for a reason that concerns every row (credentials, the event). */
  fatalError: ZoomregError | undefined;
  /** Set when Zoom's daily limit for the account stopped the run: when to try again (epoch ms). */
  dailyLimitUntilMs: number | undefined;
  /** The earliest time a deferred row may be tried again (epoch ms). */
  deferredUntilMs: number | undefined;
  /** True when the run stopped early because the caller's signal aborted. */
  interrupted: boolean;
}

interface SendItem {
  seq: number;
  line: number;
  key: string;
  bodyHash: string;
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
  return error instanceof ApiError && !(error instanceof RateLimitError) && error.code !== undefined && eventLevelCodes.has(error.code);
}

export async function runPush(options: PushOptions): Promise<PushSummary> {
  const { clock, logger: log, ledger, existing } = options;
  const startedMs = clock.now();
  const counts: StatusCounts = { registered: 0, pending_approval: 0, existing: 0, failed: 0, deferred: 0, invalid: 0, duplicate: 0 };
  const stop = new AbortController();
  const onCallerAbort = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  let fatalError: ZoomregError | undefined;
  let dailyLimitUntilMs: number | undefined;
  let deferredUntilMs: number | undefined;
  let rowsRead = 0;
  let rowsSent = 0;
  const requests = { single: 0, batch: 0 };
  // Ledger lines are in the kernel when written; their fdatasync is awaited at the end, not per row.
  const pendingSyncs = new Set<Promise<void>>();
  const track = (sync: Promise<void>): void => {
    pendingSyncs.add(sync);
    sync.then(
      () => pendingSyncs.delete(sync),
      (error: unknown) => log.error({ error: String(error) }, "could not sync the state file"),
    );
  };

  const output = new ReorderBuffer<OutputRow>((row) => {
    counts[row.status] += 1;
    options.writeRow(row);
  });

  const reject = (seq: number, record: RawRecord, status: "invalid" | "duplicate", who: Pick<OutputRow, "email" | "first_name" | "last_name">, reason: string): void => {
    output.put(seq, { ...emptyRow(record.position, status), ...who, error_message: reason });
    options.writeReject({ line: record.position, status, email: who.email, reason, record: JSON.stringify(record.fields) });
  };

  const defer = (item: Pick<SendItem, "seq" | "line" | "body">, untilMs: number, reason: string, extra: Partial<OutputRow> = {}): OutputRow => {
    deferredUntilMs = deferredUntilMs === undefined ? untilMs : Math.min(deferredUntilMs, untilMs);
    const row = { ...emptyRow(item.line, "deferred"), ...names(item.body), ...extra, error_message: reason, deferred_until: new Date(untilMs).toISOString() };
    output.put(item.seq, row);
    return row;
  };

  const mapper = createRowMapper(options.mapping);
  const duplicates = new DuplicateTracker();
  let checkedColumns = false;
  let seq = 0;

  /**
   * Decides what to do with one record without sending anything: reject it, answer it from the
   * ledger or the reconcile list, defer it, or hand it back to be sent.
   */
  const triage = (record: RawRecord): SendItem | undefined => {
    const current = seq;
    seq += 1;
    rowsRead += 1;
    if (record.parseError !== undefined) {
      reject(current, record, "invalid", { email: "", first_name: "", last_name: "" }, record.parseError);
      return undefined;
    }
    const mapping = mapper.mappingFor(record.fields);
    if (!checkedColumns) {
      checkedColumns = true;
      options.onMapping?.(mapping);
      if (mapping.fields.email === undefined) {
        const found = columnPaths(record.fields);
        throw new InputError(`no email column: found ${found.length === 0 ? "no columns" : found.map((c) => JSON.stringify(c)).join(", ")}`, {
          hint: "name the column email (or E-mail, email_address), or pass --map email=<column>, and run again",
        });
      }
    }
    const result = validateRecord(record.fields, mapping);
    if (!result.ok) {
      const who = {
        email: textOf(record.fields, mapping.fields.email),
        first_name: textOf(record.fields, mapping.fields.first_name),
        last_name: textOf(record.fields, mapping.fields.last_name),
      };
      reject(current, record, "invalid", who, result.reasons.join("; "));
      return undefined;
    }
    const body = result.registrant;
    const refusals = options.checkRow?.(body) ?? [];
    if (refusals.length > 0) {
      reject(current, record, "invalid", names(body), refusals.join("; "));
      return undefined;
    }
    const firstLine = duplicates.check(body.email, record.position);
    if (firstLine !== undefined) {
      reject(current, record, "duplicate", names(body), `email: duplicate of line ${firstLine}`);
      return undefined;
    }
    const item: SendItem = { seq: current, line: record.position, key: emailKey(body.email), bodyHash: hashBody(body, options), body };
    if (options.addRegistrant === undefined) {
      options.onWouldSend?.(record.position, body);
      output.put(current, { ...emptyRow(record.position, "registered"), ...names(body) });
      return undefined;
    }
    const known = knownOutcome(item);
    if (known !== undefined) {
      output.put(current, known);
      return undefined;
    }
    if (dailyLimitUntilMs !== undefined) {
      defer(item, dailyLimitUntilMs, "not sent: the account reached Zoom's daily limit");
      return undefined;
    }
    const addsToday = ledger?.addsOnDay(item.key, clock.now()) ?? 0;
    if (addsToday >= maxAddsPerRegistrantPerDay) {
      defer(item, nextUtcMidnightMs(clock.now()), new QuotaGuardError(addsToday, nextUtcMidnightMs(clock.now())).message);
      return undefined;
    }
    return item;
  };

  /** A row whose outcome is already known: registered before (ledger), or already on Zoom (reconcile). */
  const knownOutcome = (item: SendItem): OutputRow | undefined => {
    const previous = ledger?.previous(item.key);
    const listed = existing?.get(item.key);
    if (previous?.final === true) {
      const row = { ...previous.row, line: item.line };
      if (row.status === "pending_approval" && listed !== undefined && listed.joinUrl !== "") {
        return { ...row, status: "registered", join_url: listed.joinUrl };
      }
      // A final failure is answered from the ledger only while the row is unchanged: a fixed row is sent again.
      if (row.status !== "failed" || previous.bodyHash === item.bodyHash) return row;
    }
    if (listed !== undefined) {
      const row: OutputRow = { ...emptyRow(item.line, "existing"), ...names(item.body), registrant_id: listed.registrantId, join_url: listed.joinUrl };
      if (ledger !== undefined) track(ledger.recordDone(item.key, { atMs: clock.now(), final: true, bodyHash: item.bodyHash, row }));
      return row;
    }
    return undefined;
  };

  if (ledger !== undefined && existing !== undefined) {
    // A killed run leaves sends without answers. Those whose person is not on Zoom's list now were
    // never executed: they must not hold the person back under the 3-a-day guard.
    for (const email of ledger.emailsWithUnansweredSends()) {
      if (!existing.has(email)) await ledger.voidUnansweredSends(email, clock.now());
    }
  }

  const iterator = toAsyncIterator(options.records);
  const inPool = new Map<number, SendItem>();
  // Reading, mapping and validation happen lazily as the pool pulls items, so the input is never
  // held in memory: backpressure reaches all the way back to the file. The iterator is driven by
  // hand so that, after a daily-limit stop, the rest of the input can still be read and deferred.
  async function* sendable(): AsyncGenerator<SendItem> {
    while (!stop.signal.aborted) {
      const next = await iterator.next();
      if (next.done === true) return;
      const item = triage(next.value);
      if (item === undefined) continue;
      inPool.set(item.seq, item);
      yield item;
    }
  }

  const addRegistrant = options.addRegistrant;
  try {
    if (addRegistrant === undefined) {
      for await (const _ of sendable()) void _;
    } else {
      await sendAll(addRegistrant);
      if (dailyLimitUntilMs !== undefined) {
        // Stopped at the account's daily limit: everyone not sent is deferred, read to the end so the
        // output still has one row per input row.
        for (const item of inPool.values()) defer(item, dailyLimitUntilMs, "not sent: the account reached Zoom's daily limit");
        inPool.clear();
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) triage(next.value);
      }
    }
  } finally {
    output.flushAll();
    await iterator.return?.();
    options.signal?.removeEventListener("abort", onCallerAbort);
    await Promise.allSettled([...pendingSyncs]);
  }

  return {
    counts,
    rowsRead,
    rowsSent,
    requests,
    durationMs: clock.now() - startedMs,
    fatalError,
    dailyLimitUntilMs,
    deferredUntilMs,
    interrupted: fatalError === undefined && dailyLimitUntilMs === undefined && (options.signal?.aborted ?? false),
  };

  async function sendAll(add: AddRegistrant): Promise<void> {
    const batch = options.batch;
    const singlesAndBatchable = sendable()[Symbol.asyncIterator]();
    const [batchable, singles] =
      batch === undefined
        ? [emptyAsync<SendItem>(), { [Symbol.asyncIterator]: () => singlesAndBatchable }]
        : partition(singlesAndBatchable, (item) => isBatchable(item.body, options.occurrenceIds), { maxBuffered: 4 * batchSize });
    const fallback: SendItem[] = [];

    const singleResults = runPool<SendItem, AddRegistrantResult>(
      singles,
      async (item, context) => {
        await guardAndRecord(item);
        if (context.attempt === 1) rowsSent += 1;
        requests.single += 1;
        return add(options.event, options.autoApprove ? { ...item.body, auto_approve: true } : item.body, {
          occurrenceIds: options.occurrenceIds,
          signal: context.signal,
        });
      },
      poolOptions(options.ratePerSecond),
    );
    const batchResults =
      batch === undefined
        ? emptyAsync<PoolResult<SendItem[], AddBatchResult>>()
        : runPool<SendItem[], AddBatchResult>(
            chunk(batchable, batchSize),
            async (items, context) => {
              // Re-checked before every attempt; a row whose adds are spent leaves the batch as deferred.
              for (const item of [...items]) {
                const addsToday = ledger?.addsOnDay(item.key, clock.now()) ?? 0;
                if (addsToday >= maxAddsPerRegistrantPerDay) {
                  items.splice(items.indexOf(item), 1);
                  inPool.delete(item.seq);
                  defer(item, nextUtcMidnightMs(clock.now()), new QuotaGuardError(addsToday, nextUtcMidnightMs(clock.now())).message);
                }
              }
              if (items.length === 0) return { registrants: [], trackingId: undefined, status: 201 };
              if (ledger !== undefined) await Promise.all(items.map((item) => ledger.recordSend(item.key, item.bodyHash, clock.now())));
              if (context.attempt === 1) rowsSent += items.length;
              requests.batch += 1;
              return batch.addBatch(
                options.event,
                {
                  registrants: items.map((item) => ({ email: item.body.email, first_name: item.body.first_name, ...(item.body.last_name === undefined ? {} : { last_name: item.body.last_name }) })),
                  ...(options.autoApprove ? { auto_approve: true } : {}),
                  ...(batch.meeting && batch.confirmationEmail !== undefined ? { registrants_confirmation_email: batch.confirmationEmail } : {}),
                },
                { signal: context.signal },
              );
            },
            poolOptions(batch.ratePerSecond),
          );

    type Tagged = { single: PoolResult<SendItem, AddRegistrantResult> } | { batch: PoolResult<SendItem[], AddBatchResult> };
    const tagged = merge<Tagged>(mapAsync(singleResults, (single) => ({ single })), mapAsync(batchResults, (result) => ({ batch: result })));
    for await (const next of tagged) {
      if ("single" in next) {
        handleSingle(next.single);
        continue;
      }
      const result = next.batch;
      for (const item of result.item) inPool.delete(item.seq);
      if (result.ok) {
        const byEmail = new Map(result.value.registrants.map((entry) => [emailKey(entry.email), entry]));
        for (const item of result.item) {
          const entry = byEmail.get(item.key);
          const outcome =
            entry === undefined
              ? failedRow(item, new Error("missing from Zoom's batch answer"), result.attempts)
              : registeredRow(item, { ...entry, trackingId: result.value.trackingId });
          recordOutcome(item, outcome);
        }
        continue;
      }
      const error = result.error;
      if (stopsTheRun(error)) {
        for (const item of result.item) recordOutcome(item, failedRow(item, error, result.attempts));
        continue;
      }
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && !(error instanceof RateLimitError && error.scope === "qps")) {
        // The whole batch was refused (one bad row refuses all 30: PEERS.md), so nothing was executed:
        // the batch attempt gives its adds back, and each row is tried alone, where its own answer shows.
        log.warn({ rows: result.item.length, error: error.message }, "batch refused as a whole: sending its rows one by one");
        for (const item of result.item) {
          if (ledger !== undefined) track(ledger.voidSend(item.key, clock.now()));
          inPool.set(item.seq, item);
          fallback.push(item);
        }
        continue;
      }
      for (const item of result.item) recordOutcome(item, failedRow(item, error, result.attempts));
    }
    if (fallback.length > 0 && !stop.signal.aborted) {
      for await (const result of runPool<SendItem, AddRegistrantResult>(
        fallback,
        async (item, context) => {
          await guardAndRecord(item);
          requests.single += 1;
          return add(options.event, options.autoApprove ? { ...item.body, auto_approve: true } : item.body, { signal: context.signal });
        },
        poolOptions(options.ratePerSecond),
      )) {
        handleSingle(result);
      }
    }
  }

  async function guardAndRecord(item: SendItem): Promise<void> {
    // The guard runs before every attempt, retries included: an attempt whose answer never came
    // may have been executed, and Zoom counts it.
    const nowMs = clock.now();
    const addsToday = ledger?.addsOnDay(item.key, nowMs) ?? 0;
    if (addsToday >= maxAddsPerRegistrantPerDay) throw new QuotaGuardError(addsToday, nextUtcMidnightMs(nowMs));
    await ledger?.recordSend(item.key, item.bodyHash, nowMs);
  }

  function poolOptions(ceilingPerSecond: number): Parameters<typeof runPool>[2] {
    return {
      concurrency: options.concurrency,
      gate: new SlidingWindowRateGate({ ratePerSecond: ceilingPerSecond, clock }),
      pacing: { pacer: new AimdPacer({ ceilingPerSecond, clock }), minConcurrency: 1, maxConcurrency: options.concurrency, hintsOf: limitHintOf },
      classify: classifyFailure,
      retry: options.retry ?? defaultRetryPolicyOptions,
      clock,
      random: options.random,
      signal: stop.signal,
      onRetry: ({ attempt, error, delayMs, pausePool, counts: kind }) => {
        log.warn(
          { attempt, delayMs, error: errorMessage(error) },
          kind === "throttled" ? (pausePool ? "rate limited: pausing all requests" : "rate limited: slowing down") : "retrying after a transient failure",
        );
      },
    };
  }

  function handleSingle(result: PoolResult<SendItem, AddRegistrantResult>): void {
    const { item } = result;
    inPool.delete(item.seq);
    recordOutcome(item, result.ok ? registeredRow(item, result.value) : failedRow(item, result.error, result.attempts));
    if (!result.ok) stopsTheRun(result.error);
  }

  function recordOutcome(item: SendItem, outcome: { row: OutputRow; final: boolean }): void {
    if (ledger !== undefined) {
      track(ledger.recordDone(item.key, { atMs: clock.now(), final: outcome.final, bodyHash: item.bodyHash, row: outcome.row }));
    }
  }

  /** Stops the run when an error concerns every row; says whether it did. */
  function stopsTheRun(error: unknown): boolean {
    if (error instanceof RateLimitError && error.scope === "daily") {
      if (dailyLimitUntilMs === undefined) {
        dailyLimitUntilMs = error.retryAtMs ?? nextUtcMidnightMs(clock.now());
        log.error({ until: new Date(dailyLimitUntilMs).toISOString() }, "Zoom's daily limit for the account is reached: stopping; the rest is deferred");
        stop.abort(error);
      }
      return true;
    }
    if (isRunFatal(error)) {
      if (fatalError === undefined) {
        fatalError = error;
        log.error({ error: error.message }, "stopping: this error concerns every row; rows in flight finish first");
        stop.abort(error);
      }
      return true;
    }
    return false;
  }

  function registeredRow(item: SendItem, value: Pick<AddRegistrantResult, "registrantId" | "joinUrl" | "participantPinCode" | "trackingId">): { row: OutputRow; final: boolean } {
    const row: OutputRow = {
      ...emptyRow(item.line, value.joinUrl === undefined ? "pending_approval" : "registered"),
      ...names(item.body),
      registrant_id: value.registrantId,
      join_url: value.joinUrl ?? "",
      participant_pin_code: value.participantPinCode ?? "",
      tracking_id: value.trackingId ?? "",
    };
    output.put(item.seq, row);
    return { row, final: true };
  }

  function failedRow(item: SendItem, error: unknown, attempts: number): { row: OutputRow; final: boolean } {
    const trackingId = error instanceof ApiError ? (error.trackingId ?? "") : "";
    if (error instanceof QuotaGuardError) {
      return { row: defer(item, error.retryAtMs, error.message), final: false };
    }
    if (error instanceof RateLimitError && error.scope !== "qps") {
      const untilMs = error.retryAtMs ?? nextUtcMidnightMs(clock.now());
      return { row: defer(item, untilMs, error.message, { error_code: String(error.code ?? error.status), tracking_id: trackingId }), final: false };
    }
    const row: OutputRow = {
      ...emptyRow(item.line, "failed"),
      ...names(item.body),
      error_code: error instanceof ApiError ? String(error.code ?? error.status) : error instanceof NetworkError ? "network" : "",
      error_message: `${errorMessage(error)} (after ${attempts} attempt${attempts === 1 ? "" : "s"})`,
      tracking_id: trackingId,
    };
    output.put(item.seq, row);
    // Transient failures and run-level stops are tried again by the next run; a 4xx for this row is final.
    const kind = classifyFailure(error).kind;
    return { row, final: kind === "final" && !isRunFatal(error) };
  }
}

/** Only email and names go in a batch (facts page); anything else, or occurrences, needs a single add. */
export function isBatchable(body: RegistrantBody, occurrenceIds: readonly string[]): boolean {
  if (occurrenceIds.length > 0) return false;
  return Object.keys(body).every((key) => key === "email" || key === "first_name" || key === "last_name");
}

async function* emptyAsync<T>(): AsyncGenerator<T> {
  // Nothing: a pool that has no work.
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncGenerator<U> {
  for await (const value of source) yield map(value);
}

/**
 * Tells a changed row from the one an earlier run sent (a final failure is answered from the ledger
 * only while the row is unchanged). FNV-1a 64 over the JSON: this is change detection, not security,
 * and a SHA-256 per row cost ~3% of a single add's CPU.
 */
function hashBody(body: RegistrantBody, options: Pick<PushOptions, "autoApprove" | "occurrenceIds">): string {
  const [high, low] = fnv1a64(JSON.stringify([body, options.autoApprove, options.occurrenceIds]));
  return `${high.toString(16).padStart(8, "0")}${low.toString(16).padStart(8, "0")}`;
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return { next: () => Promise.resolve(sync.next()), return: () => Promise.resolve({ done: true, value: undefined }) };
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
    deferred_until: "",
  };
}

function names(body: RegistrantBody): Pick<OutputRow, "email" | "first_name" | "last_name"> {
  return { email: body.email, first_name: body.first_name, last_name: body.last_name ?? "" };
}

function textOf(fields: Record<string, unknown>, column: string | undefined): string {
  if (column === undefined) return "";
  const value = valueAt(fields, column);
  return typeof value === "string" || typeof value === "number" ? String(value).trim() : "";
}

/**
 * What Zoom's X-RateLimit-* headers said of the per-second limit, off an answer or a 429, for the
 * pacer of the pool that sent it (one pool per label, so the limit is that label's).
 */
export function limitHintOf(resultOrError: unknown): LimitHint | undefined {
  const reported =
    resultOrError instanceof RateLimitError
      ? resultOrError.perSecondLimit
      : typeof resultOrError === "object" && resultOrError !== null && "perSecondLimit" in resultOrError
        ? (resultOrError as { perSecondLimit?: PerSecondLimit }).perSecondLimit
        : undefined;
  if (reported === undefined) return undefined;
  return {
    ...(reported.limitPerSecond === undefined ? {} : { limit: reported.limitPerSecond }),
    ...(reported.remaining === undefined ? {} : { remaining: reported.remaining }),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
