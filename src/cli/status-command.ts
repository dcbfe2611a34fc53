import { Option, type Command } from "commander";
import type { CliIo } from "./io.js";

export interface StatusFlags {
  meeting?: string;
  webinar?: string;
  state?: string;
  out?: string;
  json?: boolean;
  /** commander's --no-zoom sets this to false. */
  zoom: boolean;
  csvFormulas: string;
}

/** `zoomreg status`'s arguments, options and help; `setExitCode` receives the command's exit code. */
export function defineStatusCommand(command: Command, io: CliIo, setExitCode: (code: number) => void): void {
  command
    .option("--meeting <id|link>", "the meeting")
    .option("--webinar <id|link>", "the webinar")
    .option("--state <file>", "the event's state file (default: ./zoomreg-<meeting|webinar>-<id>.state.ndjson, where a push with the default --out keeps it)")
    .option("-o, --out <file>", "write every person's last row, as a push writes its output (.csv, .json, .ndjson, .jsonl; created 0600)")
    .option("--no-zoom", "do not read Zoom's list, even with credentials")
    .addOption(new Option("--csv-formulas <mode>", "as push's: escape (a cell of free text starting with = + - @ gets a leading ') or keep").choices(["escape", "keep"]).default("escape"))
    .option("--json", "print the report as one JSON object")
    .addHelpText(
      "after",
      `
Reads the state file a push keeps beside its --out (never writes to it) and says: how the last run
ended, who is registered, pending approval, cancelled, failed and why, deferred and until when. With
credentials (as a push reads them) it also lists Zoom's registrants and names those the state file
has on the event that Zoom no longer lists (the next push adds them again).

Examples:
  $ zoomreg status --meeting 85746065
  $ zoomreg status --webinar 81234567890 --state /srv/zoom/zoomreg-webinar-81234567890.state.ndjson --json
  $ zoomreg status --meeting 85746065 --no-zoom --out joinurls-again.csv

Exit codes: 0 the report was made, 2 no state file there (or a bad flag), 3 Zoom refused the
credentials, 5 Zoom unreachable.`,
    )
    .action(async (flags: StatusFlags) => {
      // Loaded when the command runs: `zoomreg --help` and the other commands never pay for it.
      const { statusCommand } = await import("./status-action.js");
      setExitCode(await statusCommand(flags, io, command.parent?.version() ?? "0.0.0"));
    });
}
