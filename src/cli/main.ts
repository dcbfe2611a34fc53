import { Command, CommanderError, Option } from "commander";
import { InterruptedError, ZoomregError } from "../errors.js";
import { ExitCode, exitCodeFor } from "../engine/exit-codes.js";
import { registerCheckCommand } from "./check-command.js";
import { registerFakeZoomCommand } from "./fake-zoom-command.js";
import { registerTokenCommand } from "./token-command.js";
import { registerStatusCommand } from "./status-command.js";
import type { CliIo } from "./io.js";
import { logLevels } from "../engine/logging.js";
import { loadConfig } from "../engine/config.js";
import { explicitlySetFlags, mergeFlags } from "./config-flags.js";
import { planLimits, pushCommand, pushDefaults, type PushFlags } from "./push-command.js";
import { version } from "../version.js";

export { version };

/**
 * Builds the program and runs it. Returns the exit code; the only place that turns errors into exit
 * codes and one-line messages (with the stack only under --debug).
 */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

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

  program
    .command("push")
    .description("Register every person in <file> (or - for stdin) and write their join_urls to a file.")
    .argument("<file>", "CSV, TSV, JSON array, NDJSON or mysql text file; - reads stdin")
    .option("--meeting <id|link>", "the meeting to register people for: its id, or the link from its invitation")
    .option("--webinar <id|link>", "the webinar to register people for: its id, or the link from its invitation")
    .option("-o, --out <file>", "where join_urls go (.csv, .json, .ndjson, .jsonl); - writes CSV rows to stdout, the summary then to stderr", undefined)
    .option("--rejects <file>", "where invalid and duplicate rows go (default: <out>.rejects.csv)")
    .addOption(
      new Option("--format <format>", "input format (default: from the extension; csv for stdin); mysql: mysql --batch or INTO OUTFILE text, its escapes decoded, NULL and \\N empty").choices([
        "csv",
        "tsv",
        "json",
        "ndjson",
        "jsonl",
        "mysql",
      ]),
    )
    .option("--map <field=column>", "take a Zoom field from this column (repeatable); nested JSON: --map email=contact.email", collect, [])
    .option("--question <title=column>", "answer the event's custom question <title> from this column (repeatable)", collect, [])
    .option("--ignore <field>", "never send this Zoom field (repeatable): e.g. --ignore org, when its column forces single adds", collect, [])
    .option("--config <file>", "settings for this job (default: ./zoomreg.config.json when there is one)")
    .option("--delimiter <char>", "CSV/TSV cell separator: , ; | or tab (default: detected from the header line, a tie going to the extension's own)")
    .option("--json-path <path>", "read the array of records at this dotted path inside a JSON object, e.g. data or result.rows")
    .option("--columns <names>", "the file has no header row (INTO OUTFILE, psql -At, mysql -N): its columns in order, e.g. email,first_name,last_name")
    .option("--skip-lines <n>", "skip this many lines above the header (a report's title or filters)")
    .option("--null <text>", "read a cell that is exactly <text> as empty, e.g. --null NULL (--format mysql: NULL and \\N already are)")
    .option("--encoding <name>", "input text encoding: auto (UTF-8, or UTF-16 by its byte order mark or NUL bytes), utf8, utf16le, utf16be, latin1 (Windows-1252)", "auto")
    .option("--concurrency <n>", "the most requests in flight at once (pacing uses fewer when Zoom answers fast)", String(pushDefaults.concurrency))
    .addOption(new Option("--plan <plan>", "your Zoom plan's rate limits to start from").choices(Object.keys(planLimits)).default(pushDefaults.plan))
    .option("--rate <per-second>", "single adds per second at most (default: the plan's Light limit, 30 on Pro); pacing learns below it")
    .addOption(new Option("--batch <mode>", "batch_registrants, 30 people a call, where Zoom allows it").choices(["auto", "always", "never"]).default("auto"))
    .option("--confirmation-email", "ask Zoom to send its confirmation email for batch-added meeting registrants")
    .option("--no-confirmation-email", "ask Zoom not to send it (meetings, batch adds only)")
    .option("--occurrence <ids>", "register for these occurrences of a recurring meeting (comma-separated ids)")
    .option("--auto-approve", "approve at once when the event needs manual approval")
    .option("--timeout <seconds>", "give up on one request after this long", String(pushDefaults.timeoutSeconds))
    .option("--state <file>", "the event's state ledger, for re-runs and resume (default: zoomreg-<meeting|webinar>-<id>.state.ndjson beside --out)")
    .option("--no-preflight", "do not read the event and its registration questions first (rows Zoom would refuse are then sent, and fail)")
    .option("--prune", "cancel the registrants zoomreg added that the input no longer has (never anyone added by other means)")
    .option("--max-prune <count|percent>", "the most --prune may cancel, e.g. 25 or 10% (default: 10% of zoomreg's registrants, at least 5)")
    .option("--no-status", "read no column as the desired state (a status column found by its name is otherwise used when every value in it is a status)")
    .option("--no-reconcile", "do not list the event's registrants first (saves a few requests; re-runs then rely on the state file alone)")
    .option("--dry-run", "read and validate everything, print what would be sent, send nothing (needs no credentials)")
    .option("--json", "print the summary (and dry-run rows) as JSON")
    .option("-q, --quiet", "no progress display, and only warnings and errors in the log")
    .addOption(
      new Option("--csv-formulas <mode>", "CSV outputs: escape puts ' before names and messages a spreadsheet would run as a formula (=, +, -, @); keep writes them as they are. Emails, ids and URLs are never changed")
        .choices(["escape", "keep"])
        .default("escape"),
    )
    .option("--no-color", "no colour in the progress display (NO_COLOR=1 does the same)")
    .addOption(new Option("--log-level <level>", "stderr log level (default: info on a terminal; elsewhere warn, so a successful run writes nothing to stderr)").choices(logLevels))
    .addHelpText(
      "after",
      `
Examples:
  $ zoomreg push people.csv --meeting 85746065 --out joinurls.csv
  $ psql -At -c "select json_agg(t) from attendees t" | zoomreg push - --format json --webinar 81234567890
  $ zoomreg push export.ndjson --meeting 85746065 --dry-run
  $ mysql --batch -e "select email, first_name, last_name from attendees" crm | zoomreg push - --format mysql --meeting 85746065
  $ psql -At -c "select email, first_name, last_name from attendees" | zoomreg push - --columns email,first_name,last_name --meeting 85746065

Credentials come from the environment or ./.env: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET
(Server-to-Server OAuth), or ZOOM_API_KEY, ZOOM_API_SECRET (legacy JWT). See .env.example.
Behind a proxy: HTTPS_PROXY (or HTTP_PROXY) and NO_PROXY are honoured; zoomreg check shows the route.
Exit codes: 0 all registered, 1 some rows not registered, 2 usage/config/input/event or no valid
row, 3 auth refused, 4 stopped at Zoom's daily limit (run again later), 5 Zoom unreachable or
failing (nothing lost, run again), 70 a bug in zoomreg (please report it with the output of --debug),
130/143 interrupted.`,
    )
    .action(async (file: string, flags: PushFlags, command: Command) => {
      // zoomreg.config.json (or --config) fills in what the command line does not say.
      const config = loadConfig(flags.config, io.cwd);
      const merged = mergeFlags(config, flags, explicitlySetFlags(command));
      // A dry run's output is all it is for; a push's exit code matters after its reader has left.
      io.whenStdoutCloses?.(merged.dryRun === true ? "stop" : "finish");
      exitCode = await pushCommand(file, merged, io, version);
    });

  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  registerCheckCommand(program, io, setExitCode);
  registerTokenCommand(program, io, setExitCode);
  registerStatusCommand(program, io, setExitCode);
  registerFakeZoomCommand(program, io, setExitCode);

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
