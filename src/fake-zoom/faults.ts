/**
 * Seeded faults as an interceptor: latency drawn from a distribution, 500 and 503 answers, connections
 * dropped before or after the request is executed, and answers held past a client's timeout. The
 * draws come from their own stream seeded by the fake's seed, so the same requests in the same order
 * meet the same faults; ids and tokens are drawn from another stream and do not shift with faults.
 *
 * The core cannot sleep or close a socket: a delayed or dropped answer carries a `fault` directive
 * that the adapter carries out (node-server.ts, msw.ts).
 */
import { ConfigError } from "../errors.js";
import { createRandom } from "./random.js";
import { zoomError } from "./responses.js";
import type { FakeExchange, FakeFaults, FakeLatency, FakeResponse, FakeZoomInterceptor, RouteMatch } from "./types.js";

type FaultKind = "500" | "503" | "drop-before" | "drop-after" | "slow";

interface Decision {
  kind: FaultKind | undefined;
  latencyMs: number;
}

const uint32Range = 2 ** 32;

/** A uniform draw in [0, 1) from a mulberry32 stream. */
function unitStream(seed: number): () => number {
  const next = createRandom(seed);
  return () => next() / uint32Range;
}

/**
 * One latency draw in whole milliseconds. Normal and lognormal use Box-Muller on two uniform draws;
 * every distribution is clamped to [minMs, maxMs] (0 and no ceiling by default).
 */
export function sampleLatencyMs(latency: FakeLatency, uniform: () => number): number {
  let valueMs: number;
  let minMs = 0;
  let maxMs = Number.POSITIVE_INFINITY;
  if (latency.distribution === "uniform") {
    minMs = latency.minMs;
    maxMs = latency.maxMs;
    valueMs = minMs + uniform() * (maxMs - minMs);
  } else {
    // 1 - u keeps log() away from 0.
    const gaussian = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    valueMs = latency.distribution === "normal" ? latency.meanMs + latency.stdDevMs * gaussian : latency.medianMs * Math.exp(latency.sigma * gaussian);
    minMs = latency.minMs ?? 0;
    maxMs = latency.maxMs ?? Number.POSITIVE_INFINITY;
  }
  return Math.round(Math.min(maxMs, Math.max(minMs, valueMs)));
}

/**
 * `--latency` in a word: `uniform:MIN-MAX`, `normal:MEAN,STDDEV`, `lognormal:MEDIAN,SIGMA` (all in ms
 * but sigma), or a bare `MIN-MAX` for uniform. Throws a one-line ConfigError otherwise.
 */
export function parseLatencySpec(spec: string): FakeLatency {
  const text = spec.trim();
  const number = String.raw`(\d+(?:\.\d+)?)`;
  const uniform = new RegExp(String.raw`^(?:uniform:)?${number}-${number}$`).exec(text);
  if (uniform !== null) {
    const [minMs, maxMs] = [Number(uniform[1]), Number(uniform[2])];
    if (minMs > maxMs) throw new ConfigError(`--latency ${spec}: the minimum is above the maximum`);
    return { distribution: "uniform", minMs, maxMs };
  }
  const pair = new RegExp(String.raw`^(normal|lognormal):${number},${number}$`).exec(text);
  if (pair !== null) {
    const [first, second] = [Number(pair[2]), Number(pair[3])];
    return pair[1] === "normal" ? { distribution: "normal", meanMs: first, stdDevMs: second } : { distribution: "lognormal", medianMs: first, sigma: second };
  }
  throw new ConfigError(`--latency ${spec}: expected uniform:MIN-MAX, normal:MEAN,STDDEV or lognormal:MEDIAN,SIGMA (milliseconds)`, {
    hint: "e.g. --latency lognormal:40,0.5",
  });
}

/** True when the plan injects anything at all, so a fake without faults pays nothing for them. */
export function hasFaults(faults: FakeFaults | undefined): faults is FakeFaults {
  if (faults === undefined) return false;
  const shares = [faults.serverErrorRates?.["500"], faults.serverErrorRates?.["503"], faults.dropRates?.beforeExecuting, faults.dropRates?.afterExecuting, faults.slow?.rate];
  return faults.latency !== undefined || shares.some((share) => share !== undefined && share > 0);
}

export class FaultInjector implements FakeZoomInterceptor {
  private uniform: () => number;
  private readonly decisions = new WeakMap<FakeExchange, Decision>();
  /** Cumulative shares, in draw order. */
  private readonly thresholds: [FaultKind, number][];

  constructor(
    private readonly faults: FakeFaults,
    private readonly seed: number,
  ) {
    this.uniform = unitStream(seed);
    const shares: [FaultKind, number][] = [
      ["500", faults.serverErrorRates?.["500"] ?? 0],
      ["503", faults.serverErrorRates?.["503"] ?? 0],
      ["drop-before", faults.dropRates?.beforeExecuting ?? 0],
      ["drop-after", faults.dropRates?.afterExecuting ?? 0],
      ["slow", faults.slow?.rate ?? 0],
    ];
    let total = 0;
    this.thresholds = shares.filter(([, share]) => share > 0).map(([kind, share]) => [kind, (total += share)]);
    if (total > 1) throw new ConfigError(`fake Zoom faults: the shares of faults add up to ${total}, more than 1`);
  }

  beforeRoute(exchange: FakeExchange): FakeResponse | undefined {
    if (!this.applies(exchange.route)) return undefined;
    // One draw for the kind and (with latency) one or two for the delay on every request, whatever
    // they give, so the stream stays in step with the requests.
    const draw = this.uniform();
    const kind = this.thresholds.find(([, threshold]) => draw < threshold)?.[0];
    const latencyMs = this.faults.latency === undefined ? 0 : sampleLatencyMs(this.faults.latency, this.uniform);
    this.decisions.set(exchange, { kind, latencyMs });
    switch (kind) {
      case "500":
        exchange.recordFault(kind);
        return zoomError(500, 500, "Internal Error (injected by the fake Zoom).");
      case "503":
        exchange.recordFault(kind);
        return zoomError(503, 503, "Service Unavailable (injected by the fake Zoom).");
      case "drop-before":
        exchange.recordFault(kind);
        // Nothing is executed and nothing is answered: the status is never sent.
        return { status: 0, headers: {} };
      default:
        return undefined;
    }
  }

  afterRoute(exchange: FakeExchange, response: FakeResponse): FakeResponse {
    const decision = this.decisions.get(exchange);
    if (decision === undefined) return response;
    const { kind, latencyMs } = decision;
    if (latencyMs > 0) exchange.recordFault("latency");
    if (kind === "drop-before") return { ...response, fault: { kind: "drop", delayMs: latencyMs } };
    if (kind === "drop-after") {
      // The handler ran (an add is registered and spent one of the day's three), then the answer is lost.
      exchange.recordFault(kind);
      return { ...response, fault: { kind: "drop", delayMs: latencyMs } };
    }
    if (kind === "slow") {
      exchange.recordFault(kind);
      return { ...response, fault: { kind: "delay", delayMs: latencyMs + (this.faults.slow?.delayMs ?? 0) } };
    }
    return latencyMs > 0 ? { ...response, fault: { kind: "delay", delayMs: latencyMs } } : response;
  }

  reset(): void {
    this.uniform = unitStream(this.seed);
  }

  private applies(route: RouteMatch): boolean {
    if (route.name === "token") return this.faults.includeTokenEndpoint === true;
    return route.name !== "notFound";
  }
}
