import { InterruptedError, QuotaGuardError, RateLimitError, ZoomregError } from "../errors.js";
import type { PushSummary } from "../push/run-push.js";

/**
 * The one place errors become exit codes (README "Exit codes"). Cron and CI read these, so they are
 * a public interface: change them only with a major version.
 */
export const ExitCode = {
  ok: 0,
  /** Finished, but some rows failed, were invalid or duplicated: see the output and rejects files. */
  rowsNotRegistered: 1,
  /** Usage, configuration, the event itself, unreadable input, or no valid row in it: nothing (more) was sent. */
  usage: 2,
  /** Zoom refused the credentials or their scopes. */
  auth: 3,
  /** Stopped at Zoom's account daily limit (only that): re-run after the time in the summary. */
  dailyLimit: 4,
  /** Zoom unreachable or failing after every retry: nothing lost, run the same command again later. */
  zoomUnavailable: 5,
  /** A bug in zoomreg: please report it with the --debug output. */
  internal: 70,
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof ZoomregError)) return ExitCode.internal;
  switch (error.domain) {
    case "config":
    case "input":
    case "api":
      return ExitCode.usage;
    case "auth":
      return ExitCode.auth;
    case "rate-limit":
      return rateLimitExitCode(error);
    case "unavailable":
      return ExitCode.zoomUnavailable;
    case "interrupted":
      return error instanceof InterruptedError && error.signal === "SIGTERM" ? ExitCode.sigterm : ExitCode.sigint;
    case "network":
      // A transport failure that ends a command is Zoom out of reach, not a row that failed.
      return ExitCode.zoomUnavailable;
    case "row":
      return ExitCode.rowsNotRegistered;
  }
}

/**
 * Exit 4 is the account's daily limit only, which a cron job waits out until 00:00 UTC. A per-second
 * 429 passes in a moment: a busy Zoom (5). One person's 3 adds a day defers that row alone (1).
 */
function rateLimitExitCode(error: ZoomregError): number {
  if (error instanceof RateLimitError && error.scope === "qps") return ExitCode.zoomUnavailable;
  if (error instanceof QuotaGuardError || (error instanceof RateLimitError && error.scope === "registrant-daily")) return ExitCode.rowsNotRegistered;
  return ExitCode.dailyLimit;
}

/** What a push exits with, from how it ended (the CLI exits with it; push() reports it in its summary). */
export function pushExitCode(summary: Pick<PushSummary, "fatalError" | "interrupted" | "dailyLimitUntilMs" | "zoomFailures" | "counts" | "rowsRead" | "unmet">, signal: AbortSignal): number {
  if (summary.fatalError !== undefined) return exitCodeFor(summary.fatalError);
  if (summary.interrupted) return signal.reason === "SIGTERM" ? ExitCode.sigterm : ExitCode.sigint;
  if (summary.dailyLimitUntilMs !== undefined) return ExitCode.dailyLimit;
  // Rows Zoom failed (5xx, network) are sent again by the next run: "run again", not "fix the rows".
  if (summary.zoomFailures > 0) return ExitCode.zoomUnavailable;
  if (noRowValid(summary)) return ExitCode.usage;
  const { failed, invalid, duplicate, deferred, not_sent: notSent } = summary.counts;
  // `unmet`: rows left other than they ask, on purpose (a host's denial): not registered either.
  return failed + invalid + duplicate + deferred + notSent + summary.unmet > 0 ? ExitCode.rowsNotRegistered : ExitCode.ok;
}

/** A dry run exits as the run would for its rows: 2 when none is valid, 1 when one would not be sent (invalid or duplicate), else 0. */
export function dryRunExitCode(summary: { invalid: number; duplicate: number; rowsRead: number }): number {
  if (noRowValid({ counts: summary, rowsRead: summary.rowsRead })) return ExitCode.usage;
  return summary.invalid + summary.duplicate > 0 ? ExitCode.rowsNotRegistered : ExitCode.ok;
}

/**
 * Rows were read and not one is valid: nothing could be sent. That is the file's problem, not the
 * rows' (a header shifted by a title line, the wrong export, the wrong --delimiter), so it exits 2 like
 * an unreadable file rather than 1 like a few bad rows. An input without rows is not this: it exits 0.
 */
export function noRowValid(summary: { counts: { invalid: number }; rowsRead: number }): boolean {
  return summary.rowsRead > 0 && summary.counts.invalid === summary.rowsRead;
}
