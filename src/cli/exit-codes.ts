import { InterruptedError, ZoomregError } from "../errors.js";

/**
 * The one place errors become exit codes (README "Exit codes"). Cron and CI read these, so they are
 * a public interface: change them only with a major version.
 */
export const ExitCode = {
  ok: 0,
  /** Finished, but some rows failed, were invalid or duplicated: see the output and rejects files. */
  rowsNotRegistered: 1,
  /** Usage, configuration, the event itself, or unreadable input: nothing (more) was sent. */
  usage: 2,
  /** Zoom refused the credentials or their scopes. */
  auth: 3,
  /** Stopped at Zoom's daily limit: re-run after the time in the summary. */
  dailyLimit: 4,
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
      return ExitCode.dailyLimit;
    case "interrupted":
      return error instanceof InterruptedError && error.signal === "SIGTERM" ? ExitCode.sigterm : ExitCode.sigint;
    case "row":
    case "network":
      return ExitCode.rowsNotRegistered;
  }
}
