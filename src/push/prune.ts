/**
 * `--prune`: cancel the registrants zoomreg itself added that the input no longer names, and never
 * anyone registered by other means (the host, the registration page) or merely approved by zoomreg
 * (ownership.ts). A guard stops a prune that looks like a mistake, such as an export that came out
 * nearly empty (issue 13). Pure.
 */
import { ConfigError } from "../errors.js";
import type { OutputRow } from "../output/index.js";
import type { DoneLine } from "../state/index.js";
import type { RegistrantLookup } from "./listed.js";
import { ownedRegistration } from "./ownership.js";

/** The most a prune may cancel: a count, or a share of the event's zoomreg registrants. */
export type MaxPrune = { count: number } | { percent: number };

/** The guard when `--max-prune` is not given: 10% of zoomreg's registrants, at least 5. */
export const defaultMaxPrune: MaxPrune = { percent: 10 };
const minimumAllowance = 5;

/** `--max-prune 25` or `--max-prune 10%`. */
export function parseMaxPrune(text: string): MaxPrune {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = match === null ? Number.NaN : Number(match[1]);
  if (match === null || !Number.isFinite(value) || (match[2] === "" && !Number.isInteger(value)) || (match[2] === "%" && value > 100)) {
    throw new ConfigError(`--max-prune ${text}: expected a whole number of registrants or a percent`, { hint: "e.g. --max-prune 25 or --max-prune 10%" });
  }
  return match[2] === "%" ? { percent: value } : { count: value };
}

/** How many a prune may cancel, out of `zoomregRegistrants`. */
export function pruneAllowance(maxPrune: MaxPrune, zoomregRegistrants: number): number {
  if ("count" in maxPrune) return maxPrune.count;
  return Math.max(minimumAllowance, Math.ceil((maxPrune.percent / 100) * zoomregRegistrants));
}

export interface PruneCandidate {
  email: string;
  registrantId: string;
  row: OutputRow;
}

/**
 * The registration zoomreg owns for this earlier outcome's person that Zoom lists as approved or
 * pending (what a prune may cancel), or undefined.
 */
export function ownedOnEvent(line: DoneLine<OutputRow>, listed: RegistrantLookup): string | undefined {
  const owned = ownedRegistration(line);
  if (owned === undefined) return undefined;
  const onZoom = listed.get(line.email, line.row);
  return onZoom !== undefined && onZoom.registrantId === owned && (onZoom.status === "approved" || onZoom.status === "pending") ? owned : undefined;
}

/**
 * The guard's denominator: the event's registrants zoomreg owns that Zoom lists as approved or
 * pending. Counted before the run records anything, so what the run then does (the host approved
 * someone since, a status column changed them) cannot move it, and the plan counts the same (issue 17).
 */
export function countOwnedOnEvent(earlier: Iterable<DoneLine<OutputRow>>, listed: RegistrantLookup): number {
  let owned = 0;
  for (const line of earlier) if (ownedOnEvent(line, listed) !== undefined) owned += 1;
  return owned;
}

/**
 * The people a prune cancels, by email: every registration zoomreg owns that Zoom still lists as
 * approved or pending, less the people any row of the input names (an invalid row included).
 */
export function pruneCandidates(earlier: Iterable<DoneLine<OutputRow>>, listed: RegistrantLookup, inInput: (email: string) => boolean): PruneCandidate[] {
  const candidates: PruneCandidate[] = [];
  for (const line of earlier) {
    const registrantId = ownedOnEvent(line, listed);
    if (registrantId !== undefined && !inInput(line.email)) candidates.push({ email: line.email, registrantId, row: line.row });
  }
  // A stable order for the rows after the input's (issue 18): the state file's order is not one.
  return candidates.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/** The one-line refusal of a prune over its allowance; nothing is cancelled. */
export function pruneGuardError(wouldCancel: number, zoomregRegistrants: number, allowance: number): ConfigError {
  return new ConfigError(
    `--prune would cancel ${wouldCancel} of the ${zoomregRegistrants} registrants zoomreg added, more than the ${allowance} allowed: nothing was cancelled`,
    { hint: `if the input really lost them, run again with --max-prune ${wouldCancel}; otherwise check the export (did it come out nearly empty?)` },
  );
}
