import type { LevelWithSilent } from "pino";

/** pino's levels, as `--log-level` takes them (apart from pino itself, so that help loads nothing). */
export const logLevels: readonly LevelWithSilent[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
