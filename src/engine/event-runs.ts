/**
 * The events of a run of many (issue 20), each pushed as a single-event run pushes its one
 * (event-push.ts) while sharing the account's budgets and stops. An event starts when its first row
 * appears; at most `maxEventsAtOnce` push at once, the rest wait with their rows on disk, in the
 * order they first appeared. Each event's rows and rejects go to a part of their own, merged into the
 * run's output in input order when every event is done (merge-parts.ts).
 */
import type { RawRecord } from "../input/index.js";
import type { EventOutputRow, EventRejectRow, OutputRow, RejectRow } from "../output/index.js";
import { emptyRow } from "../push/rows.js";
import { concernsTheAccount, type SharedStop } from "../push/shared-stop.js";
import type { ColumnMapping } from "../registrant/index.js";
import { SpoolQueue } from "../state/index.js";
import type { EventRef } from "../zoom/index.js";
import { InputError, ZoomregError } from "../errors.js";
import { exitCodeFor } from "./exit-codes.js";
import type { EventPushContext, EventPushResult } from "./event-push.js";
import { RowTally } from "./row-tally.js";
import { eventKey } from "./row-event.js";
import { whoIn } from "./who.js";

/** Events pushing at once, at most: each holds a lock, a ledger and its indexes; the rest wait on disk. */
export const maxEventsAtOnce = 32;
/**
 * Events in one run, at most: each keeps up to three temporary files open until the merge, and a
 * process may open about a thousand. The rows of events beyond it are not_sent, saying so.
 */
export const maxEventsPerRun = 300;
/** Rows each part keeps in memory before the rest goes to its file: few, since thousands of parts may wait. */
const rowsInMemory = 100;

export type EventPhase = "waiting" | "pushing" | "done";

/** One event of the run: its rows as they come, its part of the outputs, and how it ended. */
export class EventRun {
  readonly input: SpoolQueue<RawRecord>;
  readonly rows: SpoolQueue<EventOutputRow>;
  readonly rejects: SpoolQueue<EventRejectRow>;
  readonly tally = new RowTally();
  phase: EventPhase = "waiting";
  /** Set when the event pushed (whatever came of it). */
  result: EventPushResult | undefined;
  /** Set when the event refused everyone before a row was sent, or another run held it: its rows are not_sent. */
  refusal: ZoomregError | undefined;
  /** Rows routed to the event. */
  rowsRouted = 0;
  startedAtMs = 0;
  endedAtMs = 0;

  constructor(
    readonly event: EventRef,
    /** The run's output path, which the parts' files are named after. */
    besidePath: string,
  ) {
    const name = `${besidePath}.${event.kind}-${event.id}`;
    this.input = new SpoolQueue<RawRecord>({ besidePath: `${name}.input`, maxInMemory: rowsInMemory });
    this.rows = new SpoolQueue<EventOutputRow>({ besidePath: `${name}.rows`, maxInMemory: rowsInMemory });
    this.rejects = new SpoolQueue<EventRejectRow>({ besidePath: `${name}.rejects`, maxInMemory: rowsInMemory });
  }

  get key(): string {
    return eventKey(this.event);
  }

  /** A row of this event's, with the event's columns, counted and handed on. */
  writeRow(row: OutputRow, sentThisRun: boolean, onRow: (row: EventOutputRow, sentThisRun: boolean) => void): void {
    const withEvent: EventOutputRow = { ...row, event_kind: this.event.kind, event_id: this.event.id };
    this.tally.add(row.status, sentThisRun);
    this.rows.push(withEvent);
    onRow(withEvent, sentThisRun);
  }

  writeReject(row: RejectRow): void {
    this.rejects.push({ ...row, event_kind: this.event.kind, event_id: this.event.id });
  }

  dispose(): void {
    this.input.dispose();
    this.rows.dispose();
    this.rejects.dispose();
  }
}

export interface EventRunsOptions {
  /** The output path the parts are named after. */
  besidePath: string;
  /** The run's signal: once it aborts, no event starts, and the rows no event took are not_sent. */
  signal: AbortSignal;
  sharedStop: SharedStop;
  /** Everything pushToEvent needs but the event, its rows and its sinks. */
  contextFor: (run: EventRun) => Omit<EventPushContext, "records" | "openSinks" | "onLock"> & Pick<EventPushContext, "onLock">;
  push: (context: EventPushContext) => Promise<EventPushResult>;
  onRow: (row: EventOutputRow, sentThisRun: boolean) => void;
  /** The first record's mapping: a refused event's rows are written with the person they name. */
  mapping: ColumnMapping;
  nowMs: () => number;
  /** Told when an event starts pushing and when it is done (the CLI's progress names it). */
  onPhase?: (run: EventRun) => void;
}

/** The run's events by key, in the order their first rows appeared, and the pushes between them. */
export class EventRuns {
  private readonly byKey = new Map<string, EventRun>();
  private readonly waiting: EventRun[] = [];
  private readonly running = new Set<Promise<void>>();
  /** What broke an event's push that is not zoomreg's to report as a refusal (a bug, a full disk): the run ends with it. */
  failure: unknown;

  constructor(private readonly options: EventRunsOptions) {}

  get all(): EventRun[] {
    return [...this.byKey.values()];
  }

  /** How many of the events seen so far are pushing, and how many are done (the progress line's). */
  phases(): { seen: number; pushing: number; done: number } {
    let pushing = 0;
    let done = 0;
    for (const run of this.byKey.values()) {
      if (run.phase === "pushing") pushing += 1;
      else if (run.phase === "done") done += 1;
    }
    return { seen: this.byKey.size, pushing, done };
  }

  /** Whether a row for `event` can be taken: it is one of the run's, or there is room for one more (maxEventsPerRun). */
  takes(event: EventRef): boolean {
    return this.byKey.has(eventKey(event)) || this.byKey.size < maxEventsPerRun;
  }

  /** The event's run, made (and started, when there is room) at its first row. */
  routeTo(event: EventRef, record: RawRecord): void {
    const key = eventKey(event);
    let run = this.byKey.get(key);
    if (run === undefined) {
      run = new EventRun(event, this.options.besidePath);
      this.byKey.set(key, run);
      this.waiting.push(run);
      this.startWaiting();
    }
    run.rowsRouted += 1;
    run.input.push(record);
  }

  /**
   * No more rows: every event's input ends; events still waiting start as others finish. `error`: the
   * input broke (or the run did); each event then ends its input as a single-event run ends at a broken
   * line: what it read is sent and recorded, and it prunes nobody.
   */
  endInput(error?: InputError): void {
    for (const run of this.byKey.values()) run.input.close(error);
  }

  /** Resolves when every event is done (call after endInput); never rejects: see `failure`. */
  async allDone(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
  }

  disposeAll(): void {
    for (const run of this.byKey.values()) run.dispose();
  }

  private startWaiting(): void {
    while (this.running.size < maxEventsAtOnce && this.waiting.length > 0) {
      const run = this.waiting.shift() as EventRun;
      const pushing: Promise<void> = this.pushOne(run).finally(() => {
        this.running.delete(pushing);
        this.startWaiting();
      });
      this.running.add(pushing);
    }
  }

  private async pushOne(run: EventRun): Promise<void> {
    const { options } = this;
    run.phase = "pushing";
    run.startedAtMs = options.nowMs();
    options.onPhase?.(run);
    try {
      const notSent = await this.push(run);
      // Rows routed to the event that its push did not take (a signal, a refusal, a failure): not_sent.
      await this.notSendingRest(run, notSent);
    } catch (error) {
      // Only writing those rows can get here (a full disk): the run ends with it.
      this.failure ??= error;
    } finally {
      // The event's part is complete: the merge reads it through to its end.
      run.rows.close();
      run.rejects.close();
      run.phase = "done";
      run.endedAtMs = options.nowMs();
      options.onPhase?.(run);
    }
  }

  /** The event's push; returns why the rows it did not take were not sent. */
  private async push(run: EventRun): Promise<string> {
    const { options } = this;
    if (options.signal.aborted) return "interrupted";
    try {
      const stopped = options.sharedStop.reason;
      // Credentials refused or Zoom down before this event started: its reads would fail alike.
      if (stopped?.kind === "fatal") throw stopped.error;
      run.result = await options.push({
        ...options.contextFor(run),
        records: run.input,
        openSinks: () => ({
          writeRow: (row, sentThisRun) => run.writeRow(row, sentThisRun, options.onRow),
          writeReject: (row) => run.writeReject(row),
        }),
      });
      return "interrupted";
    } catch (error) {
      // A request cut short by the run's signal rejects with the signal's reason, often not a ZoomregError.
      if (options.signal.aborted) return "interrupted";
      if (!(error instanceof ZoomregError)) {
        this.failure ??= error;
        return "zoomreg failed on this event (a bug: please report it)";
      }
      run.refusal = error;
      if (concernsTheAccount(error)) options.sharedStop.report({ kind: "fatal", error });
      return error.message;
    }
  }

  /** The event's rows not taken, as they come to the end of the input: each not_sent, saying why. */
  private async notSendingRest(run: EventRun, why: string): Promise<void> {
    try {
      for await (const record of run.input) {
        const row: OutputRow = { ...emptyRow(record.position, "not_sent"), ...whoIn(record.fields, this.options.mapping), error_message: `not sent: ${why}; the next run sends it` };
        run.writeRow(row, false, this.options.onRow);
      }
    } catch (error) {
      // The input's own end (a broken line): the run reports it once.
      if (!(error instanceof InputError)) throw error;
    }
  }
}

/** What an event's push came to, as an exit code: its push's, or its refusal's (2, or 3 or 5 for the account's). */
export function eventExitCode(run: EventRun): number {
  if (run.result !== undefined) return run.result.exitCode;
  if (run.refusal !== undefined) return exitCodeFor(run.refusal);
  return 0;
}
