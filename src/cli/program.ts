import { Command, CommanderError } from "commander";
import { ExitCode } from "../engine/exit-codes.js";
import { commands, invokedCommand, programDescription, programOptions } from "./commands.js";
import type { CliIo } from "./io.js";
import { version } from "../version.js";

/**
 * The commander program: every command named and described, and only the one `invoked` defined in
 * full (its module loaded). `setExitCode` receives the command's exit code.
 */
export async function buildProgram(io: CliIo, setExitCode: (code: number) => void, invoked = invokedCommand(io.argv)): Promise<Command> {
  const program = new Command("zoomreg").description(programDescription).version(version);
  for (const option of programOptions) program.option(option.flags, option.description);
  program
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });
  for (const entry of commands) {
    const command = program.command(entry.name).description(entry.description);
    if (entry.name === invoked) (await entry.define())(command, io, setExitCode);
  }
  return program;
}

/** Parses `io.argv` and runs the command: its exit code, or 64 for a usage error commander printed. */
export async function runProgram(io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = await buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...io.argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and --version exit 0; a usage error was already printed by commander.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help" ? ExitCode.ok : ExitCode.usage;
  }
}
