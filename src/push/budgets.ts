/**
 * One rate gate and one pacer per rate-limit label for a whole run: Zoom counts each label's
 * per-second budget per account (docs/zoom-facts.md, "Rate limits"), so every lane that spends a
 * label (single adds and the reads after approvals both spend Light) takes its permits from the same
 * gate, and what a 429 teaches one lane slows them all.
 */
import { AimdPacer, SlidingWindowRateGate } from "../pool/index.js";
import type { Clock } from "../shared/clock.js";
import type { RateLimitLabel } from "../zoom/client.js";

/**
 * Arrival lateness the gates allow for: 1% of each label's rate, against the 429s of requests that
 * reach Zoom a few ms late on a busy machine or network (docs/performance.md, "Many events (issue 20)").
 */
export const arrivalJitterMarginMs = 10;

export interface RateBudget {
  gate: SlidingWindowRateGate;
  pacer: AimdPacer;
}

export class RateBudgets {
  private readonly budgets = new Map<RateLimitLabel, RateBudget>();

  constructor(
    private readonly options: {
      /** The most per second each label may spend: the plan's limit, or `--rate`'s share of it. */
      ceilingPerSecond: Record<RateLimitLabel, number>;
      clock: Clock;
      /** When this run's earlier requests of each label left (the preflight's reads): the gates start with them. */
      earlierRequestsAtMs?: Partial<Record<RateLimitLabel, readonly number[]>>;
    },
  ) {}

  of(label: RateLimitLabel): RateBudget {
    const known = this.budgets.get(label);
    if (known !== undefined) return known;
    const { clock } = this.options;
    const ceilingPerSecond = this.options.ceilingPerSecond[label];
    const budget: RateBudget = {
      // Even spacing: a burst of a second's permits at once met 429s when its requests reached Zoom late.
      gate: new SlidingWindowRateGate({ ratePerSecond: ceilingPerSecond, clock, spacing: "even", grantedAtMs: this.options.earlierRequestsAtMs?.[label] ?? [], windowMarginMs: arrivalJitterMarginMs }),
      pacer: new AimdPacer({ ceilingPerSecond, clock }),
    };
    this.budgets.set(label, budget);
    return budget;
  }
}
