import { ConfigError } from "../errors.js";
import { HashIndex, withLength } from "../shared/hash-index.js";
import { DurableLog, parseJson, startsWith, type LinePosition } from "./durable-log.js";

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
  /**
   * The id of the registration zoomreg itself added for this person ("" for none): only those may be
   * pruned (issue 17). Absent in state files written before it; see `ownedRegistration`.
   */
  owned?: string;
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

/**
 * How a run ended, appended as its last line (issue 18: `zoomreg status` says when the last run ended
 * and how). Holds no email: readers of per-person lines pass over it, older versions included.
 */
export interface RunLine {
  t: "run";
  startedAt: string;
  endedAt: string;
  exitCode: number;
  /** Rows per status, as the summary counts them. */
  counts: Record<string, number>;
  /** Why the run stopped before the end, or null. */
  stoppedBy: string | null;
  /** ISO-8601: the earliest time a deferred row may be tried again, or null. */
  deferredUntil: string | null;
}

type LedgerLine<Row> = SendLine | VoidLine | DoneLine<Row> | StatusLine | StatusVoidLine;

interface HeaderLine {
  t: "event";
  event: string;
  createdAt: string;
}

/**
 * What the ledger keeps per email, in numbers only, in typed-array columns keyed by the email's hash:
 * ~40 bytes an email. A re-run over 200,000 earlier outcomes held 350 bytes an email with arrays of
 * send times and position objects, then 170 as a Map of strings to small objects (issue 11, "bounded
 * memory"). The email itself is in the state file, at `doneOffset`, for whoever must check it.
 */
class EmailStates {
  /** The UTC day (days since the epoch) that `sends` and `statusChanges` count. */
  private day = new Int32Array(1024);
  /** Adds sent on `day`, less those given back. */
  private sends = new Uint16Array(1024);
  /** Status changes sent on `day`, less those given back. */
  private statusChanges = new Uint16Array(1024);
  /** Where the last outcome from an earlier run lies in the state file (-1: none): read again when asked for. */
  private doneOffset = new Float64Array(1024);
  private doneLength = new Uint32Array(1024);
  private readonly index = new HashIndex((entry) => this.reset(entry));

  get size(): number {
    return this.index.size;
  }

  /** The entry of `email`, or -1. */
  find(email: string): number {
    return this.index.find(email);
  }

  /** The entry of `email`, created when it has none. */
  entryOf(email: string): number {
    return this.index.add(email);
  }

  forget(email: string): void {
    this.index.delete(email);
  }

  addsOn(entry: number, dayNumber: number): number {
    return this.day[entry] === dayNumber ? (this.sends[entry] ?? 0) : 0;
  }

  statusChangesOn(entry: number, dayNumber: number): number {
    return this.day[entry] === dayNumber ? (this.statusChanges[entry] ?? 0) : 0;
  }

  /** Counts one more add (`by` 1) or gives one back (-1) on `dayNumber`. */
  countSend(entry: number, dayNumber: number, by: 1 | -1): void {
    this.countOn(entry, dayNumber);
    this.sends[entry] = Math.max(0, (this.sends[entry] ?? 0) + by);
  }

  countStatusChange(entry: number, dayNumber: number, by: 1 | -1): void {
    this.countOn(entry, dayNumber);
    this.statusChanges[entry] = Math.max(0, (this.statusChanges[entry] ?? 0) + by);
  }

  /** Where `entry`'s last outcome from an earlier run lies in the file, if it has one. */
  done(entry: number): LinePosition | undefined {
    const offset = this.doneOffset[entry] ?? -1;
    return offset < 0 ? undefined : { offset, length: this.doneLength[entry] ?? 0 };
  }

  setDone(entry: number, at: LinePosition): void {
    this.doneOffset[entry] = at.offset;
    this.doneLength[entry] = at.length;
  }

  /** Every entry with an earlier run's outcome, and where it lies. */
  *withDone(): Generator<LinePosition> {
    for (const entry of this.index.entries()) {
      const at = this.done(entry);
      if (at !== undefined) yield at;
    }
  }

  /** Starts counting `dayNumber` afresh when it is a later day (Zoom resets at 00:00 UTC). */
  private countOn(entry: number, dayNumber: number): void {
    if (dayNumber <= (this.day[entry] ?? -1)) return;
    this.day[entry] = dayNumber;
    this.sends[entry] = 0;
    this.statusChanges[entry] = 0;
  }

  private reset(entry: number): void {
    const length = entry + 1;
    this.day = withLength(this.day, length);
    this.sends = withLength(this.sends, length);
    this.statusChanges = withLength(this.statusChanges, length);
    this.doneOffset = withLength(this.doneOffset, length);
    this.doneLength = withLength(this.doneLength, length);
    this.day[entry] = -1;
    this.sends[entry] = 0;
    this.statusChanges[entry] = 0;
    this.doneOffset[entry] = -1;
    this.doneLength[entry] = 0;
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
  private readonly states = new EmailStates();
  private latestRun: RunLine | undefined;

  /** Set by `open` once the file has been read (reading it fills `states`). */
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
      ledger.log = DurableLog.open(
        path,
        (record, at) => {
          if (header === undefined) header = record as Partial<HeaderLine>;
          else if (header.t === "event" && header.event === eventKey) {
            if ((record as Partial<RunLine>).t === "run") ledger.latestRun = record as RunLine;
            else ledger.apply(record as LedgerLine<Row>, { at, todayStartMs });
          }
        },
        { parse: parseLedgerLine },
      );
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
    const entry = this.states.find(email);
    const at = entry === -1 ? undefined : this.states.done(entry);
    if (at === undefined) return undefined;
    const line = this.outcomeAt(at);
    // Emails are kept as hashes: another email's outcome (a collision) must never answer this one.
    return line?.email === email ? line : undefined;
  }

  /** The done line at `at`; undefined when it does not parse (torn by a crash, see `parseLedgerLine`). */
  private outcomeAt(at: LinePosition): DoneLine<Row> | undefined {
    try {
      return this.log.readLine(at) as DoneLine<Row>;
    } catch {
      return undefined;
    }
  }

  /** How the last run that finished ended (its `run` line), if any did. */
  get lastRun(): RunLine | undefined {
    return this.latestRun;
  }

  /** Appends how this run ended: its last line. */
  async recordRun(run: Omit<RunLine, "t">): Promise<void> {
    const line: RunLine = { t: "run", ...run };
    this.latestRun = line;
    await this.append(line);
  }

  /** Adds sent for this email during the UTC day that contains `nowMs` (Zoom resets at 00:00 UTC). */
  addsOnDay(email: string, nowMs: number): number {
    const entry = this.states.find(email);
    return entry === -1 ? 0 : this.states.addsOn(entry, dayOf(nowMs));
  }

  /** Status changes sent for this email during the UTC day that contains `nowMs`. */
  statusChangesOnDay(email: string, nowMs: number): number {
    const entry = this.states.find(email);
    return entry === -1 ? 0 : this.states.statusChangesOn(entry, dayOf(nowMs));
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
    for (const at of this.states.withDone()) {
      const line = this.outcomeAt(at);
      if (line !== undefined) yield line;
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
    const { atMs, final, bodyHash, owned, row } = outcome;
    // `row` last: the quick reader of done lines (parseLedgerLine) knows a whole line by its `}}` end.
    await this.record({ t: "done", email, atMs, final, bodyHash, ...(owned === undefined ? {} : { owned }), row } satisfies DoneLine<Row>);
  }

  /**
   * Emails with adds counted in the UTC day that contains `nowMs`, those `include` accepts. Memory holds
   * hashes, not emails: they come from the file's send lines, read again (asked once, at the start).
   */
  emailsWithAddsOnDay(nowMs: number, include: (email: string) => boolean = () => true): string[] {
    const emails: string[] = [];
    const listed = new HashIndex();
    this.log.flush();
    this.log.scan(
      (record) => {
        const email = (record as Partial<SendLine>).email;
        if (typeof email !== "string" || !include(email) || listed.find(email) !== -1 || this.addsOnDay(email, nowMs) === 0) return;
        listed.add(email);
        emails.push(email);
      },
      { linesStartingWith: '{"t":"send",' },
    );
    return emails;
  }

  /**
   * Gives back every add counted today for an email that Zoom's registrant list does not show: an add
   * Zoom executed would have registered the person, so whatever its answer was (none, a 5xx), it was
   * not executed and spent none of their 3 a day (docs/zoom-facts.md: it is an executed add that spends one).
   */
  async giveBackAdds(email: string, nowMs: number): Promise<void> {
    for (let i = this.addsOnDay(email, nowMs); i > 0; i -= 1) await this.voidSend(email, nowMs);
  }

  /**
   * `giveBackAdds` in memory only, for a dry run: it writes nothing, yet must plan with the same count
   * the real run will have after giving them back (issue 17, "plan and run agree").
   */
  forgetAddsOnDay(email: string, nowMs: number): void {
    for (let i = this.addsOnDay(email, nowMs); i > 0; i -= 1) this.apply({ t: "void", email, atMs: nowMs });
  }

  /** Applies a line to what is kept in memory, then appends it (durable when this resolves). */
  private async record(line: LedgerLine<Row>): Promise<void> {
    this.apply(line);
    await this.append(line);
  }

  /** Appends a line; a failed write is a one-line error naming the file, whatever the disk said. */
  private async append(line: LedgerLine<Row> | RunLine): Promise<void> {
    try {
      await this.log.append(line);
    } catch (error) {
      throw stateWriteError(this.path, error);
    }
  }

  /** How many emails the ledger holds state for (rows in flight, earlier runs' outcomes): what the memory tests check. */
  get emailsInMemory(): number {
    return this.states.size;
  }

  close(): void {
    this.log.close();
  }

  /** `file` says the line was read from the file (an earlier run's), and where it lies. */
  private apply(line: LedgerLine<Row>, file?: { at: LinePosition; todayStartMs: number }): void {
    if (typeof line.email !== "string") return;
    if (line.t === "done" && file === undefined) {
      // A run asks about each email once, before its first send, and never after its outcome (the
      // duplicate tracker rejects a second row for the same email): forget it, so that memory
      // holds the rows in flight and earlier runs' outcomes, not every email this run finished.
      this.states.forget(line.email);
      return;
    }
    // Earlier days' sends never count again: Zoom resets at 00:00 UTC.
    if ((line.t === "send" || line.t === "status") && file !== undefined && line.atMs < file.todayStartMs) return;
    const entry = this.states.entryOf(line.email);
    if (line.t === "send") this.states.countSend(entry, dayOf(line.atMs), 1);
    else if (line.t === "void") this.states.countSend(entry, dayOf(line.atMs), -1);
    else if (line.t === "status") this.states.countStatusChange(entry, dayOf(line.atMs), 1);
    else if (line.t === "status-void") this.states.countStatusChange(entry, dayOf(line.atMs), -1);
    else if (line.t === "done" && file !== undefined) this.states.setDone(entry, file.at);
  }
}

const doneLineStart = Buffer.from('{"t":"done","email":"', "utf8");
const [quote, backslash, closingBrace] = [0x22, 0x5c, 0x7d];

/**
 * Reading a state file, a done line is needed for its email only (its row is read again when asked
 * for): taken without JSON.parse, which for 200,000 done lines was most of the time and garbage of
 * opening the ledger. What this ledger writes starts `{"t":"done","email":"` and ends with the row's
 * last string and `}}`; any other line (an escaped email, a torn line) is parsed whole.
 */
function parseLedgerLine(bytes: Buffer, start: number, end: number): unknown {
  if (startsWith(bytes, start, end, doneLineStart) && endsWithRowEnd(bytes, start, end)) {
    const emailStart = start + doneLineStart.length;
    const emailEnd = bytes.indexOf(quote, emailStart);
    if (emailEnd !== -1 && emailEnd < end && !bytes.subarray(emailStart, emailEnd).includes(backslash)) {
      return { t: "done", email: bytes.toString("utf8", emailStart, emailEnd) };
    }
  }
  return parseJson(bytes, start, end);
}

/**
 * Whether the line ends as a done line does: its row's last string, closed, then `}}`. An unescaped
 * quote before `}}` cannot sit inside a string, so a line torn after a `}}` inside one (an error
 * message quoting JSON) is not taken for a whole line.
 */
function endsWithRowEnd(bytes: Buffer, start: number, end: number): boolean {
  if (end - start < doneLineStart.length + 3 || bytes[end - 1] !== closingBrace || bytes[end - 2] !== closingBrace || bytes[end - 3] !== quote) return false;
  let backslashes = 0;
  for (let i = end - 4; i >= start && bytes[i] === backslash; i -= 1) backslashes += 1;
  return backslashes % 2 === 0;
}

function dayOf(epochMs: number): number {
  return Math.floor(epochMs / dayMs);
}
