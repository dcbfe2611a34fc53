import { ConfigError } from "../errors.js";
import { DurableLog, type LinePosition } from "./durable-log.js";

/**
 * The per-event state ledger: what was sent for whom, when, and with what result. It is what makes a
 * re-run a no-op, a killed run resumable, and the 3-adds-a-day limit something zoomreg never trips.
 *
 * Two kinds of line, both written durably:
 * - `send` BEFORE each request: if the answer never comes (timeout, kill -9), the attempt still counts
 *   against the registrant's daily adds, because Zoom may have executed it (docs/zoom-facts.md: "A retry that
 *   Zoom already executed still spends one of the three").
 * - `done` after the answer: the row's final outcome, enough to write its output row again unchanged.
 *
 * Why a JSON-lines file and not SQLite: appends with group-committed fdatasync give the durability
 * needed, it needs no native addon (better-sqlite3 must compile or download a binary at install), and
 * a person can read it with `grep` when support asks what happened.
 */
export interface SendLine {
  t: "send";
  email: string;
  atMs: number;
  bodyHash: string;
}

/** Gives back the last send: Zoom refused the request as a whole, so it was not executed. */
export interface VoidLine {
  t: "void";
  email: string;
  atMs: number;
}

export interface DoneLine<Row> {
  t: "done";
  email: string;
  atMs: number;
  /** Final outcomes are not retried on a re-run with the same body; the others are. */
  final: boolean;
  bodyHash: string;
  row: Row;
}

/**
 * A status change (approve, cancel, deny) BEFORE it is sent: Zoom allows 10 a day per registrant
 * (docs/zoom-facts.md, "Rate limits"), counted like adds.
 */
export interface StatusLine {
  t: "status";
  email: string;
  atMs: number;
  action: string;
}

/** Gives back the last status change: Zoom refused it, so it was not executed. */
export interface StatusVoidLine {
  t: "status-void";
  email: string;
  atMs: number;
}

type LedgerLine<Row> = SendLine | VoidLine | DoneLine<Row> | StatusLine | StatusVoidLine;

interface HeaderLine {
  t: "event";
  event: string;
  createdAt: string;
}

/**
 * What the ledger keeps per email, in numbers only (one small object of a fixed shape, no arrays):
 * a re-run over 200,000 earlier outcomes held 350 bytes an email with arrays of send times and
 * position objects (issue 11, "bounded memory").
 */
class EmailState {
  /** The UTC day (days since the epoch) that `sends` and `statusChanges` count. */
  day = -1;
  /** Adds sent on `day`, less those given back. */
  sends = 0;
  /** Status changes sent on `day`, less those given back. */
  statusChanges = 0;
  /** Where the last outcome from an earlier run lies in the state file (-1: none): read again when asked for. */
  doneOffset = -1;
  doneLength = 0;

  /** Starts counting `dayNumber` afresh when it is a later day (Zoom resets at 00:00 UTC). */
  countOn(dayNumber: number): void {
    if (dayNumber <= this.day) return;
    this.day = dayNumber;
    this.sends = 0;
    this.statusChanges = 0;
  }
}

const dayMs = 86_400_000;

/** `disk full: cannot write <file> (ENOSPC)`: the state file could not follow the run, which must stop. */
export function stateWriteError(path: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new ConfigError(`${code === "ENOSPC" ? "disk full: " : ""}cannot write ${path} (${code ?? String(error)})`, {
    cause: error,
    hint: "free space on that disk (or move the state with --state) and run again: what was written is kept, and the next run reads it",
  });
}

export class EventLedger<Row> {
  private readonly byEmail = new Map<string, EmailState>();

  /** Set by `open` once the file has been read (reading it fills `byEmail`). */
  private log!: DurableLog;

  private constructor(readonly path: string) {}

  /**
   * Opens the ledger of `eventKey` (e.g. `meeting:85746065`), creating it; refuses another event's.
   * One opened ledger serves one run: state for emails this run finishes is not kept in memory (the
   * file has it), so a second run reopens the file rather than reuse this object.
   *
   * What an earlier run left is read a line at a time and kept small: per email, the sends of the
   * current UTC day (earlier days' sends never count again: Zoom resets at 00:00 UTC) and where its
   * last outcome lies in the file, not the outcome itself.
   */
  static async open<Row>(path: string, eventKey: string, now: Date): Promise<EventLedger<Row>> {
    const todayStartMs = Math.floor(now.getTime() / dayMs) * dayMs;
    const ledger = new EventLedger<Row>(path);
    let header: Partial<HeaderLine> | undefined;
    try {
      ledger.log = DurableLog.open(path, (record, at) => {
        if (header === undefined) header = record as Partial<HeaderLine>;
        else if (header.t === "event" && header.event === eventKey) ledger.apply(record as LedgerLine<Row>, { at, todayStartMs });
      });
    } catch (error) {
      throw new ConfigError(`cannot open state file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        hint: "choose a writable place with --state",
      });
    }
    if (header === undefined) {
      await ledger.log.append({ t: "event", event: eventKey, createdAt: now.toISOString() } satisfies HeaderLine);
    } else if (header.t !== "event" || header.event !== eventKey) {
      ledger.log.close();
      throw new ConfigError(`state file ${path} belongs to ${String(header.event ?? "something else")}, not ${eventKey}`, {
        hint: "use one state file per event: pass another --state or --out",
      });
    }
    return ledger;
  }

  /**
   * The last outcome recorded for this email by an earlier run, if any. Outcomes of this run go to
   * the file but are not kept in memory: a run looks each email up once, before sending it, so only
   * earlier runs' outcomes are ever asked for, and a 200,000-row run need not hold 200,000 rows.
   */
  previous(email: string): DoneLine<Row> | undefined {
    const state = this.byEmail.get(email);
    return state === undefined || state.doneOffset < 0 ? undefined : (this.log.readLine({ offset: state.doneOffset, length: state.doneLength }) as DoneLine<Row>);
  }

  /** Adds sent for this email during the UTC day that contains `nowMs` (Zoom resets at 00:00 UTC). */
  addsOnDay(email: string, nowMs: number): number {
    const state = this.byEmail.get(email);
    return state?.day === dayOf(nowMs) ? state.sends : 0;
  }

  /** Status changes sent for this email during the UTC day that contains `nowMs`. */
  statusChangesOnDay(email: string, nowMs: number): number {
    const state = this.byEmail.get(email);
    return state?.day === dayOf(nowMs) ? state.statusChanges : 0;
  }

  async recordStatusChange(email: string, action: string, atMs: number): Promise<void> {
    await this.record({ t: "status", email, atMs, action } satisfies StatusLine);
  }

  /** The last status change to this email was refused: it was not executed. */
  async voidStatusChange(email: string, atMs: number): Promise<void> {
    await this.record({ t: "status-void", email, atMs } satisfies StatusVoidLine);
  }

  /**
   * Every outcome earlier runs recorded, for emails this run has not finished: what a prune looks
   * through for the people zoomreg registered. Read from the file one line at a time.
   */
  *earlierOutcomes(): Generator<DoneLine<Row>> {
    for (const state of this.byEmail.values()) {
      if (state.doneOffset >= 0) yield this.log.readLine({ offset: state.doneOffset, length: state.doneLength }) as DoneLine<Row>;
    }
  }

  async recordSend(email: string, bodyHash: string, atMs: number): Promise<void> {
    await this.record({ t: "send", email, atMs, bodyHash } satisfies SendLine);
  }

  /** The last send to this email was answered with a refusal of the whole request: it spent no add. */
  async voidSend(email: string, atMs: number): Promise<void> {
    await this.record({ t: "void", email, atMs } satisfies VoidLine);
  }

  async recordDone(email: string, outcome: Omit<DoneLine<Row>, "t" | "email">): Promise<void> {
    await this.record({ t: "done", email, ...outcome } satisfies DoneLine<Row>);
  }

  /** Emails with adds counted in the UTC day that contains `nowMs`. */
  emailsWithAddsOnDay(nowMs: number): string[] {
    return [...this.byEmail.keys()].filter((email) => this.addsOnDay(email, nowMs) > 0);
  }

  /**
   * Gives back every add counted today for an email that Zoom's registrant list does not show: an add
   * Zoom executed would have registered the person, so whatever its answer was (none, a 5xx), it was
   * not executed and spent none of their 3 a day (docs/zoom-facts.md: it is an executed add that spends one).
   */
  async giveBackAdds(email: string, nowMs: number): Promise<void> {
    for (let i = this.addsOnDay(email, nowMs); i > 0; i -= 1) await this.voidSend(email, nowMs);
  }

  /** Applies a line to what is kept in memory, then appends it (durable when this resolves). */
  private async record(line: LedgerLine<Row>): Promise<void> {
    this.apply(line);
    await this.append(line);
  }

  /** Appends a line; a failed write is a one-line error naming the file, whatever the disk said. */
  private async append(line: LedgerLine<Row>): Promise<void> {
    try {
      await this.log.append(line);
    } catch (error) {
      throw stateWriteError(this.path, error);
    }
  }

  /** How many emails the ledger holds state for (rows in flight, earlier runs' outcomes): what the memory tests check. */
  get emailsInMemory(): number {
    return this.byEmail.size;
  }

  close(): void {
    this.log.close();
  }

  /** `file` says the line was read from the file (an earlier run's), and where it lies. */
  private apply(line: LedgerLine<Row>, file?: { at: LinePosition; todayStartMs: number }): void {
    if (typeof line.email !== "string") return;
    let state = this.byEmail.get(line.email);
    if (state === undefined) {
      state = new EmailState();
      this.byEmail.set(line.email, state);
    }
    if (line.t === "send" || line.t === "status") {
      // Earlier days' sends never count again: Zoom resets at 00:00 UTC.
      if (file !== undefined && line.atMs < file.todayStartMs) return;
      state.countOn(dayOf(line.atMs));
      if (line.t === "send") state.sends += 1;
      else state.statusChanges += 1;
    } else if (line.t === "void") {
      state.sends = Math.max(0, state.sends - 1);
    } else if (line.t === "status-void") {
      state.statusChanges = Math.max(0, state.statusChanges - 1);
    } else if (line.t === "done") {
      if (file === undefined) {
        // A run asks about each email once, before its first send, and never after its outcome (the
        // duplicate tracker rejects a second row for the same email): forget it, so that memory
        // holds the rows in flight and earlier runs' outcomes, not every email this run finished.
        this.byEmail.delete(line.email);
        return;
      }
      state.doneOffset = file.at.offset;
      state.doneLength = file.at.length;
    }
  }
}

function dayOf(epochMs: number): number {
  return Math.floor(epochMs / dayMs);
}
