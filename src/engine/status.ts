/**
 * `zoomreg status`: what the state file knows of an event, read without pushing (issue 18): who is
 * registered, pending, cancelled, failed and why, deferred until when, how the last run ended, and,
 * with credentials, how that compares with Zoom's own list. The rows it holds can be written out as
 * the output file a push writes.
 */
import { existsSync } from "node:fs";
import { ConfigError } from "../errors.js";
import type { OutputRow } from "../output/index.js";
import { EventLedger, type RunLine } from "../state/index.js";
import type { EventRef } from "../zoom/index.js";
import { thousands } from "../shared/thousands.js";

/** What Zoom's list says, beside the state file. */
export interface ZoomComparison {
  approved: number;
  pending: number;
  denied: number;
  /** On Zoom's list, with no outcome in the state file (registered by other means). */
  notInState: number;
  /** The state file has them registered or pending; Zoom's list does not (the next push adds them again). */
  missingFromZoom: string[];
}

export interface StatusReport {
  event: EventRef;
  state: string;
  lastRun: Omit<RunLine, "t"> | null;
  /** People by the status of their last recorded outcome. */
  counts: Record<string, number>;
  failed: { line: number | ""; email: string; error: string }[];
  deferred: { line: number | ""; email: string; until: string; reason: string }[];
  pending: { line: number | ""; email: string }[];
  /** Null without credentials, or with `zoom: false`. */
  zoom: ZoomComparison | null;
}

/** Outcomes that say the person is on the event, as the state file last saw them. */
const onEventStatuses: ReadonlySet<string> = new Set(["registered", "pending_approval", "existing", "approved"]);

/** Every person's last recorded row, as a push's output orders them: input lines first, then pruned people by email. */
export function rowsInOrder(rows: readonly OutputRow[]): OutputRow[] {
  const byLine = (a: OutputRow, b: OutputRow): number => {
    if (a.line === "" || b.line === "") return a.line === b.line ? a.email.localeCompare(b.email) : a.line === "" ? 1 : -1;
    return a.line - b.line || a.email.localeCompare(b.email);
  };
  return [...rows].sort(byLine);
}

/** Reads the state file of `event` (never creating one): every person's last row, and how the last run ended. */
export async function readState(statePath: string, event: EventRef): Promise<{ rows: OutputRow[]; lastRun: RunLine | undefined }> {
  if (!existsSync(statePath)) {
    throw new ConfigError(`no state file at ${statePath}: no push of ${event.kind} ${event.id} has run with it`, {
      hint: "run zoomreg status in the folder the push writes its --out to, or pass --state <file>",
    });
  }
  const ledger = await EventLedger.open<OutputRow>(statePath, `${event.kind}:${event.id}`, new Date());
  try {
    return { rows: [...ledger.earlierOutcomes()].map((line) => line.row), lastRun: ledger.lastRun };
  } finally {
    ledger.close();
  }
}

export function statusReport(event: EventRef, statePath: string, rows: readonly OutputRow[], lastRun: RunLine | undefined, zoom: ZoomComparison | null): StatusReport {
  const counts: Record<string, number> = {};
  const failed: StatusReport["failed"] = [];
  const deferred: StatusReport["deferred"] = [];
  const pending: StatusReport["pending"] = [];
  for (const row of rowsInOrder(rows)) {
    counts[row.status] = (counts[row.status] ?? 0) + 1;
    if (row.status === "failed") failed.push({ line: row.line, email: row.email, error: row.error_message });
    else if (row.status === "deferred") deferred.push({ line: row.line, email: row.email, until: row.deferred_until, reason: row.error_message });
    else if (row.status === "pending_approval") pending.push({ line: row.line, email: row.email });
  }
  const { t: _t, ...run } = lastRun ?? { t: "run" };
  return { event, state: statePath, lastRun: lastRun === undefined ? null : (run as Omit<RunLine, "t">), counts, failed, deferred, pending, zoom };
}

/** Compares the state file's rows with Zoom's list (emails by status, lower-case). */
export function compareWithZoom(rows: readonly OutputRow[], listed: ReadonlyMap<string, "approved" | "pending" | "denied">): ZoomComparison {
  const known = new Set(rows.map((row) => row.email.toLowerCase()));
  const comparison: ZoomComparison = { approved: 0, pending: 0, denied: 0, notInState: 0, missingFromZoom: [] };
  for (const [email, status] of listed) {
    comparison[status] += 1;
    if (!known.has(email)) comparison.notInState += 1;
  }
  for (const row of rows) if (onEventStatuses.has(row.status) && !listed.has(row.email.toLowerCase())) comparison.missingFromZoom.push(row.email);
  return comparison;
}

const n = (count: number): string => thousands(count);

/** The report for a person: a few lines, the lists cut at `listAtMost` each. */
export function describeStatus(report: StatusReport, listAtMost = 20): string[] {
  const lines = [`${report.event.kind} ${report.event.id}: state file ${report.state}`];
  const run = report.lastRun;
  if (run === null) lines.push("last run: none recorded (a run older than this version of zoomreg, or one that did not finish)");
  else {
    const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
    const counts = Object.entries(run.counts).filter(([, count]) => count > 0).map(([status, count]) => `${status} ${n(count)}`).join(", ");
    const stopped = run.stoppedBy === null ? "" : `, stopped by: ${run.stoppedBy}`;
    lines.push(`last run: ended ${run.endedAt} after ${seconds.toFixed(1)} s, exit ${run.exitCode}${stopped}; ${counts || "no rows"}`);
  }
  const people = Object.entries(report.counts).map(([status, count]) => `${status} ${n(count)}`).join(", ");
  lines.push(`people: ${people || "none recorded"}`);
  const list = <T>(title: string, items: readonly T[], describe: (item: T) => string): void => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items.slice(0, listAtMost)) lines.push(`  ${describe(item)}`);
    if (items.length > listAtMost) lines.push(`  … and ${n(items.length - listAtMost)} more (--json or --out lists them all)`);
  };
  const where = (line: number | ""): string => (line === "" ? "pruned" : `line ${line}`);
  list("failed", report.failed, (item) => `${where(item.line)} ${item.email}: ${item.error}`);
  list("deferred", report.deferred, (item) => `${where(item.line)} ${item.email} until ${item.until}: ${item.reason}`);
  list("pending approval", report.pending, (item) => `${where(item.line)} ${item.email}`);
  const { zoom } = report;
  if (zoom === null) lines.push("Zoom's list: not read (no credentials; they are read as a push reads them)");
  else {
    lines.push(`Zoom's list: approved ${n(zoom.approved)}, pending ${n(zoom.pending)}, denied ${n(zoom.denied)}; ${n(zoom.notInState)} on Zoom that no push recorded here`);
    list("recorded as on the event, not on Zoom's list (the next push adds them again)", zoom.missingFromZoom, (email) => email);
  }
  return lines;
}
