/**
 * When a push stops, and why: the one owner of the run's stop signal and of every reason to stop
 * (issue 10, "three kinds of refusal"; issue 17, a lost lock). The lanes stop taking new work when
 * `signal` aborts; what is in flight finishes and is recorded.
 */
import type { Logger } from "pino";
import { ZoomUnavailableError, type InputError, type ZoomregError } from "../errors.js";
import { concernsTheAccount, type SharedStop } from "./shared-stop.js";

/**
 * Rows in a row that failed only because Zoom failed: past this many with no answer that worked in
 * between, Zoom is taken to be down and the run stops rather than spend every row's retries on it.
 */
export const unavailableAfterRows = 10;

export class StopPolicy {
  private readonly controller = new AbortController();
  /** Set when the run stopped early for a reason that concerns every row (credentials, the event, Zoom down, the lock). */
  fatalError: ZoomregError | undefined;
  /** A bug: rethrown once what is in flight is recorded (exit 70). */
  internalError: Error | undefined;
  /** The input broke mid-file: everything before it was sent; the run ends with this error. */
  inputError: InputError | undefined;
  /** Set when Zoom's daily limit for the account stopped the run: when to try again (epoch ms). */
  dailyLimitUntilMs: number | undefined;
  /** The earliest time a deferred row may be tried again (epoch ms). */
  deferredUntilMs: number | undefined;
  /** Rows Zoom failed (5xx, network, per-second 429s past retries): the next run sends them. */
  zoomFailures = 0;
  private zoomFailuresInARow = 0;

  /**
   * `shared`: the run's other events (issue 20): a stop that concerns the account is told to them, and
   * theirs is taken here.
   */
  constructor(
    private readonly logger: Logger,
    private readonly shared?: SharedStop,
  ) {
    shared?.subscribe((reason) => (reason.kind === "daily-limit" ? this.stopForDailyLimit(reason.untilMs) : this.stopFor(reason.error)));
  }

  /** Aborts when the lanes must take no new work. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops for a reason that concerns every row; the first reason is the one reported. */
  stopFor(error: ZoomregError): void {
    if (this.fatalError !== undefined) return;
    this.fatalError = error;
    this.logger.error({ error: error.message }, "stopping: this concerns every row; rows in flight finish first");
    this.controller.abort(error);
    if (concernsTheAccount(error)) this.shared?.report({ kind: "fatal", error });
  }

  /** A bug: the run stops, and the error is rethrown once what is in flight is recorded. */
  stopForBug(error: unknown): void {
    this.internalError ??= error instanceof Error ? error : new Error(String(error));
    this.controller.abort(error);
  }

  stopForDailyLimit(untilMs: number): void {
    if (this.dailyLimitUntilMs !== undefined) return;
    this.dailyLimitUntilMs = untilMs;
    this.logger.error({ until: new Date(untilMs).toISOString() }, "Zoom's daily limit for the account is reached: stopping; the rest is deferred");
    this.controller.abort("daily limit");
    this.shared?.report({ kind: "daily-limit", untilMs });
  }

  /** The caller's signal: stop now, without reading the rest of the input. */
  interrupt(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** The input broke after some rows were read: they are still sent; the run then ends with this error. */
  endInput(error: InputError): void {
    this.inputError = error;
  }

  noteDeferred(untilMs: number): void {
    this.deferredUntilMs = this.deferredUntilMs === undefined ? untilMs : Math.min(this.deferredUntilMs, untilMs);
  }

  /** Zoom answered something that worked: Zoom is not down. */
  zoomAnswered(): void {
    this.zoomFailuresInARow = 0;
  }

  /** Zoom failed this row (5xx, network, per-second 429s past retries): too many in a row and Zoom is down. */
  zoomFailed(error: unknown, attempts: number): void {
    this.zoomFailures += 1;
    this.zoomFailuresInARow += 1;
    if (this.zoomFailuresInARow >= unavailableAfterRows) {
      this.stopFor(new ZoomUnavailableError(`${unavailableAfterRows} rows in a row failed, the last with ${messageOf(error)}`, { cause: error, attempts }));
    }
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
