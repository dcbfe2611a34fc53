import type { Command } from "commander";
import type { CliIo } from "./io.js";

export interface CheckFlags {
  meeting?: string;
  webinar?: string;
  json?: boolean;
  /** The push will prune, or read a status column: a missing status scope fails the check. */
  prune?: boolean;
  status?: boolean;
}

/** `zoomreg check`'s arguments, options and help; `setExitCode` receives the command's exit code. */
export function defineCheckCommand(command: Command, io: CliIo, setExitCode: (code: number) => void): void {
  command
    .option("--meeting <id|link>", "the meeting to check: its id, or the link from its invitation")
    .option("--webinar <id|link>", "the webinar to check: its id, or the link from its invitation")
    .option("--prune", "the push will run with --prune: the status scope it needs is checked as required")
    .option("--status", "the push reads a status column: the status scope it needs is checked as required")
    .option("--json", "print the report as one JSON object")
    .addHelpText(
      "after",
      `
Tries each call a push makes, in order: get a token, read the event, read its registration questions,
list its registrants, add and batch-add, change a status, read and delete one registrant. The adds
are sent with an empty body, which Zoom refuses without registering anyone: its answer says whether
the credentials may add (code 4711 names the missing scopes) and whether the event still takes
registrations (registration off, over, missing). The status change names nobody and the read and
delete name an id nobody holds, so nothing changes; their scopes are warnings unless --prune or
--status says the push will change statuses.
The first line says how Zoom is reached: directly, or through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured).

Examples:
  $ zoomreg check --meeting 85746065
  $ zoomreg check --webinar 81234567890 --json | jq .input
  $ zoomreg check --meeting 85746065 --prune

Every call is retried on Zoom's 5xx answers, network failures and per-second 429s before it counts.

Exit codes: 0 ready to push, 2 a problem with the event (the fix is printed), 3 the credentials or their
scopes (the scopes to add are printed), 5 Zoom unreachable or failing through every retry (nothing was
changed: run zoomreg check again later).`,
    )
    .action(async (flags: CheckFlags) => {
      // Loaded when the command runs: `zoomreg --help` and the other commands never pay for it.
      const { checkCommand } = await import("./check-action.js");
      setExitCode(await checkCommand(flags, io, command.parent?.version() ?? "0.0.0"));
    });
}
