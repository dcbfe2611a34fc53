import { Option, type Command } from "commander";
import { logLevels } from "../engine/log-levels.js";
import { planLimits, pushDefaults } from "../engine/plans.js";
import type { CliIo } from "./io.js";

export interface PushFlags {
  meeting?: string;
  webinar?: string;
  out?: string;
  rejects?: string;
  format?: string;
  concurrency: string;
  rate?: string;
  plan: string;
  batch: string;
  /** commander: --confirmation-email true, --no-confirmation-email false, neither undefined. */
  confirmationEmail?: boolean;
  occurrence?: string;
  autoApprove?: boolean;
  /** --default-event: rows whose event column is empty go to --meeting/--webinar (issue 20). */
  defaultEvent?: boolean;
  dryRun?: boolean;
  json?: boolean;
  /** --log-level or the config file's; undefined: see defaultLogLevel. */
  logLevel?: string;
  timeout: string;
  quiet?: boolean;
  encoding: string;
  /** --delimiter: `,` `;` `|` `tab`; undefined detects it from the header line. */
  delimiter?: string;
  /** --json-path: the dotted path of the array of records inside a JSON object. */
  jsonPath?: string;
  /** --columns: the file has no header row; its column names, comma-separated. */
  columns?: string;
  /** --skip-lines: lines above the header. */
  skipLines?: string;
  /** --null: a cell reading exactly this is empty. */
  null?: string;
  map: string[];
  question: string[];
  ignore: string[];
  config?: string;
  /** commander's --no-color sets this to false. */
  color: boolean;
  state?: string;
  /** commander's --no-reconcile sets this to false. */
  reconcile: boolean;
  prune?: boolean;
  maxPrune?: string;
  /** commander's --no-status sets this to false. */
  status: boolean;
  /** commander's --no-preflight sets this to false. */
  preflight: boolean;
  /** --csv-formulas escape|keep. */
  csvFormulas: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `zoomreg push`'s arguments, options and help; `setExitCode` receives the command's exit code. */
export function definePushCommand(command: Command, io: CliIo, setExitCode: (code: number) => void): void {
  command
    .argument("<file>", "CSV, TSV, JSON array, NDJSON or mysql text file; - reads stdin")
    .option("--meeting <id|link>", "the meeting to register people for: its id, or the link from its invitation")
    .option("--webinar <id|link>", "the webinar to register people for: its id, or the link from its invitation")
    .option("--default-event", "with a meeting_id or webinar_id column: rows whose cell is empty go to --meeting/--webinar (without it, the flag and the column together are refused)")
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
    .option("--state <file>", "the event's state ledger, for re-runs and resume (default: zoomreg-<meeting|webinar>-<id>.state.ndjson beside --out; with an event column, each event's is there)")
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
  $ zoomreg push all-sessions.csv --out joinurls.csv   (a meeting_id or webinar_id column names each row's event)
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
      // Loaded when the command runs: `zoomreg --help` and the other commands never pay for it.
      const { pushWithConfig } = await import("./push-action.js");
      setExitCode(await pushWithConfig(file, flags, command, io, command.parent?.version() ?? "0.0.0"));
    });
}
