/**
 * A fake Zoom REST API for the demo, the end-to-end tests, benchmarks and users' own CI.
 *
 *   const zoom = await startFakeZoom();            // plain node:http on 127.0.0.1, a free port
 *   await push({ meeting: "85746065", records, env: zoom.env });   // zoom.env: ZOOM_API_URL, ... for its credentials
 *   zoom.fake.ledger();                            // what it saw
 *   await zoom.close();
 *
 *   // a scenario (docs/fake-zoom.md): events, apps and scopes, rate limits, faults, seed
 *   await startFakeZoom({ ...parseScenarioText(readFileSync("scenario.json", "utf8"), "scenario.json"), port: 0 });
 *
 * msw users: `fakeZoomHandlers` lives in `./msw.js` (imported on its own so that loading this module
 * never loads msw); `startMswFakeZoom` here loads it on first use.
 */
import type { RunningFakeZoom, StartFakeZoomOptions } from "./types.js";

export { FakeZoom } from "./fake-zoom.js";
export { startFakeZoom } from "./node-server.js";
export { defaultEventIds, defaultFakeCredentials, defaultFakeEvents } from "./defaults.js";
export { parseScenario, parseScenarioText, resolveRateLimits, type RatePlanChoice, type ScenarioOptions } from "./scenario.js";
export { parseLatencySpec } from "./faults.js";
export { ratePlans, type RatePlanName } from "./rate-limits.js";
export { scriptableRoutes, scriptedAnswers } from "./scripted-faults.js";
export type {
  CancelledListing,
  EventKind,
  HostAction,
  Reapproval,
  FakeApp,
  FakeCredentials,
  FakeDelivery,
  FakeEventChange,
  FakeFaults,
  FakeLatency,
  FakeRateLimits,
  FakeExchange,
  FakeLedger,
  FakeLedgerEntry,
  FakeRegistrationQuestions,
  FakeRequest,
  FakeResponse,
  FakeZoomEnv,
  FakeZoomEvent,
  FakeZoomInterceptor,
  FakeZoomOptions,
  FaultScript,
  RateLimitLabel,
  RegistrantLimitScope,
  RouteMatch,
  RouteName,
  RunningFakeZoom,
  ScriptableRoute,
  ScriptedAnswer,
  StartFakeZoomOptions,
} from "./types.js";

/** The msw-backed server (see msw.ts): same answers as `startFakeZoom`, slower. */
export async function startMswFakeZoom(options: StartFakeZoomOptions = {}): Promise<RunningFakeZoom> {
  const { startMswFakeZoom: start } = await import("./msw.js");
  return start(options);
}
