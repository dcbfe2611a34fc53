import { Writable } from "node:stream";
import type { Logger, LevelWithSilent } from "pino";
import { createJsonLogger } from "../engine/logging.js";

/**
 * The level asked for (`--log-level`, or the config file's `logLevel`) wins. Otherwise `info` on a
 * terminal, where a person watches the run, and `warn` anywhere else: cron mails whatever a job writes
 * to stderr, so a successful nightly run must write nothing there. `-q` asks for `warn` too.
 */
export function defaultLogLevel(asked: string | undefined, options: { quiet: boolean; terminal: boolean }): LevelWithSilent {
  if (asked !== undefined) return asked as LevelWithSilent;
  return options.terminal && !options.quiet ? "info" : "warn";
}

/**
 * Logs go to stderr: JSON lines when stderr is not a terminal (cron, CI, log shippers), one short
 * readable line each on a terminal.
 */
export function createLogger(level: LevelWithSilent, stderr: NodeJS.WritableStream & { isTTY?: boolean }, beforeWrite: () => void = () => undefined): Logger {
  return createJsonLogger(level, stderr.isTTY === true ? readableLines(stderr, beforeWrite) : stderr);
}

const levelNames: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

function readableLines(stderr: NodeJS.WritableStream, beforeWrite: () => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      beforeWrite();
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        try {
          const { level, time: _time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
          const extra = Object.entries(rest)
            .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
            .join(" ");
          stderr.write(`${levelNames[level as number] ?? "log"}: ${String(msg)}${extra === "" ? "" : `  ${extra}`}\n`);
        } catch {
          stderr.write(`${line}\n`);
        }
      }
      callback();
    },
  });
}
