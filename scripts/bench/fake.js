// The benchmark's fake Zoom: the bundled one (dist/fake-zoom), in this process on loopback, with one
// webinar big enough for any run, optional Pro limits and latency, and an interceptor that records
// when each registrant add arrived and how it was answered (the rate and 429 figures come from it).
/* global performance */
import { defaultEventIds, defaultFakeCredentials, resolveRateLimits, startFakeZoom } from "../../dist/fake-zoom/index.js";

/** @typedef {import("../../src/fake-zoom/index.js").FakeZoomInterceptor} FakeZoomInterceptor */
/** @typedef {import("../../src/fake-zoom/index.js").FakeLatency} FakeLatency */
/** @typedef {import("../../src/fake-zoom/index.js").RunningFakeZoom} RunningFakeZoom */
/** @typedef {{ kind: "meeting" | "webinar", id: string }} BenchEvent */

/** The built-in type-5 webinar's id, so `--batch auto` picks batches for it. */
export const benchWebinarId = defaultEventIds.webinar;

/** Zoom-like latency: every /v2 answer waits 100 to 300 ms (uniform), drawn per request from the seeded stream. */
export const zoomLikeLatency = /** @type {FakeLatency} */ ({ distribution: "uniform", minMs: 100, maxMs: 300 });

/**
 * Records every single and batch add the fake answers: arrival time (this process's performance.now(),
 * ms) and status, in the order they arrived. It runs after the fake's rate limiter, so 429s are seen.
 */
export class ArrivalRecorder {
  /** @type {{ single: number[], batch: number[] }} */
  arrivalsMs = { single: [], batch: [] };
  /** @type {{ single: number[], batch: number[] }} */
  statuses = { single: [], batch: [] };
  /** Every request of each rate-limit label (reads too): what the label's budget was spent on. */
  /** @type {Record<string, { arrivalsMs: number[], statuses: number[] }>} */
  byLabel = {};

  /** @returns {FakeZoomInterceptor} */
  interceptor() {
    return {
      afterRoute: (exchange, response) => {
        const nowMs = performance.now();
        const kind = exchange.route.name === "addRegistrant" ? "single" : exchange.route.name === "batchAddRegistrants" ? "batch" : undefined;
        if (kind !== undefined) {
          this.arrivalsMs[kind].push(nowMs);
          this.statuses[kind].push(response.status);
        }
        const { label } = exchange.route;
        if (label !== undefined) {
          const seen = (this.byLabel[label] ??= { arrivalsMs: [], statuses: [] });
          seen.arrivalsMs.push(nowMs);
          seen.statuses.push(response.status);
        }
        return response;
      },
    };
  }
}

/**
 * Answers the single add of `email` only after `delayMs` of real time (the adapter holds the answer):
 * one slow row for the rows read after it to wait behind.
 * @param {string} email
 * @param {number} delayMs
 * @returns {FakeZoomInterceptor}
 */
export function slowAddInterceptor(email, delayMs) {
  const quoted = JSON.stringify(email);
  return {
    afterRoute: (exchange, response) =>
      exchange.route.name === "addRegistrant" && exchange.request.body.includes(quoted) ? { ...response, fault: { kind: "delay", delayMs: (response.fault?.delayMs ?? 0) + delayMs } } : response,
  };
}

/**
 * @param {{ latency?: FakeLatency, proLimits: boolean, capacity: number, seed?: number, interceptors?: FakeZoomInterceptor[], events?: BenchEvent[] }} options
 *   interceptors: more hooks, after the arrival recorder's (so their afterRoute runs before it)
 *   events: the events to serve instead of the one webinar (each holding `capacity`)
 * @returns {Promise<{ zoom: RunningFakeZoom, recorder: ArrivalRecorder, env: Record<string, string> }>}
 */
export async function startBenchFake({ latency, proLimits, capacity, seed = 5, interceptors = [], events = [{ kind: "webinar", id: benchWebinarId }] }) {
  const recorder = new ArrivalRecorder();
  const rateLimits = proLimits ? resolveRateLimits("pro") : undefined;
  const zoom = /** @type {RunningFakeZoom} */ (
    await startFakeZoom({
    port: 0,
    host: "127.0.0.1",
    seed,
    events: events.map(({ kind, id }) => ({
      kind,
      id,
      // Scheduled meetings (2) and webinars (5) both take batches.
      type: kind === "webinar" ? 5 : 2,
      topic: `zoomreg benchmark ${kind} ${id}`,
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-15T17:00:00Z",
      // Zoom caps a meeting at 4,999 registrants; the benchmark's event must hold every row it sends.
      capacity,
    })),
    ...(rateLimits === undefined ? {} : { rateLimits }),
    ...(latency === undefined ? {} : { faults: { latency } }),
    interceptors: [recorder.interceptor(), ...interceptors],
    })
  );
  const env = {
    ZOOM_API_URL: zoom.apiUrl,
    ZOOM_OAUTH_URL: zoom.oauthUrl,
    ZOOM_ACCOUNT_ID: defaultFakeCredentials.accountId,
    ZOOM_CLIENT_ID: defaultFakeCredentials.clientId,
    ZOOM_CLIENT_SECRET: defaultFakeCredentials.clientSecret,
  };
  return { zoom, recorder, env };
}
