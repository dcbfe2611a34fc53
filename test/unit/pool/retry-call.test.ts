import { describe, expect, it } from "vitest";
import { callWithRetries, type RetryCallEvent, type RetryCallOptions } from "../../../src/pool/retry-call.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { advance, classify, FinalError, flush, retry, ThrottledError, track, TransientError } from "./helpers.js";

/** A call that fails with each of `failures` in turn, then answers "done"; it records when each attempt started. */
function scripted(failures: readonly Error[], clock: ManualClock): { call: (attempt: number) => Promise<string>; startedAtMs: number[]; attempts: number[] } {
  const startedAtMs: number[] = [];
  const attempts: number[] = [];
  return {
    startedAtMs,
    attempts,
    call: (attempt) => {
      attempts.push(attempt);
      startedAtMs.push(clock.now());
      const failure = failures[attempt - 1];
      return failure === undefined ? Promise.resolve("done") : Promise.reject(failure);
    },
  };
}

function setup(overrides: Partial<RetryCallOptions> = {}): { clock: ManualClock; options: RetryCallOptions; retries: RetryCallEvent[] } {
  const clock = new ManualClock(0);
  const retries: RetryCallEvent[] = [];
  // random 0.5: a transient wait is half its cap (1000 ms × 2^n), exact in every row below.
  return { clock, retries, options: { classify, retry, clock, random: () => 0.5, onRetry: (event) => retries.push(event), ...overrides } };
}

/** Runs the call to its end, moving the fake clock in 100 ms steps while it waits. */
async function settle<T>(promise: Promise<T>, clock: ManualClock): Promise<{ value?: T; error?: unknown }> {
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const tracked = track(settled);
  for (let step = 0; tracked.state === "pending" && step < 1000; step += 1) await advance(clock, 100);
  return settled;
}

describe("callWithRetries", () => {
  it.each([
    { what: "a first success", failures: [], startedAtMs: [0] },
    { what: "one transient failure", failures: [new TransientError()], startedAtMs: [0, 500] },
    // Waits of 500 then 1000 ms: full jitter at 0.5 of a cap that doubles.
    { what: "two transient failures", failures: [new TransientError(), new TransientError()], startedAtMs: [0, 500, 1500] },
    { what: "a 429 without a retry time (the throttle fallback, 1000 ms)", failures: [new ThrottledError()], startedAtMs: [0, 1000] },
    { what: "a 429 naming when to come back", failures: [new ThrottledError(2500)], startedAtMs: [0, 2500] },
    // Throttled retries do not spend transient ones: 2 transient + 3 throttled, and the sixth attempt succeeds.
    {
      what: "429s mixed with transient failures",
      failures: [new ThrottledError(), new TransientError(), new ThrottledError(), new TransientError(), new ThrottledError()],
      startedAtMs: [0, 1000, 1500, 2500, 3500, 4500],
    },
  ])("resolves after $what, waiting as the policy says", async ({ failures, startedAtMs }) => {
    const { clock, options } = setup();
    const script = scripted(failures, clock);
    const { value } = await settle(callWithRetries(script.call, options), clock);
    expect(value).toBe("done");
    expect(script.startedAtMs).toEqual(startedAtMs);
    expect(script.attempts).toEqual(startedAtMs.map((_, index) => index + 1));
  });

  it.each([
    { what: "a final failure at once", failures: [new FinalError("400")], reason: "final", attempts: 1 },
    { what: "a final failure after a transient one", failures: [new TransientError(), new FinalError("404")], reason: "final", attempts: 2 },
    { what: "transient failures past maxRetries (2)", failures: [new TransientError(), new TransientError(), new TransientError("third")], reason: "retries-exhausted", attempts: 3 },
    {
      what: "429s past maxThrottledRetries (3)",
      failures: [new ThrottledError(), new ThrottledError(), new ThrottledError(), new ThrottledError()],
      reason: "throttled-retries-exhausted",
      attempts: 4,
    },
    { what: "a 429 asking for longer than maxThrottleWaitMs", failures: [new ThrottledError(61_000)], reason: "throttle-wait-too-long", attempts: 1 },
  ])("gives up on $what, with the last error and why", async ({ failures, reason, attempts }) => {
    const giveUps: unknown[] = [];
    const { clock, options } = setup({ giveUpError: (giveUp) => (giveUps.push(giveUp), new Error(`given up: ${giveUp.reason}`)) });
    const { error } = await settle(callWithRetries(scripted(failures, clock).call, options), clock);
    expect((error as Error).message).toBe(`given up: ${reason}`);
    expect(giveUps).toEqual([{ error: failures.at(-1), reason, attempts }]);
  });

  it("throws the last error unchanged when the caller names no give-up error", async () => {
    const { clock, options } = setup();
    const last = new TransientError("third");
    const { error } = await settle(callWithRetries(scripted([new TransientError(), new TransientError(), last], clock).call, options), clock);
    expect(error).toBe(last);
  });

  it("reports each retry before waiting for it", async () => {
    const { clock, options, retries } = setup();
    const first = new TransientError();
    const second = new ThrottledError();
    await settle(callWithRetries(scripted([first, second], clock).call, options), clock);
    expect(retries).toEqual([
      { attempt: 1, error: first, delayMs: 500, counts: "transient" },
      { attempt: 2, error: second, delayMs: 1000, counts: "throttled" },
    ]);
  });

  it("waits on the injected clock: nothing is tried again before the wait is over", async () => {
    const { clock, options } = setup();
    const script = scripted([new TransientError()], clock);
    const running = track(callWithRetries(script.call, options));
    await flush();
    expect(clock.pendingSleepers).toBe(1);
    await advance(clock, 499);
    expect(script.attempts).toEqual([1]);
    await advance(clock, 1);
    expect(script.attempts).toEqual([1, 2]);
    expect(running.state).toBe("resolved");
  });

  it("ends the wait when the caller aborts, with the abort's reason", async () => {
    const controller = new AbortController();
    const { clock, options } = setup({ signal: controller.signal });
    const script = scripted([new TransientError()], clock);
    const running = callWithRetries(script.call, options);
    const tracked = track(running);
    await flush();
    const reason = new Error("SIGINT");
    controller.abort(reason);
    await flush();
    expect(tracked).toEqual({ state: "rejected", reason });
    expect(script.attempts).toEqual([1]);
    await expect(running).rejects.toBe(reason);
  });

  it("does not retry or reword a failure that comes after the caller's abort", async () => {
    const controller = new AbortController();
    const reason = new TransientError("aborted mid-call");
    controller.abort(reason);
    const { clock, options } = setup({ signal: controller.signal, giveUpError: () => new Error("reworded") });
    const script = scripted([reason], clock);
    await expect(callWithRetries(script.call, options)).rejects.toBe(reason);
    expect(script.attempts).toEqual([1]);
  });
});
