import { createRequire } from "node:module";
import type * as Pino from "pino";
import type { Logger, LevelWithSilent } from "pino";

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

export { logLevels } from "./log-levels.js";

/** JSON lines at `level` on `stream`, secrets redacted: push()'s log when given a logLevel, and the CLI's off a terminal. */
export function createJsonLogger(level: LevelWithSilent, stream: NodeJS.WritableStream): Logger {
  return lazyLogger(level, () => loadPino().pino({ level, base: null, redact: { paths: redactedPaths, censor: "[redacted]" } }, stream));
}

/** A logger that writes nothing: push()'s, given neither a logger nor a logLevel. pino is never loaded for it. */
export function silentLogger(): Logger {
  return lazyLogger("silent", () => loadPino().pino({ level: "silent" }));
}

const require = createRequire(import.meta.url);
const loadPino = (): typeof Pino => require("pino") as typeof Pino;

type LogMethod = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

function logWith(logger: Logger, method: LogMethod, args: unknown[]): void {
  const write: (...values: unknown[]) => void = logger[method].bind(logger);
  write(...args);
}

/** pino's numbers for its levels. */
const levelValues: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * A logger that loads pino (~25 ms of start-up: issue 19) only when a line at an enabled level is
 * written, or anything but a log call is asked of it: a cron run that logs nothing never loads it.
 */
export function lazyLogger(level: LevelWithSilent, create: () => Logger): Logger {
  let real: Logger | undefined;
  const load = (): Logger => (real ??= create());
  const threshold = level === "silent" ? Number.POSITIVE_INFINITY : (levelValues[level] ?? 0);
  const skip = (): void => undefined;
  return new Proxy({} as Logger, {
    get(_target, property) {
      const value = typeof property === "string" ? levelValues[property] : undefined;
      if (value !== undefined && real === undefined) return value >= threshold ? (...args: unknown[]) => logWith(load(), property as LogMethod, args) : skip;
      if (property === "level" && real === undefined) return level;
      const logger = load();
      const found: unknown = Reflect.get(logger, property);
      return typeof found === "function" ? (found as (...args: unknown[]) => unknown).bind(logger) : found;
    },
  });
}
