/**
 * The send lanes of a push: single adds (Zoom's Light label) and batch adds (Heavy), each a worker pool
 * with its own rate gate and pacer. Around every attempt the ledger gets a `send` line before the
 * request leaves (it is durable, then the rate gate's permit is taken: permits at send time), and a
 * `void` line when the answer shows Zoom executed nothing, so only adds Zoom may have executed count
 * toward the person's 3 a day (issue 10).
 */
import type { Logger } from "pino";
import type { OutputRow } from "../output/index.js";
import { AttemptNotStarted, chunk, chunkBy, runPool, type LimitHint, type PoolOptions, type PoolResult, type RetryPolicyOptions, type WorkerContext } from "../pool/index.js";
import type { RegistrantBody } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventLedger } from "../state/index.js";
import { QuotaGuardError, RateLimitError, type PerSecondLimit } from "../errors.js";
// The pure parts of src/zoom, not its index: a dry run must not load the HTTP client (undici is ~20 MB).
import { classifyFailure, isRegistrantGone } from "../zoom/classify.js";
import type { AddBatchResult, AddRegistrantResult, EventRef, ListedRegistrant, RateLimitLabel, RegistrantAction } from "../zoom/client.js";
import type { RateBudgets } from "./budgets.js";
import { nextUtcMidnightMs } from "../zoom/retry-after.js";
import { maxStatusChangesPerRegistrantPerDay, mayHaveExecuted } from "./refusal.js";
import type { SendItem } from "./rows.js";
import { quotaDecision } from "./triage.js";

/** The one Zoom call a push needs; the ZoomClient provides it, tests may stub it. */
export type AddRegistrant = (
  event: EventRef,
  body: RegistrantBody & { auto_approve?: boolean },
  options: { occurrenceIds?: readonly string[]; signal?: AbortSignal },
) => Promise<AddRegistrantResult>;

/** The batch endpoint: at most 30 people per call, each with only email and names (docs/zoom-facts.md). */
export type AddBatch = (
  event: EventRef,
  body: { registrants: { email: string; first_name: string; last_name?: string }[]; auto_approve?: boolean; registrants_confirmation_email?: boolean },
  options: { signal?: AbortSignal },
) => Promise<AddBatchResult>;

export const batchSize = 30;

/**
 * How long a batch that is not full waits for its next row before it goes out. Long enough for a
 * file's rows to fill it (they come in microseconds), short enough that a lone batchable row among
 * rows sent one by one is not held to the end of the input, and every row behind it with it.
 */
export const batchLingerMs = 300;

export interface LaneOptions {
  event: EventRef;
  autoApprove: boolean;
  concurrency: number;
  retry: RetryPolicyOptions;
  ledger: EventLedger<OutputRow> | undefined;
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Stops the lanes: nothing new starts, what is in flight finishes. */
  signal: AbortSignal;
  /** Where a `void` line's write goes, so a failure to write it stops the run (recorder.track). */
  track: (write: Promise<void>) => void;
  /** Counts kept for the summary. */
  counters: { rowsSent: number; singleRequests: number; batchRequests: number };
  /** The run's one gate and pacer per label, shared by every lane that spends it. */
  budgets: RateBudgets;
}

/**
 * What the ledger hears of each attempt: a `send` line before it (after the quota guard, which also
 * runs before retries: an attempt whose answer never came may have been executed) and a `void` line
 * when its failure shows Zoom executed nothing.
 */
export class AttemptLog {
  constructor(
    private readonly options: Pick<LaneOptions, "ledger" | "clock" | "track">,
    /** Adds (3 a day) or status changes (10 a day): what each attempt spends. */
    private readonly spends: "add" | "status" = "add",
  ) {}

  /** Throws QuotaGuardError when the person's allowance today is spent; else the ledger line is durable when this resolves. */
  async begin(item: SendItem): Promise<void> {
    const spent = this.quotaSpent(item);
    if (spent !== undefined) throw spent;
    const { ledger, clock } = this.options;
    if (this.spends === "add") await ledger?.recordSend(item.key, item.bodyHash, clock.now());
    else await ledger?.recordStatusChange(item.key, item.change?.action ?? "", clock.now());
  }

  /**
   * `begin` for every row of a batch: a row whose allowance is spent leaves the batch (and is handed to
   * `onSpent`); the others' lines go out side by side, in one group commit, not one fdatasync each.
   */
  async beginBatch(batch: SendItem[], onSpent: (item: SendItem, error: QuotaGuardError) => void): Promise<void> {
    for (const item of [...batch]) {
      const spent = this.quotaSpent(item);
      if (spent === undefined) continue;
      batch.splice(batch.indexOf(item), 1);
      onSpent(item, spent);
    }
    await Promise.all(batch.map((item) => this.begin(item)));
  }

  /** The guard's refusal when this person's allowance today is spent, else undefined. */
  quotaSpent(item: SendItem): QuotaGuardError | undefined {
    const { ledger, clock } = this.options;
    const nowMs = clock.now();
    if (this.spends === "add") {
      const addsToday = ledger?.addsOnDay(item.key, nowMs) ?? 0;
      const spent = quotaDecision(addsToday, nowMs);
      return spent === undefined ? undefined : new QuotaGuardError(addsToday, spent.untilMs);
    }
    const changes = ledger?.statusChangesOnDay(item.key, nowMs) ?? 0;
    if (changes < maxStatusChangesPerRegistrantPerDay) return undefined;
    return new QuotaGuardError(changes, nextUtcMidnightMs(nowMs), { noun: "status changes", perDay: maxStatusChangesPerRegistrantPerDay });
  }

  /** After an attempt whose `begin` resolved: gives it back when Zoom did not execute it. */
  end(item: SendItem, error: unknown): void {
    const { ledger, clock } = this.options;
    if (ledger === undefined || mayHaveExecuted(error)) return;
    this.options.track(this.spends === "add" ? ledger.voidSend(item.key, clock.now()) : ledger.voidStatusChange(item.key, clock.now()));
  }

  /** Passes the pool's results on, giving back the `send` lines of attempts the pool stopped before sending. */
  async *givingBackUnsent<T extends SendItem | SendItem[], R>(results: AsyncIterable<PoolResult<T, R>>): AsyncGenerator<PoolResult<T, R>> {
    for await (const result of results) {
      if (!result.ok && result.error instanceof AttemptNotStarted) {
        for (const item of ([] as SendItem[]).concat(result.item)) this.end(item, result.error);
      }
      yield result;
    }
  }
}

export function singleLane(items: AsyncIterable<SendItem> | Iterable<SendItem>, add: AddRegistrant, options: LaneOptions): AsyncIterable<PoolResult<SendItem, AddRegistrantResult>> {
  const attempts = new AttemptLog(options);
  const results = runPool<SendItem, AddRegistrantResult>(
    items,
    async (item, context) => {
      try {
        if (context.attempt === 1) options.counters.rowsSent += 1;
        options.counters.singleRequests += 1;
        // A person added afresh after Zoom would not approve them again was approved before: at once again (meetings).
        const approveNow = options.autoApprove || (item.readd === true && options.event.kind === "meeting");
        const body = approveNow ? { ...item.body, auto_approve: true } : item.body;
        return await add(options.event, body, { occurrenceIds: item.occurrenceIds, signal: context.signal });
      } catch (error) {
        attempts.end(item, error);
        throw error;
      }
    },
    {
      ...poolOptions("Light", options),
      beforeAttempt: (item) => attempts.begin(item),
    },
  );
  return attempts.givingBackUnsent(results);
}

export interface BatchLaneOptions extends LaneOptions {
  addBatch: AddBatch;
  confirmationEmail: boolean | undefined;
  meeting: boolean;
  /** A row whose adds today are spent leaves its batch before the attempt, with its reason. */
  onQuotaSpent: (item: SendItem, error: QuotaGuardError) => void;
}

export function batchLane(items: AsyncIterable<SendItem>, options: BatchLaneOptions): AsyncIterable<PoolResult<SendItem[], AddBatchResult>> {
  const groups = chunk(items, batchSize, { lingerMs: batchLingerMs, clock: options.clock });
  return groupLane(groups, new AttemptLog(options), "Heavy", options, (batch, context) => {
    if (batch.length === 0) return Promise.resolve({ registrants: [], trackingId: undefined, status: 201 });
    if (context.attempt === 1) options.counters.rowsSent += batch.length;
    options.counters.batchRequests += 1;
    return options.addBatch(options.event, batchBody(batch, options), { signal: context.signal });
  });
}

/**
 * A pool of calls that each carry a group of rows (a batch of adds, a status change). Before every
 * attempt each row is checked against its quota again (a row whose day is spent leaves the group as
 * deferred) and recorded as attempted; a failed call ends every row's attempt.
 */
function groupLane<R>(
  groups: AsyncIterable<SendItem[]>,
  attempts: AttemptLog,
  label: RateLimitLabel,
  options: LaneOptions & { onQuotaSpent: (item: SendItem, error: QuotaGuardError) => void },
  send: (group: SendItem[], context: WorkerContext) => Promise<R>,
): AsyncIterable<PoolResult<SendItem[], R>> {
  const results = runPool<SendItem[], R>(
    groups,
    async (group, context) => {
      try {
        return await send(group, context);
      } catch (error) {
        for (const item of group) attempts.end(item, error);
        throw error;
      }
    },
    { ...poolOptions(label, options), beforeAttempt: (group) => attempts.beginBatch(group, options.onQuotaSpent) },
  );
  return attempts.givingBackUnsent(results);
}

/** `PUT .../registrants/status`: the ZoomClient provides it, tests may stub it. */
export type UpdateStatus = (
  event: EventRef,
  body: { action: RegistrantAction; registrants: { id: string; email: string }[] },
  options: { signal?: AbortSignal },
) => Promise<{ status: number; trackingId: string | undefined }>;

export interface StatusLaneOptions extends LaneOptions {
  updateStatus: UpdateStatus;
  /** A row whose status changes today are spent leaves its batch before the attempt. */
  onQuotaSpent: (item: SendItem, error: QuotaGuardError) => void;
}

/**
 * Approvals, cancellations and denials, 30 registrants a call per action (docs/zoom-facts.md), each
 * counted toward the person's 10 status changes a day like adds toward their 3 (issue 13).
 */
export function statusLane(items: AsyncIterable<SendItem>, options: StatusLaneOptions): AsyncIterable<PoolResult<SendItem[], { trackingId: string | undefined }>> {
  const groups = chunkBy(items, (item) => item.change?.action ?? "", batchSize, { lingerMs: batchLingerMs, clock: options.clock });
  return groupLane(groups, new AttemptLog(options, "status"), "Medium", options, async (batch, context) => {
    const action = batch[0]?.change?.action;
    if (action === undefined) return { trackingId: undefined };
    const registrants = batch.map((item) => ({ id: item.change?.registrantId ?? "", email: item.body.email }));
    const answer = await options.updateStatus(options.event, { action, registrants }, { signal: context.signal });
    return { trackingId: answer.trackingId };
  });
}

/** `GET .../registrants/{id}` and `DELETE .../registrants/{id}`: the ZoomClient provides them, tests may stub them. */
export type ReadRegistrant = (event: EventRef, registrantId: string, options: { signal?: AbortSignal }) => Promise<ListedRegistrant & { trackingId: string | undefined }>;
export type DeleteRegistrant = (event: EventRef, registrantId: string, options: { signal?: AbortSignal }) => Promise<{ trackingId: string | undefined }>;

/** What became of an approval, read back from Zoom. */
export type AfterApproval =
  /** Approved: the row gets this join_url (the status call answers 204 with no body). */
  | { kind: "approved"; joinUrl: string; trackingId: string | undefined }
  /** Zoom would not approve a removed registrant again (or it is gone): deleted, to be added afresh. */
  | { kind: "readd" }
  /** As `readd`, but the person's 3 adds today are spent: nothing was deleted, the row is deferred. */
  | { kind: "readd-tomorrow" }
  /** Zoom took the approval and still does not list the person as approved. */
  | { kind: "not-approved"; status: string };

export interface RegistrantLaneOptions extends LaneOptions {
  readRegistrant: ReadRegistrant;
  deleteRegistrant: DeleteRegistrant;
}

/**
 * After an approval: reads the registrant back (Light) for the join_url the row must carry (issue 17,
 * "a join_url for every approved row in the same run"). For a re-admission Zoom did not take (its
 * answer to approving a cancelled or denied registrant is not documented: docs/zoom-facts.md), the
 * way that works: delete the registration (a second Light request, with its own permit), then add
 * the person afresh, within their 3 adds today.
 */
export function registrantLane(items: AsyncIterable<SendItem>, options: RegistrantLaneOptions): AsyncIterable<PoolResult<SendItem, AfterApproval>> {
  const { gate } = options.budgets.of("Light");
  const addsToday = (item: SendItem): number => options.ledger?.addsOnDay(item.key, options.clock.now()) ?? 0;
  return runPool<SendItem, AfterApproval>(
    items,
    async (item, context) => {
      const registrantId = item.change?.registrantId ?? "";
      const found = await orGone(options.readRegistrant(options.event, registrantId, { signal: context.signal }));
      if (found?.status === "approved") return { kind: "approved", joinUrl: found.join_url ?? "", trackingId: found.trackingId };
      if (item.change?.readmit !== true) return { kind: "not-approved", status: found?.status ?? "not found" };
      if (quotaDecision(addsToday(item), options.clock.now()) !== undefined) return { kind: "readd-tomorrow" };
      if (found !== undefined) {
        await gate.acquire(context.signal);
        await orGone(options.deleteRegistrant(options.event, registrantId, { signal: context.signal }));
      }
      return { kind: "readd" };
    },
    poolOptions("Light", options),
  );
}

/** The registrant, or undefined when Zoom says there is no such registrant (deleted by the host, or by us a moment ago). */
async function orGone<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isRegistrantGone(error)) return undefined;
    throw error;
  }
}

function batchBody(batch: readonly SendItem[], options: BatchLaneOptions): Parameters<AddBatch>[1] {
  return {
    registrants: batch.map((item) => ({ email: item.body.email, first_name: item.body.first_name, ...(item.body.last_name === undefined ? {} : { last_name: item.body.last_name }) })),
    ...(options.autoApprove ? { auto_approve: true } : {}),
    ...(options.meeting && options.confirmationEmail !== undefined ? { registrants_confirmation_email: options.confirmationEmail } : {}),
  };
}

function poolOptions<T>(label: RateLimitLabel, options: LaneOptions): PoolOptions<T> {
  const { clock, logger } = options;
  const { gate, pacer } = options.budgets.of(label);
  return {
    concurrency: options.concurrency,
    gate,
    pacing: { pacer, minConcurrency: 1, maxConcurrency: options.concurrency, hintsOf: limitHintOf },
    classify: classifyFailure,
    retry: options.retry,
    clock,
    random: options.random,
    signal: options.signal,
    onRetry: ({ attempt, error, delayMs, pausePool, counts: kind }) => {
      logger.warn(
        { attempt, delayMs, error: error instanceof Error ? error.message : String(error) },
        kind === "throttled" ? (pausePool ? "rate limited: pausing all requests" : "rate limited: slowing down") : "retrying after a transient failure",
      );
    },
  };
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
