/**
 * How a push's items flow through its lanes (lanes.ts) and back to settle.ts: adds split into batches
 * and single adds, status changes, reads after approvals, and the feedback between them (a batch
 * refused for one row goes one by one; a re-admission Zoom will not approve is added afresh).
 */
import { merge, partition, type AsyncQueue, type PoolResult } from "../pool/index.js";
import { ConfigError } from "../errors.js";
import type { AddBatchResult, AddRegistrantResult } from "../zoom/client.js";
import { isBatchable } from "./cost.js";
import {
  batchLane,
  batchSize,
  registrantLane,
  singleLane,
  statusLane,
  type AddBatch,
  type AddRegistrant,
  type AfterApproval,
  type DeleteRegistrant,
  type LaneOptions,
  type ReadRegistrant,
  type StatusLaneOptions,
  type UpdateStatus,
} from "./lanes.js";
import type { SendItem } from "./rows.js";
import type { Settlement } from "./settle.js";

export interface LaneWiring {
  lane: LaneOptions;
  settle: Settlement;
  add: AddRegistrant;
  /** Batch registration (Heavy); undefined: single adds only. */
  batch: { addBatch: AddBatch; ratePerSecond: number; confirmationEmail: boolean | undefined; meeting: boolean } | undefined;
  statuses: { updateStatus: UpdateStatus; readRegistrant?: ReadRegistrant; deleteRegistrant?: DeleteRegistrant } | undefined;
  /** Rows for the single lane from the other lanes: a batch refused for one of its rows, people added afresh. */
  oneByOne: AsyncQueue<SendItem>;
  /** Approvals Zoom took, to read back for their join_urls (and re-admissions to check). */
  readBacks: AsyncQueue<SendItem>;
}

type Tagged =
  | { single: PoolResult<SendItem, AddRegistrantResult> }
  | { batch: PoolResult<SendItem[], AddBatchResult> }
  | { status: PoolResult<SendItem[], { trackingId: string | undefined }> }
  | { read: PoolResult<SendItem, AfterApproval> }
  | { ended: "batch" | "status" | "read" };

/** Sends every item of `items` through the lanes it needs, settling each result as it comes. */
export async function sendThroughLanes(items: AsyncIterable<SendItem>, wiring: LaneWiring): Promise<void> {
  const { lane, settle, batch, oneByOne, readBacks } = wiring;
  const [changes, addItems] = partition(items[Symbol.asyncIterator](), (item) => item.change !== undefined, { maxBuffered: 4 * batchSize });
  const adds = addItems[Symbol.asyncIterator]();
  const [batchable, singles] =
    batch === undefined ? [emptyAsync<SendItem>(), { [Symbol.asyncIterator]: () => adds }] : partition(adds, (item) => isBatchable(item.body, item.occurrenceIds), { maxBuffered: 4 * batchSize });
  // Rows of a batch refused for one of them go one by one at once, in the single lane: waiting for
  // the end of the input would hold every later row's output behind them, and stop reading.
  const singleResults = singleLane(merge(singles, oneByOne), wiring.add, lane);
  const batchResults = batch === undefined ? emptyAsync<PoolResult<SendItem[], AddBatchResult>>() : batchLane(batchable, { ...lane, ...batch, onQuotaSpent: (item, error) => settle.failure(item, error, 0) });
  const statusResults = statusLane(changes, { ...lane, ...statusOptions(wiring) });
  const readResults = registrantLane(readBacks, { ...lane, ...registrantOptions(wiring) });
  // A lane's end travels behind its last result, so what that result hands on is queued before the
  // queue it feeds is closed. A lane that throws (the input's first record refused) closes both
  // queues at once: the lanes reading them must end for the error to reach the caller.
  const closeQueues = (): void => {
    readBacks.close();
    oneByOne.close();
  };
  const tagged = merge<Tagged>(
    closingOnError(mapAsync(singleResults, (single) => ({ single })), closeQueues),
    closingOnError(endedBy(mapAsync(batchResults, (result) => ({ batch: result })), { ended: "batch" }), closeQueues),
    closingOnError(endedBy(mapAsync(statusResults, (status) => ({ status })), { ended: "status" }), closeQueues),
    closingOnError(endedBy(mapAsync(readResults, (read) => ({ read })), { ended: "read" }), closeQueues),
  );
  let feedingSingles = 2;
  for await (const next of tagged) {
    if ("single" in next) settle.single(next.single);
    else if ("status" in next) settle.status(next.status);
    else if ("read" in next) settle.afterApproval(next.read);
    else if ("batch" in next) for (const item of settle.batch(next.batch)) oneByOne.push(item);
    else if (next.ended === "status") readBacks.close();
    else if ((feedingSingles -= 1) === 0) oneByOne.close();
  }
}

/** --prune's cancellations, once the input is done: the status lane alone. */
export async function sendCancellations(items: readonly SendItem[], wiring: LaneWiring): Promise<void> {
  for await (const result of statusLane(fromArray(items), { ...wiring.lane, ...statusOptions(wiring) })) wiring.settle.status(result);
}

function statusOptions(wiring: LaneWiring): Pick<StatusLaneOptions, "updateStatus" | "onQuotaSpent"> {
  return { updateStatus: wiring.statuses?.updateStatus ?? refuseStatusChange, onQuotaSpent: (item, error) => wiring.settle.failure(item, error, 0) };
}

function registrantOptions(wiring: LaneWiring): { readRegistrant: ReadRegistrant; deleteRegistrant: DeleteRegistrant } {
  const { statuses } = wiring;
  return { readRegistrant: statuses?.readRegistrant ?? refuseStatusChange, deleteRegistrant: statuses?.deleteRegistrant ?? refuseStatusChange };
}

/** Without Zoom calls for it (push() from code given only an add): a status change fails with a ConfigError. */
function refuseStatusChange(): Promise<never> {
  return Promise.reject(new ConfigError("this push cannot change registrants' status", { hint: "push from the command line or give push() a Zoom client" }));
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function* emptyAsync<T>(): AsyncGenerator<T> {
  // Nothing: a lane that has no work.
}

/** Passes `source` on; when it throws, calls `onError` before the error goes on. */
async function* closingOnError<T>(source: AsyncIterable<T>, onError: () => void): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    onError();
    throw error;
  }
}

/** Passes `source` on, then `last` once it has ended. */
async function* endedBy<T, E>(source: AsyncIterable<T>, last: E): AsyncGenerator<T | E> {
  yield* source;
  yield last;
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncGenerator<U> {
  for await (const value of source) yield map(value);
}
