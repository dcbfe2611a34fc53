/** The plans' limits and push's defaults: constants the CLI's help shows, kept apart so that showing them loads nothing else. */

/**
 * Zoom's per-second limits per account, by plan and label (docs/zoom-facts.md "Rate limits"): single adds
 * are Light, batch adds Heavy. The pacer starts at these and learns the rate that works below them,
 * since the budget is shared with every other app on the account.
 */
export const planLimits = {
  pro: { lightPerSecond: 30, mediumPerSecond: 20, heavyPerSecond: 10, heavyPerDay: 30_000 },
  business: { lightPerSecond: 80, mediumPerSecond: 60, heavyPerSecond: 40, heavyPerDay: 60_000 },
} as const;

export type PlanName = keyof typeof planLimits;

export const pushDefaults = {
  /** The most requests in flight per label; pacing uses fewer when answers come fast. */
  concurrency: 32,
  plan: "pro" as PlanName,
  timeoutSeconds: 30,
};

