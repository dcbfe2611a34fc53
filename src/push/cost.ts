/**
 * What a dry run says a push will cost (issue 18): how many rows go in batches (30 a call, Zoom's
 * Heavy label) and how many one by one (Light), which columns force single adds (Zoom's batch takes
 * only email and names: docs/zoom-facts.md, "Endpoints"), and the least time the plan's per-second
 * limits allow for each part. Both labels are spent side by side, so the push takes the longer. Pure.
 */
import type { ColumnMapping, RegistrantBody } from "../registrant/index.js";
import { thousands } from "../shared/thousands.js";

/** Only email and names go in a batch (docs/zoom-facts.md); anything else, or occurrences, needs a single add. */
export function isBatchable(body: RegistrantBody, occurrenceIds: readonly string[]): boolean {
  if (occurrenceIds.length > 0) return false;
  return Object.keys(body).every((key) => key === "email" || key === "first_name" || key === "last_name");
}

/** Whether the push will batch: decided (the event was read, or --batch says), or not known (a dry run without credentials). */
export type BatchUse = "yes" | "no" | "if the event takes batches";

export interface CostLimits {
  lightPerSecond: number;
  heavyPerSecond: number;
  /** Heavy requests a day for the account (30,000 on Pro). */
  heavyPerDay: number;
  batchSize: number;
}

/** A field that sent rows one by one, where it came from, and the flag that leaves it out. */
export interface SingleAddCause {
  field: string;
  /** The input's column, or `--occurrence` for occurrences. */
  column: string;
  rows: number;
  /** `--ignore org`; undefined where nothing can be left out (occurrences). */
  leaveOut: string | undefined;
}

export interface PushCost {
  batches: BatchUse;
  /** The plan's limits the times assume (or --rate's). */
  lightPerSecond: number;
  heavyPerSecond: number;
  batchRows: number;
  batchRequests: number;
  singleRows: number;
  /** The least time each part takes at the plan's limits, in seconds. */
  batchSeconds: number;
  singleSeconds: number;
  /** The longer of the two: the parts run side by side. */
  seconds: number;
  /** Why rows that could be batched go one by one, most rows first. */
  singleBecause: SingleAddCause[];
  /** Set when the batches are more than the account's Heavy requests a day. */
  overHeavyDailyCap: number | undefined;
}

export class CostTally {
  private batchRows = 0;
  private singleRows = 0;
  private readonly causes = new Map<string, number>();

  /** One row the push would send, and the occurrences it registers for. */
  add(body: RegistrantBody, occurrenceIds: readonly string[]): void {
    if (isBatchable(body, occurrenceIds)) {
      this.batchRows += 1;
      return;
    }
    this.singleRows += 1;
    const fields = occurrenceIds.length > 0 ? ["occurrence_ids"] : Object.keys(body).filter((key) => key !== "email" && key !== "first_name" && key !== "last_name");
    for (const field of fields) this.causes.set(field, (this.causes.get(field) ?? 0) + 1);
  }

  estimate(batches: BatchUse, limits: CostLimits, mapping: ColumnMapping | undefined): PushCost {
    const batching = batches !== "no";
    const batchRows = batching ? this.batchRows : 0;
    const singleRows = batching ? this.singleRows : this.singleRows + this.batchRows;
    const batchRequests = Math.ceil(batchRows / limits.batchSize);
    const batchSeconds = batchRequests / limits.heavyPerSecond;
    const singleSeconds = singleRows / limits.lightPerSecond;
    return {
      batches,
      lightPerSecond: limits.lightPerSecond,
      heavyPerSecond: limits.heavyPerSecond,
      batchRows,
      batchRequests,
      singleRows,
      batchSeconds,
      singleSeconds,
      seconds: Math.max(batchSeconds, singleSeconds),
      singleBecause: batching ? [...this.causes].sort((a, b) => b[1] - a[1]).map(([field, rows]) => causeOf(field, rows, mapping)) : [],
      overHeavyDailyCap: batchRequests > limits.heavyPerDay ? limits.heavyPerDay : undefined,
    };
  }
}

function causeOf(field: string, rows: number, mapping: ColumnMapping | undefined): SingleAddCause {
  if (field === "occurrence_ids") return { field, column: mapping?.event?.occurrences ?? "--occurrence", rows, leaveOut: undefined };
  if (field === "custom_questions") {
    const columns = mapping?.questions.map((question) => question.column) ?? [];
    return { field, column: columns.join(", ") || (mapping?.customQuestions ?? "custom questions"), rows, leaveOut: undefined };
  }
  return { field, column: mapping?.fields[field as keyof ColumnMapping["fields"]] ?? field, rows, leaveOut: `--ignore ${field}` };
}

/** "58 min", "5 min 38 s", "3.2 s". */
export function describeSeconds(seconds: number): string {
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return rest === 0 || minutes >= 10 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

const n = (count: number): string => thousands(count);
const count = (value: number, noun: string, nouns = `${noun}s`): string => `${n(value)} ${value === 1 ? noun : nouns}`;

/** The dry run's lines about cost, for a person. */
export function describeCost(cost: PushCost): string[] {
  const parts: string[] = [];
  if (cost.batchRows > 0) parts.push(`${count(cost.batchRows, "row")} in ${count(cost.batchRequests, "batch", "batches")} (Heavy, ${n(cost.heavyPerSecond)}/s: ${describeSeconds(cost.batchSeconds)})`);
  if (cost.singleRows > 0) parts.push(`${count(cost.singleRows, "single add")} (Light, ${n(cost.lightPerSecond)}/s: ${describeSeconds(cost.singleSeconds)})`);
  if (parts.length === 0) return [];
  const when = cost.batches === "if the event takes batches" ? " if the event takes batches (a scheduled meeting or a webinar)" : "";
  const lines = [`cost: ${parts.join(" and ")}${when}; at least ${describeSeconds(cost.seconds)} at the plan's limits`];
  for (const cause of cost.singleBecause) {
    const fix = cause.leaveOut === undefined ? "" : `: ${cause.leaveOut} leaves it out`;
    lines.push(`  single adds because of ${JSON.stringify(cause.column)} (${cause.field}) on ${count(cause.rows, "row")}${fix}`);
  }
  if (cost.overHeavyDailyCap !== undefined) lines.push(`  more batches than Zoom's ${n(cost.overHeavyDailyCap)} Heavy requests a day: the push stops at the daily limit (exit 4) and the next day's run goes on`);
  return lines;
}
