/**
 * `--prune`: cancel the registrants zoomreg itself registered that the input no longer has, and never
 * anyone registered by other means (the host, the registration page). A guard stops a prune that
 * looks like a mistake, such as an export that came out nearly empty (issue 13). Pure.
 */
import { ConfigError } from "../errors.js";
import type { OutputRow } from "../output/index.js";
import type { DoneLine } from "../state/index.js";
import type { RegistrantLookup } from "./listed.js";

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

/** Outcomes that mean zoomreg itself put the person on the event. */
const zoomregStatuses: ReadonlySet<string> = new Set(["registered", "pending_approval", "approved"]);

/**
 * The people a prune cancels, and how many zoomreg registrants there are: every earlier outcome of
 * zoomreg's own registration that Zoom still lists as approved or pending, less the people the input
 * names (an invalid row included).
 */
export function pruneCandidates(
  earlier: Iterable<DoneLine<OutputRow>>,
  listed: RegistrantLookup,
  inInput: (email: string) => boolean,
): { candidates: PruneCandidate[]; zoomregRegistrants: number } {
  const candidates: PruneCandidate[] = [];
  let zoomregRegistrants = 0;
  for (const line of earlier) {
    if (!zoomregStatuses.has(line.row.status) || line.row.registrant_id === "") continue;
    const onZoom = listed.get(line.email, line.row);
    if (onZoom === undefined || onZoom.status === "denied" || onZoom.registrantId !== line.row.registrant_id) continue;
    zoomregRegistrants += 1;
    if (!inInput(line.email)) candidates.push({ email: line.email, registrantId: onZoom.registrantId, row: line.row });
  }
  return { candidates, zoomregRegistrants };
}

/** The one-line refusal of a prune over its allowance; nothing is cancelled. */
export function pruneGuardError(wouldCancel: number, zoomregRegistrants: number, allowance: number): ConfigError {
  return new ConfigError(
    `--prune would cancel ${wouldCancel} of the ${zoomregRegistrants} registrants zoomreg added, more than the ${allowance} allowed: nothing was cancelled`,
    { hint: `if the input really lost them, run again with --max-prune ${wouldCancel}; otherwise check the export (did it come out nearly empty?)` },
  );
}
