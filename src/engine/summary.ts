/**
 * What a push reports when it ends: one object, built here for both `zoomreg push --json` (printed)
 * and `push()` from code (resolved), so the two can never drift apart; and the one line the CLI
 * prints without --json, written from that same object.
 */
import type { RowTally } from "./row-tally.js";
import type { PushCost } from "../push/cost.js";
import type { PlanAction, PlanEntry, PushSummary, StatusCounts } from "../push/run-push.js";
import type { EventRef } from "../zoom/index.js";
import { thousands } from "../shared/thousands.js";

/** This process's CPU time and peak memory, for benchmarks and monitoring. */
export interface ResourcesUsed {
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMb: number;
}

/** The summary of a push (`zoomreg push --json`, and what `push()` resolves to). */
export interface PushRunSummary {
  /** Never set: tells this summary from a dry run's. */
  dryRun?: never;
  /** The event; null when the input named each row's event (then see `events`). */
  event: EventRef | null;
  /** When the input named each row's event (issue 20): each event's summary, in the order their rows first appeared. */
  events?: EventRunSummary[];
  /** What `zoomreg push` exits with for this run (README, "Exit codes"). */
  exitCode: number;
  /** Rows per status: every row of the output. */
  counts: StatusCounts;
  rowsRead: number;
  rowsSent: number;
  /** Registered by an add of this run. */
  registeredThisRun: number;
  pendingApprovalThisRun: number;
  /** Registered before this run (the state file, Zoom's list). */
  alreadyRegistered: number;
  durationMs: number;
  /** ISO-8601: the earliest time a deferred row may be tried again. */
  deferredUntil: string | null;
  /** ISO-8601: when Zoom's daily limit for the account, which stopped the run, resets. */
  dailyLimitUntil: string | null;
  /** Why the run stopped before the end: the error's message, "signal" or "daily limit"; null when it ran to the end. */
  stoppedBy: string | null;
  /** The output's path, or "stdout" (`--out -`). */
  output: string;
  /** The rejects file's path, when a row was rejected. */
  rejects: string | null;
  /** The state ledger's path; null for a run of many events (each has its own: `events[].state`). */
  state: string | null;
  resources: ResourcesUsed;
}

/**
 * One event of a run of many (issue 20): its rows, as a single-event run of it would report them
 * (`exitCode` what that run would exit with, `rowsRead` the input's rows for this event).
 */
export type EventRunSummary = Pick<
  PushRunSummary,
  "exitCode" | "counts" | "rowsRead" | "rowsSent" | "registeredThisRun" | "pendingApprovalThisRun" | "alreadyRegistered" | "durationMs" | "deferredUntil" | "stoppedBy"
> & {
  event: EventRef;
  /** Why the event took none of its rows (not found, registration off, over, full, another run's lock): its rows are not_sent. Null when it took them. */
  refused: string | null;
  /** The event's state file, the one a single-event run of it uses; null when it refused before one was opened. */
  state: string | null;
};

/** The summary of a dry run (`zoomreg push --dry-run --json`, and `push({ dryRun: true })`): nothing was sent. */
export interface DryRunSummary {
  dryRun: true;
  /** The event; null when the input named each row's event (then see `events`). */
  event: EventRef | null;
  /** When the input named each row's event (issue 20): each event's dry run, in the order their rows first appeared. */
  events?: DryRunSummary[];
  /** Valid rows: what a real run would send (or find registered already). */
  wouldSend: number;
  invalid: number;
  duplicate: number;
  rowsRead: number;
  durationMs: number;
  /**
   * With credentials and Zoom's list: how many people the real run would add, find already there,
   * approve, cancel (--prune's included), deny, leave unchanged or defer (issue 13). Null without.
   */
  plan: Record<PlanAction, number> | null;
  /** Who the plan approves, cancels (--prune's with an empty line) or denies; empty without a plan. */
  changes: PlanEntry[];
  /** How the rows it would send split into batches and single adds, why, and the least time Zoom's limits allow (issue 18). */
  cost: PushCost;
  resources: ResourcesUsed;
}

export type PushResult = PushRunSummary | DryRunSummary;

export interface RunSummaryContext {
  event: EventRef;
  exitCode: number;
  tally: RowTally;
  /** The output's path, or "stdout". */
  output: string;
  rejectsPath: string;
  rejectsWritten: number;
  statePath: string;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The one place the summary object is built (issue 13: the CLI's --json and push() resolve to the same object). */
export function runSummary(summary: PushSummary, context: RunSummaryContext): PushRunSummary {
  return {
    event: context.event,
    exitCode: context.exitCode,
    counts: summary.counts,
    rowsRead: summary.rowsRead,
    rowsSent: summary.rowsSent,
    // This run's registrations apart from earlier ones (the ledger, Zoom's list): counts keep every status.
    registeredThisRun: context.tally.registeredNow,
    pendingApprovalThisRun: context.tally.pendingApprovalNow,
    alreadyRegistered: context.tally.alreadyRegistered,
    durationMs: summary.durationMs,
    deferredUntil: iso(summary.deferredUntilMs),
    dailyLimitUntil: iso(summary.dailyLimitUntilMs),
    stoppedBy: stoppedByOf(summary),
    output: context.output,
    rejects: context.rejectsWritten > 0 ? context.rejectsPath : null,
    state: context.statePath,
    resources: resourcesUsed(),
  };
}

/** Why a push stopped before the end: the error's message, "signal" or "daily limit"; null when it ran to the end. */
export function stoppedByOf(summary: Pick<PushSummary, "fatalError" | "interrupted" | "dailyLimitUntilMs">): string | null {
  return summary.fatalError?.message ?? (summary.interrupted ? "signal" : summary.dailyLimitUntilMs !== undefined ? "daily limit" : null);
}

export function dryRunSummary(summary: PushSummary, event: EventRef, cost: PushCost, plan?: { counts: Record<PlanAction, number>; changes: PlanEntry[] }): DryRunSummary {
  const { counts } = summary;
  return {
    dryRun: true,
    event,
    wouldSend: counts.registered,
    invalid: counts.invalid,
    duplicate: counts.duplicate,
    rowsRead: summary.rowsRead,
    durationMs: summary.durationMs,
    plan: plan?.counts ?? null,
    changes: plan?.changes ?? [],
    cost,
    resources: resourcesUsed(),
  };
}

/**
 * The total of a run of many events' dry runs (issue 20). `rowsRead` and `invalid` count the rows
 * that named no usable event too; the plan is summed where every event has one.
 */
export function eventsDryRunSummary(events: DryRunSummary[], run: { rowsRead: number; invalid: number; durationMs: number }): DryRunSummary {
  const sum = (of: (event: DryRunSummary) => number): number => events.reduce((total, event) => total + of(event), 0);
  const plans = events.map((event) => event.plan);
  const plan = plans.length > 0 && plans.every((each) => each !== null) ? sumPlans(plans) : null;
  return {
    dryRun: true,
    event: null,
    events,
    wouldSend: sum((event) => event.wouldSend),
    invalid: run.invalid + sum((event) => event.invalid),
    duplicate: sum((event) => event.duplicate),
    rowsRead: run.rowsRead,
    durationMs: run.durationMs,
    plan,
    changes: events.flatMap((event) => event.changes),
    cost: sumCosts(events.map((event) => event.cost)),
    resources: resourcesUsed(),
  };
}

function sumPlans(plans: Record<PlanAction, number>[]): Record<PlanAction, number> {
  const total: Record<PlanAction, number> = { add: 0, approve: 0, readmit: 0, cancel: 0, deny: 0, existing: 0, unchanged: 0, deferred: 0 };
  for (const plan of plans) for (const action of Object.keys(total) as PlanAction[]) total[action] += plan[action];
  return total;
}

/** The events' costs together: the account's limits are shared, so their parts add up (each label's time is its requests over its rate). */
function sumCosts(costs: PushCost[]): PushCost {
  const [first] = costs;
  const lightPerSecond = first?.lightPerSecond ?? 1;
  const heavyPerSecond = first?.heavyPerSecond ?? 1;
  const batchRows = costs.reduce((total, cost) => total + cost.batchRows, 0);
  const batchRequests = costs.reduce((total, cost) => total + cost.batchRequests, 0);
  const singleRows = costs.reduce((total, cost) => total + cost.singleRows, 0);
  const batches = costs.every((cost) => cost.batches === "yes") ? "yes" : costs.every((cost) => cost.batches === "no") ? "no" : "if the event takes batches";
  const causes = new Map<string, PushCost["singleBecause"][number]>();
  for (const cause of costs.flatMap((cost) => cost.singleBecause)) {
    const seen = causes.get(cause.field);
    causes.set(cause.field, seen === undefined ? { ...cause } : { ...seen, rows: seen.rows + cause.rows });
  }
  const capped = costs.find((cost) => cost.overHeavyDailyCap !== undefined)?.overHeavyDailyCap;
  return {
    batches: costs.length === 0 ? "no" : batches,
    lightPerSecond,
    heavyPerSecond,
    batchRows,
    batchRequests,
    singleRows,
    batchSeconds: batchRequests / heavyPerSecond,
    singleSeconds: singleRows / lightPerSecond,
    seconds: Math.max(batchRequests / heavyPerSecond, singleRows / lightPerSecond),
    singleBecause: [...causes.values()].sort((a, b) => b.rows - a.rows),
    overHeavyDailyCap: capped,
  };
}

/**
 * A run of many events' lines without --json (issue 20): one per event (a refused one says why), then
 * the total as summaryLine says it.
 */
export function eventsSummaryLines(summary: PushRunSummary, interrupted: boolean): string[] {
  const lines = (summary.events ?? []).map((event) => {
    const name = `${event.event.kind} ${event.event.id}`;
    if (event.refused !== null) return `${name}: refused: ${event.refused}; ${event.rowsRead === 1 ? "its row is" : `its ${n(event.rowsRead)} rows are`} not sent`;
    // Stopped mid-run by the event (full, over, its lock taken over): the counts, then why.
    const stopped = event.stoppedBy === null || ["signal", "daily limit", "the input ended early"].includes(event.stoppedBy) ? "" : `; stopped: ${event.stoppedBy}`;
    return `${name}: ${doneThisRun(event).join(", ")}${leftForLater(event)}${stopped}`;
  });
  return [...lines, `${eventCount(summary.events)}: ${summaryLine(summary, interrupted)}`];
}

/** A run of many events' dry run: one line per event, then the total. */
export function eventsDryRunLines(summary: DryRunSummary): string[] {
  const lines = (summary.events ?? []).map((event) => `${event.event === null ? "" : `${event.event.kind} ${event.event.id}: `}${dryRunLine(event)}`);
  return [...lines, `${eventCount(summary.events)}: ${dryRunLine(summary)}`];
}

const eventCount = (events: readonly unknown[] | undefined): string => (events?.length === 1 ? "1 event" : `${n(events?.length ?? 0)} events`);

/**
 * The CLI's line without --json: counts per status, where the files went, and when deferred rows may
 * be tried again. `interrupted`: a signal stopped the run (said even when an error stopped it too).
 */
export function summaryLine(summary: PushRunSummary, interrupted: boolean): string {
  const rejects = summary.rejects === null ? "" : `, rejects -> ${summary.rejects}`;
  const daily = summary.dailyLimitUntil === null ? "" : `; stopped at Zoom's daily limit until ${summary.dailyLimitUntil}: run again then`;
  const stopped = interrupted ? "; interrupted: run again to finish" : "";
  return `${doneThisRun(summary).join(", ")} -> ${summary.output}${rejects}${leftForLater(summary)}${daily}${stopped}`;
}

export function dryRunLine(summary: DryRunSummary): string {
  const { plan } = summary;
  if (plan === null) return `dry run: would send ${summary.wouldSend}, invalid ${summary.invalid}, duplicate ${summary.duplicate}; nothing was sent`;
  const planned = `add ${plan.add}, already there ${plan.existing}, approve ${plan.approve}, cancel ${plan.cancel}, deny ${plan.deny}, unchanged ${plan.unchanged}, deferred ${plan.deferred}`;
  return `dry run: ${planned}; invalid ${summary.invalid}, duplicate ${summary.duplicate}; nothing was sent`;
}

const n = (count: number): string => thousands(count);

/** Reasons shown in the one line that says no row is valid: enough to see the pattern, short enough to read. */
const REASONS_SHOWN = 3;
const REASON_MAX_CHARS = 120;

/** The first few invalid rows of a run, kept as they come (the rest are in the rejects file). */
export class InvalidRowSamples {
  readonly samples: { line: number | ""; reason: string }[] = [];

  add(row: { line: number | ""; status: string; error_message: string }): void {
    if (row.status !== "invalid" || this.samples.length >= REASONS_SHOWN) return;
    const reason = row.error_message.length > REASON_MAX_CHARS ? `${row.error_message.slice(0, REASON_MAX_CHARS - 1)}…` : row.error_message;
    this.samples.push({ line: row.line, reason });
  }
}

/**
 * `no row of people.csv is valid (3 of 3 invalid): line 2: email: missing; line 3: ...`: the one line
 * for a run with no valid row (exit 2), naming the first reasons so a shifted header or the wrong file
 * shows at once. `position`: how the input's rows are spoken of ("line", or "record" for a JSON array).
 */
export function noValidRowLine(sourceName: string, rowsRead: number, samples: InvalidRowSamples, position: "line" | "record"): string {
  const reasons = samples.samples.map(({ line, reason }) => `${position} ${line}: ${reason}`);
  const more = rowsRead > reasons.length ? "; …" : "";
  return `no row of ${sourceName} is valid (${n(rowsRead)} of ${n(rowsRead)} invalid): ${reasons.join("; ")}${more}`;
}

/** What this run did: registered now, registered before (ledger, Zoom's list), and the rows to fix (in the rejects file). */
function doneThisRun(summary: Pick<PushRunSummary, "counts" | "registeredThisRun" | "pendingApprovalThisRun" | "alreadyRegistered">): string[] {
  const { counts } = summary;
  return [
    `registered ${n(summary.registeredThisRun)}`,
    ...(summary.pendingApprovalThisRun > 0 ? [`pending approval ${n(summary.pendingApprovalThisRun)}`] : []),
    ...(summary.alreadyRegistered > 0 ? [`already registered ${n(summary.alreadyRegistered)}`] : []),
    // What a status column or --prune changed (issue 13), then the rows refused before sending.
    ...(["approved", "cancelled", "denied", "unchanged", "invalid", "duplicate"] as const).filter((status) => counts[status] > 0).map((status) => `${status} ${n(counts[status])}`),
  ];
}

/** What is left for a later run: rows that failed, were not sent, or wait for Zoom's daily limit. */
function leftForLater(summary: Pick<PushRunSummary, "counts" | "deferredUntil">): string {
  const { failed, not_sent: notSent, deferred } = summary.counts;
  const left = [
    ...(failed > 0 ? [`failed ${n(failed)}`] : []),
    ...(notSent > 0 ? [`not sent ${n(notSent)}`] : []),
    ...(deferred > 0 ? [`deferred ${n(deferred)}${summary.deferredUntil === null ? "" : ` until ${summary.deferredUntil}`}`] : []),
  ];
  return left.length === 0 ? "" : `; left: ${left.join(", ")}`;
}

export function resourcesUsed(): ResourcesUsed {
  const usage = process.resourceUsage();
  return {
    cpuUserMs: Math.round(usage.userCPUTime / 1000),
    cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
    peakRssMb: Math.round(usage.maxRSS / 1024),
  };
}
