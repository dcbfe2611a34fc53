/**
 * The commands, by name and description: `zoomreg --help` shows them all, and only the one being run
 * has its options defined and its module loaded (issue 19: a start-up a person does not wait for).
 */
import type { Command } from "commander";
import type { CliIo } from "./io.js";

export type DefineCommand = (command: Command, io: CliIo, setExitCode: (code: number) => void) => void;

export interface CommandEntry {
  name: string;
  description: string;
  define: () => Promise<DefineCommand>;
}

/** What `zoomreg --help` says zoomreg is. */
export const programDescription = "Register people from your own database into a Zoom meeting or webinar, and get every join_url back.";

/** The program's own options besides --version and --help (commander adds those two). */
export const programOptions: readonly { flags: string; description: string }[] = [{ flags: "--debug", description: "show stack traces on errors" }];

export const commands: readonly CommandEntry[] = [
  { name: "push", description: "Register every person in <file> (or - for stdin) and write their join_urls to a file.", define: async () => (await import("./push-command.js")).definePushCommand },
  { name: "check", description: "Check the credentials, their scopes, the event and its registration questions before a push; registers nobody.", define: async () => (await import("./check-command.js")).defineCheckCommand },
  { name: "token", description: "Print a REST API bearer token for the configured credentials (for curl), or with --decode what it says.", define: async () => (await import("./token-command.js")).defineTokenCommand },
  { name: "status", description: "Say what the state file knows of an event (and Zoom's list, with credentials) without pushing; --out writes the rows it holds.", define: async () => (await import("./status-command.js")).defineStatusCommand },
  { name: "fake-zoom", description: "Serve a fake Zoom API on 127.0.0.1 for demos, tests and your own CI (never talks to Zoom).", define: async () => (await import("./fake-zoom-command.js")).defineFakeZoomCommand },
];

/** The command `argv` runs: the first word that is not an option (`help push` asks for push's help). */
export function invokedCommand(argv: readonly string[]): string | undefined {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}
