/**
 * Zoom's account rate limits as an interceptor (docs/zoom-facts.md, "Rate limits"): a budget per label
 * (Light, Medium, Heavy) over any rolling second, shared by every app on the account, and daily caps
 * per label (Heavy: 30,000 a day on Pro, 60,000 on Business and up), reset at 00:00 UTC. It also
 * measures the highest rate each label reached, limited or not, for the ledger.
 */
import { RollingSecond, nextUtcMidnightIso, utcDay } from "./counters.js";
import { zoomError } from "./responses.js";
import type { FakeExchange, FakeRateLimits, FakeResponse, FakeZoomInterceptor, RateLimitLabel } from "./types.js";

export type RatePlanName = "pro" | "business";

/** Zoom's published figures per plan (docs/zoom-facts.md, "Rate limits" table). */
export const ratePlans: Readonly<Record<RatePlanName, Readonly<FakeRateLimits>>> = Object.freeze({
  pro: { perSecond: { Light: 30, Medium: 20, Heavy: 10 }, perDay: { Heavy: 30_000 }, headers: true },
  business: { perSecond: { Light: 80, Medium: 60, Heavy: 40 }, perDay: { Heavy: 60_000 }, headers: true },
});

const labels: readonly RateLimitLabel[] = ["Light", "Medium", "Heavy"];

/** Zoom's wording for each kind; a client without headers must tell the kind from it (docs/zoom-facts.md). */
export const perSecondLimitMessage = "You have reached the maximum per-second rate limit for this API. Try again later.";
export const dailyLimitMessage =
  "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.";

interface LabelState {
  /** Every authenticated request of the label, 429s included: the peak the ledger reports. */
  received: RollingSecond;
  /** Requests let through: what the per-second budget counts. */
  accepted: RollingSecond;
  day: number;
  acceptedToday: number;
  peakPerSecond: number;
}

export class RateLimiter implements FakeZoomInterceptor {
  private states = new Map<RateLimitLabel, LabelState>();

  /** `limits` undefined: nothing is limited, peaks are still measured. */
  constructor(private readonly limits: Readonly<FakeRateLimits> | undefined) {
    this.reset();
  }

  /**
   * Counts an authenticated request toward its label's peak. The core calls it for every such request
   * before any interceptor, so requests that a fault or a 429 answers are counted too.
   */
  observe(label: RateLimitLabel | undefined, nowMs: number): void {
    if (label === undefined) return;
    const state = this.states.get(label) as LabelState;
    state.received.add(nowMs);
    const receivedInSecond = state.received.count(nowMs);
    if (receivedInSecond > state.peakPerSecond) state.peakPerSecond = receivedInSecond;
  }

  beforeRoute(exchange: FakeExchange): FakeResponse | undefined {
    const { label } = exchange.route;
    const { limits } = this;
    if (label === undefined || limits === undefined) return undefined;
    const state = this.states.get(label) as LabelState;
    const { nowMs } = exchange;
    const today = utcDay(nowMs);
    if (state.day !== today) {
      state.day = today;
      state.acceptedToday = 0;
    }
    const dailyLimit = limits.perDay[label];
    if (dailyLimit !== undefined && state.acceptedToday >= dailyLimit) {
      exchange.recordRateLimited("daily");
      return this.limited(dailyLimitMessage, {
        "x-ratelimit-category": label,
        "x-ratelimit-type": "Daily-limit",
        "x-ratelimit-limit": String(dailyLimit),
        "x-ratelimit-remaining": "0",
        // ISO-8601, not seconds: "Retry-After as an ISO-8601 timestamp (next 00:00 UTC)" (docs/zoom-facts.md).
        "retry-after": nextUtcMidnightIso(nowMs),
      });
    }
    const perSecondLimit = limits.perSecond[label];
    if (perSecondLimit !== undefined && state.accepted.count(nowMs) >= perSecondLimit) {
      exchange.recordRateLimited("qps");
      return this.perSecondLimited(label);
    }
    state.accepted.add(nowMs);
    state.acceptedToday += 1;
    return undefined;
  }

  /**
   * A successful answer tells what is left ("headers, where present", docs/zoom-facts.md): the day's budget
   * for a label with a daily cap (what a bulk client must plan around), else the second's.
   */
  afterRoute(exchange: FakeExchange, response: FakeResponse): FakeResponse {
    const { limits } = this;
    const { label } = exchange.route;
    if (limits === undefined || !limits.headers || label === undefined || response.status < 200 || response.status > 299) return response;
    const state = this.states.get(label) as LabelState;
    const dailyLimit = limits.perDay[label];
    const perSecondLimit = limits.perSecond[label];
    let headers: Record<string, string>;
    if (dailyLimit !== undefined) {
      headers = {
        "x-ratelimit-category": label,
        "x-ratelimit-type": "Daily-limit",
        "x-ratelimit-limit": String(dailyLimit),
        "x-ratelimit-remaining": String(Math.max(0, dailyLimit - state.acceptedToday)),
      };
    } else if (perSecondLimit !== undefined) {
      headers = {
        "x-ratelimit-category": label,
        "x-ratelimit-type": "QPS",
        "x-ratelimit-limit": String(perSecondLimit),
        "x-ratelimit-remaining": String(Math.max(0, perSecondLimit - state.accepted.count(exchange.nowMs))),
      };
    } else {
      return response;
    }
    return { ...response, headers: { ...response.headers, ...headers } };
  }

  /** The highest number of requests each label saw within one rolling second; labels never seen are left out. */
  peaks(): Partial<Record<RateLimitLabel, number>> {
    const peaks: Partial<Record<RateLimitLabel, number>> = {};
    for (const [label, state] of this.states) if (state.peakPerSecond > 0) peaks[label] = state.peakPerSecond;
    return peaks;
  }

  reset(): void {
    this.states = new Map(
      labels.map((label) => [label, { received: new RollingSecond(), accepted: new RollingSecond(), day: 0, acceptedToday: 0, peakPerSecond: 0 }]),
    );
  }

  /**
   * The per-second 429 for `label`, as `beforeRoute` answers it; scripted faults answer with it too, so
   * both look alike. Without a budget for the label, the headers carry the Pro plan's figure; a route
   * without a label (the token endpoint) gets the body alone.
   */
  perSecondLimited(label: RateLimitLabel | undefined): FakeResponse {
    if (label === undefined) return zoomError(429, 429, perSecondLimitMessage);
    const perSecondLimit = this.limits?.perSecond[label] ?? ratePlans.pro.perSecond[label];
    return this.limited(perSecondLimitMessage, {
      "x-ratelimit-category": label,
      "x-ratelimit-type": "QPS",
      "x-ratelimit-limit": String(perSecondLimit),
      "x-ratelimit-remaining": "0",
    });
  }

  private limited(message: string, headers: Record<string, string>): FakeResponse {
    const response = zoomError(429, 429, message);
    if (this.limits?.headers === false) return response;
    return { ...response, headers: { ...response.headers, ...headers } };
  }
}
