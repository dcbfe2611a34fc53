import { InterruptedError, ZoomregError } from "../errors.js";
import { ExitCode, exitCodeFor } from "../engine/exit-codes.js";
import type { CliIo } from "./io.js";
import { quickAnswer } from "./quick-answer.js";
import { version } from "../version.js";

export { version };

/**
 * Runs the command `io.argv` names. Returns the exit code; the only place that turns errors into exit
 * codes and one-line messages (with the stack only under --debug).
 */
export async function main(io: CliIo): Promise<number> {
  const answer = quickAnswer(io.argv, io.stdout);
  if (answer !== undefined) {
    io.stdout.write(answer);
    return ExitCode.ok;
  }
  try {
    const { runProgram } = await import("./program.js");
    return await runProgram(io);
  } catch (error) {
    // A signal during a phase with nothing to drain (the token, preflight, the registrant list)
    // surfaces as whatever that await threw on abort: it is the signal, not a bug.
    const failure = io.signal.aborted && !(error instanceof ZoomregError) ? new InterruptedError(io.signal.reason === "SIGTERM" ? "SIGTERM" : "SIGINT") : error;
    const debug = io.argv.includes("--debug");
    io.stderr.write(`${formatError(failure, debug)}\n`);
    return exitCodeFor(failure);
  }
}

export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof ZoomregError) {
    const hint = error.hint === undefined ? "" : `: ${error.hint}`;
    const line = `zoomreg: ${error.message}${hint}`;
    return debug && error.stack !== undefined ? `${line}\n${error.stack}` : line;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : "";
  return `zoomreg: internal error: ${message} (please report it; run with --debug for details)${stack}`;
}
