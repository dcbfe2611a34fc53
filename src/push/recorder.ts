/**
 * The one place a push writes outcomes: the ledger's `done` line first, then the output row (issue 11,
 * "Ledger first": a row a downstream system reads is one the next run also knows). Rows reach the
 * output in input order through the reorder buffer.
 */
import type { Logger } from "pino";
import { ConfigError } from "../errors.js";
import type { OutputRow, RejectRow, RowStatus } from "../output/index.js";
import type { Clock } from "../shared/clock.js";
import { stateWriteError, type EventLedger } from "../state/index.js";
import { ownedBy } from "./ownership.js";
import { ReorderBuffer } from "./reorder.js";
import type { SendItem } from "./rows.js";

export type StatusCounts = Record<RowStatus, number>;

/** A row waiting for its turn in the output, and whether this run sent its add (for progress). */
interface Recorded {
  row: OutputRow;
  sentThisRun: boolean;
}

/** Rows the output may hold behind one unfinished row (~0.5 KB each) before reading waits. */
export const maxHeldRows = 1_000;

export interface RecorderOptions {
  ledger: EventLedger<OutputRow> | undefined;
  /** `sentThisRun`: the row's add went to Zoom in this run (not answered from the ledger or Zoom's list). */
  writeRow: (row: OutputRow, sentThisRun: boolean) => void;
  writeReject: (row: RejectRow) => void;
  clock: Clock;
  logger: Logger;
  /** A ledger write failed (disk full, I/O error): the run must stop, the state file cannot follow it. */
  onFailure: (error: ConfigError) => void;
}

export class OutcomeRecorder {
  readonly counts: StatusCounts = { registered: 0, pending_approval: 0, existing: 0, failed: 0, deferred: 0, invalid: 0, duplicate: 0, not_sent: 0, approved: 0, cancelled: 0, denied: 0, unchanged: 0 };
  private readonly output: ReorderBuffer<Recorded>;
  private readonly pending = new Set<Promise<void>>();
  /** The first ledger write that failed: the run must stop, its state file cannot follow. */
  private ledgerFailure: ConfigError | undefined;

  constructor(private readonly options: RecorderOptions) {
    this.output = new ReorderBuffer<Recorded>(({ row, sentThisRun }) => {
      this.counts[row.status] += 1;
      options.writeRow(row, sentThisRun);
    });
  }

  /** An invalid or duplicate row: the output and the rejects file, nothing in the ledger. */
  reject(seq: number, row: OutputRow, reject: RejectRow): void {
    this.output.put(seq, { row, sentThisRun: false });
    this.options.writeReject(reject);
  }

  /**
   * A row's outcome: into the ledger (`final`: a re-run answers it from there and sends nothing), and,
   * once written there, into the output. `sentThisRun` false: learnt from Zoom's list, not sent.
   * `added`: the row's registration is what zoomreg's add made now, so it is zoomreg's own (ownership.ts).
   */
  outcome(item: Pick<SendItem, "seq" | "key" | "bodyHash" | "owns">, row: OutputRow, final: boolean, sentThisRun = true, added = false): void {
    const { ledger, clock } = this.options;
    if (ledger === undefined) {
      this.output.put(item.seq, { row, sentThisRun });
      return;
    }
    const owned = ownedBy(row, item.owns, added);
    this.track(
      ledger.recordDone(item.key, { atMs: clock.now(), final, bodyHash: item.bodyHash, owned, row }).then(
        () => this.output.put(item.seq, { row, sentThisRun }),
        (error: unknown) => {
          this.noteFailure(error);
          // The person may be registered: their join_url is worth more than the file's consistency.
          this.output.put(item.seq, { row, sentThisRun });
        },
      ),
    );
  }

  /**
   * Resolves when the output holds fewer than {@link maxHeldRows} rows behind an earlier one: the
   * reader awaits it before each record, so rows answered at once (from the ledger, Zoom's list or
   * rejected) count toward backpressure like rows sent.
   */
  room(signal: AbortSignal): Promise<void> {
    return this.output.room(maxHeldRows, signal);
  }

  /** A row with nothing to tell the next run (a dry run's, or one the run stopped before sending). */
  unrecorded(seq: number, row: OutputRow): void {
    this.output.put(seq, { row, sentThisRun: false });
  }

  /** A ledger write whose failure must stop the run but need not be awaited now. */
  track(write: Promise<void>): void {
    const tracked = write.catch((error: unknown) => this.noteFailure(error));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private noteFailure(error: unknown): void {
    if (this.ledgerFailure !== undefined) return;
    this.ledgerFailure = error instanceof ConfigError ? error : stateWriteError(this.options.ledger?.path ?? "the state file", error);
    this.options.onFailure(this.ledgerFailure);
  }

  /** Waits for every ledger write, then writes what the output still holds, in order. */
  async close(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    this.output.flushAll();
  }
}
