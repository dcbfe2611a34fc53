import { pino, type Logger, type LevelWithSilent } from "pino";

/**
 * zoomreg's log is pino's JSON lines. Anything that could hold a secret is redacted by path, as a
 * second line of defence: no code path is meant to log a secret in the first place.
 */
export const redactedPaths = [
  "authorization",
  "headers.authorization",
  "*.authorization",
  "token",
  "access_token",
  "*.access_token",
  "clientSecret",
  "*.clientSecret",
  "apiSecret",
  "*.apiSecret",
  "client_secret",
];

export const logLevels: readonly LevelWithSilent[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

/** JSON lines at `level` on `stream`, secrets redacted: push()'s log when given a logLevel, and the CLI's off a terminal. */
export function createJsonLogger(level: LevelWithSilent, stream: NodeJS.WritableStream): Logger {
  return pino({ level, base: null, redact: { paths: redactedPaths, censor: "[redacted]" } }, stream);
}
