import { Command, CommanderError } from "commander";
import { InterruptedError, ZoomregError } from "../errors.js";
import { ExitCode, exitCodeFor } from "../engine/exit-codes.js";
import { commands, invokedCommand } from "./commands.js";
import type { CliIo } from "./io.js";
import { version } from "../version.js";

export { version };

/**
 * Builds the program and runs it. Returns the exit code; the only place that turns errors into exit
 * codes and one-line messages (with the stack only under --debug).
 */
export async function main(io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command("zoomreg")
    .description("Register people from your own database into a Zoom meeting or webinar, and get every join_url back.")
    .version(version)
    .option("--debug", "show stack traces on errors")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });

  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const invoked = invokedCommand(io.argv);
  for (const entry of commands) {
    const command = program.command(entry.name).description(entry.description);
    if (entry.name === invoked) (await entry.define())(command, io, setExitCode);
  }

  try {
    await program.parseAsync([...io.argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; a usage error was already printed by commander.
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help"
        ? ExitCode.ok
        : ExitCode.usage;
    }
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
