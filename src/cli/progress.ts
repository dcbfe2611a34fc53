import type { RowStatus } from "../output/index.js";
import { RowTally } from "../engine/row-tally.js";
import { thousands } from "../shared/thousands.js";

/**
 * A one-line progress display on stderr for people running zoomreg by hand (issue 12, "Progress that
 * tells the truth"): the share is rows done of the rows in the file (counted before or while the push
 * starts; none for stdin), rows answered from the ledger or Zoom's list are shown apart from new sends,
 * and the ETA is the rows still to send over the recent rate of new sends, so a fast stretch of rows
 * already registered never makes it optimistic. Nothing is drawn when stderr is not a terminal (cron,
 * CI, pipes) or with --quiet; colour follows NO_COLOR (https://no-color.org) and --no-color.
 */
export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  colour: boolean;
  nowMs: () => number;
  /** Rows in the input, when known (a file, counted); undefined: counts and rate without a share. */
  totalRows?: number | undefined;
  /** Redraws at most this often, so a fast run does not spend its time on the screen. */
  redrawMs?: number;
  /** Redraws this often while no row finishes (a slow stretch shows its falling rate); 0: never. */
  refreshMs?: number;
}

/** The time constant of the send rate's exponential weighting: the last ~30 s count most. */
export const sendRateWindowMs = 30_000;
/** The rows over which the share that needs sending is weighted: the recent ones, not a done prefix. */
export const sendShareWindowRows = 100;

/** Statuses shown as counts of their own: rows this run did not register. */
const problemStatuses: readonly RowStatus[] = ["failed", "deferred", "not_sent", "invalid", "duplicate"];

/**
 * Events per second, exponentially weighted with time constant `windowMs`, from `sinceMs` on: the
 * weighted count is divided by the weighted time since then, so the first seconds are not read as slow.
 */
export class DecayingRate {
  private weighted = 0;
  private atMs: number;

  constructor(
    private readonly windowMs: number,
    private readonly sinceMs: number,
  ) {
    this.atMs = sinceMs;
  }

  add(count: number, nowMs: number): void {
    this.decayTo(nowMs);
    this.weighted += count;
  }

  /** Undefined until some time has passed. */
  perSecond(nowMs: number): number | undefined {
    this.decayTo(nowMs);
    const spanMs = nowMs - this.sinceMs;
    if (spanMs <= 0) return undefined;
    const weightedSpanMs = this.windowMs * -Math.expm1(-spanMs / this.windowMs);
    return (this.weighted / weightedSpanMs) * 1000;
  }

  private decayTo(nowMs: number): void {
    if (nowMs <= this.atMs) return;
    this.weighted *= Math.exp(-(nowMs - this.atMs) / this.windowMs);
    this.atMs = nowMs;
  }
}

/** The share of recent rows that were true, each row's weight falling by 1/windowRows per later row. */
export class RecentShare {
  private hits = 0;
  private weight = 0;

  constructor(private readonly windowRows: number) {}

  add(hit: boolean): void {
    const keep = 1 - 1 / this.windowRows;
    this.hits = this.hits * keep + (hit ? 1 : 0);
    this.weight = this.weight * keep + 1;
  }

  get value(): number | undefined {
    return this.weight === 0 ? undefined : this.hits / this.weight;
  }
}

/** What the line shows, computed from the counts and the clock (tested without a terminal). */
export interface ProgressSnapshot {
  rowsDone: number;
  totalRows: number | undefined;
  /** 0..1, with a known total. */
  share: number | undefined;
  alreadyRegistered: number;
  sent: number;
  /** New sends expected in all: sent so far plus the rows left times the recent share that needed sending. */
  sendsExpected: number | undefined;
  sendsPerSecond: number | undefined;
  etaSeconds: number | undefined;
  problems: [RowStatus, number][];
  /** A run of many events: how many it has seen, are pushing and are done, and the event of the latest row sent. */
  events?: { seen: number; pushing: number; done: number; latest: string | undefined };
}

export class Progress {
  private readonly tally = new RowTally();
  private readonly sendShare = new RecentShare(sendShareWindowRows);
  private sendRate: DecayingRate | undefined;
  private totalRows: number | undefined;
  private startedMs: number;
  private lastRowMs: number | undefined;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private events: { seen: number; pushing: number; done: number } | undefined;
  private latestEvent: string | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.startedMs = options.nowMs();
    this.totalRows = options.totalRows;
  }

  /** Whether a display should be shown at all for this stream and these flags. */
  static wanted(stream: { isTTY?: boolean }, quiet: boolean): boolean {
    return stream.isTTY === true && !quiet;
  }

  /** Rows start now (after the token, preflight and Zoom's list): the send rate is measured from here. */
  start(): void {
    this.startedMs = this.options.nowMs();
  }

  setTotalRows(totalRows: number | undefined): void {
    this.totalRows = totalRows;
  }

  /** A run of many events: the counts the line shows beside the rows. */
  setEvents(events: { seen: number; pushing: number; done: number }): void {
    this.events = events;
  }

  /** One row written to the output; `sentThisRun`: its add went to Zoom in this run; `event`: its event, in a run of many. */
  row(status: RowStatus, sentThisRun: boolean, event?: string): void {
    const nowMs = this.options.nowMs();
    if (sentThisRun && event !== undefined) this.latestEvent = event;
    this.tally.add(status, sentThisRun);
    this.sendShare.add(sentThisRun);
    // Sending began when the rows before the first sent one were done: its request left about then.
    if (sentThisRun) (this.sendRate ??= new DecayingRate(sendRateWindowMs, this.lastRowMs ?? this.startedMs)).add(1, nowMs);
    this.lastRowMs = nowMs;
    this.startRefreshing();
    // The last row is always drawn: the line ends at 100%, not at whatever the last redraw caught.
    if (this.tally.rows === this.totalRows) this.draw(nowMs);
    else this.maybeDraw(nowMs);
  }

  /** Erases the line so that something else (a log line, the summary) can be printed cleanly. */
  clear(): void {
    if (!this.drawn) return;
    this.options.stream.write("\r\x1b[2K");
    this.drawn = false;
  }

  finish(): void {
    if (this.refreshTimer !== undefined) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    this.clear();
  }

  snapshot(): ProgressSnapshot {
    const nowMs = this.options.nowMs();
    const { rows, sent, alreadyRegistered } = this.tally;
    // A count that fell short (a file changed under the run) never shows more than 100%.
    const total = this.totalRows === undefined ? undefined : Math.max(this.totalRows, rows);
    const sendsPerSecond = this.sendRate?.perSecond(nowMs);
    const leftToSend = total === undefined ? undefined : (total - rows) * (this.sendShare.value ?? 1);
    return {
      rowsDone: rows,
      totalRows: total,
      share: total === undefined ? undefined : total === 0 ? 1 : rows / total,
      alreadyRegistered,
      sent,
      sendsExpected: leftToSend === undefined || rows === 0 ? undefined : sent + Math.round(leftToSend),
      sendsPerSecond,
      etaSeconds: leftToSend === undefined || leftToSend < 0.5 || sendsPerSecond === undefined || sendsPerSecond <= 0 ? undefined : leftToSend / sendsPerSecond,
      problems: problemStatuses.filter((status) => this.tally.byStatus[status] > 0).map((status) => [status, this.tally.byStatus[status]]),
      ...(this.events === undefined ? {} : { events: { ...this.events, latest: this.latestEvent } }),
    };
  }

  /** The line as it would be drawn now, cut to the terminal's width. */
  render(): string {
    const width = this.options.stream.columns;
    // A pty with no size set (`script` in CI) says 0 columns: no cut then.
    return fitted(segmentsOf(this.snapshot()), this.options.colour, width === undefined || width <= 0 ? undefined : width - 1);
  }

  private startRefreshing(): void {
    const everyMs = this.options.refreshMs ?? 1000;
    if (this.refreshTimer !== undefined || everyMs <= 0) return;
    this.refreshTimer = setInterval(() => this.draw(this.options.nowMs()), everyMs);
    // A display never keeps the process alive.
    this.refreshTimer.unref();
  }

  private maybeDraw(nowMs: number): void {
    if (nowMs - this.lastDrawMs < (this.options.redrawMs ?? 100)) return;
    this.draw(nowMs);
  }

  private draw(nowMs: number): void {
    this.lastDrawMs = nowMs;
    this.options.stream.write(`\r\x1b[2K${this.render()}`);
    this.drawn = true;
  }
}

/** A piece of the line, with the colour (SGR code) it is drawn in. */
interface Segment {
  text: string;
  colour?: string;
}

const statusColour: Partial<Record<RowStatus, string>> = { failed: "31", invalid: "31", deferred: "33", duplicate: "33", not_sent: "33" };

function segmentsOf(snapshot: ProgressSnapshot): Segment[] {
  const segments: Segment[] = [];
  const { totalRows, share } = snapshot;
  if (totalRows !== undefined && share !== undefined) {
    segments.push({ text: `${bar(share)} ${Math.floor(share * 100)}%` }, { text: `${count(snapshot.rowsDone)} of ${rowsWord(totalRows)}` });
  } else {
    segments.push({ text: rowsWord(snapshot.rowsDone) });
  }
  if (snapshot.events !== undefined) segments.push({ text: eventsText(snapshot.events) });
  if (snapshot.alreadyRegistered > 0) segments.push({ text: `${count(snapshot.alreadyRegistered)} already registered`, colour: "36" });
  const of = snapshot.sendsExpected === undefined ? "" : ` of ${count(snapshot.sendsExpected)}`;
  segments.push({ text: `${count(snapshot.sent)}${of} new sent`, colour: "32" });
  if (snapshot.sendsPerSecond !== undefined) segments.push({ text: `${snapshot.sendsPerSecond.toFixed(1)}/s` });
  if (snapshot.etaSeconds !== undefined) segments.push({ text: `ETA ${duration(snapshot.etaSeconds)}` });
  for (const [status, n] of snapshot.problems) segments.push({ text: `${status.replace("_", " ")} ${count(n)}`, ...colourOf(status) });
  return segments;
}

/** `events 2 of 20 done, 18 pushing (webinar 81234567890)`: the run's events, and the one the latest row sent was for. */
function eventsText(events: NonNullable<ProgressSnapshot["events"]>): string {
  const latest = events.latest === undefined ? "" : ` (${events.latest})`;
  return `events ${count(events.done)} of ${count(events.seen)} done, ${count(events.pushing)} pushing${latest}`;
}

function colourOf(status: RowStatus): { colour?: string } {
  const colour = statusColour[status];
  return colour === undefined ? {} : { colour };
}

/** The segments joined by two spaces, cut at `maxChars` visible characters (escape codes do not count). */
function fitted(segments: readonly Segment[], colour: boolean, maxChars: number | undefined): string {
  let room = maxChars ?? Number.POSITIVE_INFINITY;
  const parts: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const text = `${index === 0 ? "" : "  "}${segment.text}`.slice(0, Math.max(0, room));
    room -= text.length;
    if (text === "") break;
    parts.push(colour && segment.colour !== undefined ? paint(text, segment.colour) : text);
  }
  return parts.join("");
}

/** Colours the text after its leading separator, so the gaps stay plain. */
function paint(text: string, code: string): string {
  const lead = /^ */.exec(text)?.[0] ?? "";
  return `${lead}\x1b[${code}m${text.slice(lead.length)}\x1b[0m`;
}

function bar(share: number): string {
  const widthChars = 20;
  const filled = Math.round(Math.min(1, share) * widthChars);
  return `[${"#".repeat(filled)}${"-".repeat(widthChars - filled)}]`;
}

const count = (n: number): string => thousands(n);

/** "1 row", "2 rows", "1,200 rows". */
export function rowsWord(n: number): string {
  return `${count(n)} ${n === 1 ? "row" : "rows"}`;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** NO_COLOR (any non-empty value) and --no-color turn colour off; so does a non-terminal. */
export function colourWanted(env: Readonly<Record<string, string | undefined>>, flag: boolean, stream: { isTTY?: boolean }): boolean {
  return flag && stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}
