/**
 * `--prune` within a run (issue 13, issue 17): the guard's denominator counted before anything is
 * recorded, and, once the input is read and sent, who may be cancelled, or the one refusal that stops
 * the prune. The same code serves the dry run's plan and the real run, so the two agree.
 */
import { ConfigError } from "../errors.js";
import type { OutputRow } from "../output/index.js";
import type { EventLedger } from "../state/index.js";
import type { RegistrantLookup } from "./listed.js";
import { countOwnedOnEvent, pruneAllowance, pruneCandidates, pruneGuardError, type MaxPrune, type PruneCandidate } from "./prune.js";

export interface PrunePassOptions {
  maxPrune: MaxPrune;
  ledger: EventLedger<OutputRow> | undefined;
  /** Zoom's list as read at the start; undefined with --no-reconcile. */
  existing: RegistrantLookup | undefined;
  /** Whether any row of the input names this email, valid or not. */
  mentioned: (email: string) => boolean;
}

export class PrunePass {
  /** zoomreg's registrants on the event when the run began: what the guard's share is of. */
  private readonly ownedAtStart: number;

  /** Counts the denominator: call before the run records anything (recorded emails leave the ledger's memory). */
  constructor(private readonly options: PrunePassOptions) {
    const { ledger, existing } = options;
    this.ownedAtStart = ledger === undefined || existing === undefined ? 0 : countOwnedOnEvent(ledger.earlierOutcomes(), existing);
  }

  get owned(): number {
    return this.ownedAtStart;
  }

  /**
   * Who the prune cancels, or the ConfigError that refuses it: no list to check against, no valid
   * row (the export came out empty), or more than the guard allows. Nothing is cancelled on a refusal.
   */
  targets(validRows: number): PruneCandidate[] | ConfigError {
    const { ledger, existing, maxPrune, mentioned } = this.options;
    if (existing === undefined) {
      return new ConfigError("--prune needs Zoom's registrant list", { hint: "drop --no-reconcile (and give the dry run credentials): the list says who is still on the event" });
    }
    if (validRows === 0) {
      return new ConfigError("--prune: the input has no valid row, so it would cancel everyone zoomreg added: nothing was cancelled", { hint: "check the export" });
    }
    const candidates = pruneCandidates(ledger?.earlierOutcomes() ?? [], existing, mentioned);
    const allowance = pruneAllowance(maxPrune, this.ownedAtStart);
    return candidates.length > allowance ? pruneGuardError(candidates.length, this.ownedAtStart, allowance) : candidates;
  }
}
