/**
 * Scripted faults: "the next N requests of this operation fail this way", for tests that need one
 * fault at one exact point (the seeded injector in faults.ts gives shares, not places). An interceptor
 * that the core runs first, before the seeded injector and the rate limiter, on the token endpoint too
 * (whatever `includeTokenEndpoint` says): a script names its route, so it always means it.
 */
import { ConfigError } from "../errors.js";
import { zoomError } from "./responses.js";
import type {
  FakeExchange,
  FakeResponse,
  FakeZoomInterceptor,
  FaultScript,
  RateLimitLabel,
  RouteName,
  ScriptableRoute,
  ScriptedAnswer,
} from "./types.js";

export const scriptableRoutes: readonly ScriptableRoute[] = [
  "token",
  "getEvent",
  "registrationQuestions",
  "listRegistrants",
  "addRegistrant",
  "batchAddRegistrants",
  "updateRegistrantStatus",
  "getRegistrant",
  "deleteRegistrant",
];

export const scriptedAnswers: readonly ScriptedAnswer[] = ["500", "qps-429", "drop-before", "drop-after"];

/** Builds the rate limiter's own per-second 429 for a label (rate-limits.ts `perSecondLimited`). */
export type PerSecondAnswer = (label: RateLimitLabel | undefined) => FakeResponse;

/** One queued script: `answer` for the next `left` requests of its route. */
interface Pending {
  answer: ScriptedAnswer;
  left: number;
}

export class ScriptedFaults implements FakeZoomInterceptor {
  /** Per route, in the order the scripts came: a second script for a route waits for the first. */
  private queues = new Map<ScriptableRoute, Pending[]>();
  /** Requests let through to be dropped once executed (`drop-after`). */
  private toDropAfter = new WeakSet<FakeExchange>();

  constructor(private readonly perSecondAnswer: PerSecondAnswer) {}

  /**
   * Queues `script` behind any other for its route. Checked here, as it may come from a JSON body:
   * throws a ConfigError naming what is wrong.
   */
  add(script: unknown): void {
    const checked = parseFaultScript(script);
    const queue = this.queues.get(checked.route) ?? [];
    queue.push({ answer: checked.answer, left: checked.count });
    this.queues.set(checked.route, queue);
  }

  /** What is still to come, per route in the order given, as scripts (JSON-able). */
  left(): FaultScript[] {
    return [...this.queues].flatMap(([route, queue]) => queue.map(({ answer, left }) => ({ route, count: left, answer })));
  }

  beforeRoute(exchange: FakeExchange): FakeResponse | undefined {
    const answer = this.take(exchange.route.name);
    if (answer === undefined) return undefined;
    if (answer === "drop-after") {
      // Recorded once executed (afterRoute): the rest of the pipeline and the handler run as usual.
      this.toDropAfter.add(exchange);
      return undefined;
    }
    exchange.recordFault(`scripted-${answer}`);
    switch (answer) {
      case "500":
        return zoomError(500, 500, "Internal Error (scripted in the fake Zoom).");
      case "qps-429":
        // Counted as the rate limiter counts its own, so a test reads one figure for both.
        exchange.recordRateLimited("qps");
        return this.perSecondAnswer(exchange.route.label);
      default:
        // drop-before: nothing executed, nothing answered (FaultInjector's directive, at once).
        return { status: 0, headers: {}, fault: { kind: "drop", delayMs: 0 } };
    }
  }

  afterRoute(exchange: FakeExchange, response: FakeResponse): FakeResponse {
    if (!this.toDropAfter.has(exchange)) return response;
    exchange.recordFault("scripted-drop-after");
    // Keeps any latency the seeded injector added: the answer is lost after it, not before.
    return { ...response, fault: { kind: "drop", delayMs: response.fault?.delayMs ?? 0 } };
  }

  reset(): void {
    this.queues = new Map();
    this.toDropAfter = new WeakSet();
  }

  /** The answer for this request of `route`, spending one from the head of its queue. */
  private take(route: RouteName): ScriptedAnswer | undefined {
    // Routes no script can name (the fake's own, unknown paths) simply find no queue.
    const key = route as ScriptableRoute;
    const queue = this.queues.get(key);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.left -= 1;
    if (head.left === 0) queue.shift();
    if (queue.length === 0) this.queues.delete(key);
    return head.answer;
  }
}

/**
 * Checks a script from code or from `POST /__fake/faults`: `{route, count, answer}` and nothing else,
 * `count` a positive integer. Throws a one-line ConfigError naming the key and what was expected.
 */
export function parseFaultScript(value: unknown): FaultScript {
  const where = "fake Zoom fault script";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected a JSON object {"route", "count", "answer"}`);
  }
  const { route, count, answer, ...rest } = value as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) throw new ConfigError(`${where}: unknown key ${unknownKeys.join(", ")} (expected route, count, answer)`);
  if (!scriptableRoutes.includes(route as ScriptableRoute)) {
    throw new ConfigError(`${where}: route ${JSON.stringify(route)}: expected one of ${scriptableRoutes.join(", ")}`);
  }
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) {
    throw new ConfigError(`${where}: count ${JSON.stringify(count)}: expected a positive integer`);
  }
  if (!scriptedAnswers.includes(answer as ScriptedAnswer)) {
    throw new ConfigError(`${where}: answer ${JSON.stringify(answer)}: expected one of ${scriptedAnswers.join(", ")}`);
  }
  return { route: route as ScriptableRoute, count, answer: answer as ScriptedAnswer };
}
