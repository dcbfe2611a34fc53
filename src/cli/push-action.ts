import type { Command } from "commander";
import type { PushFlags } from "./push-command.js";
import { loadConfig } from "../engine/config.js";
import { explicitlySetFlags, mergeFlags } from "./config-flags.js";
import type { PlanAction } from "../push/run-push.js";
import { ConfigError, InputError } from "../errors.js";
import { describeMapping, overridesAsMap, parseMappingOverrides } from "../registrant/index.js";
import { describeLayout, ENCODING_FLAG_VALUES, layoutOptions, parseEncodingName, positionLabel } from "../input/index.js";
import { runPushJob } from "../engine/run-job.js";
import { inputFormat, occurrences, planLimits, type PlanName, type PushApiOptions } from "../engine/options.js";
import { dryRunLine, eventsDryRunLines, eventsSummaryLines, InvalidRowSamples, noValidRowLine, summaryLine } from "../engine/summary.js";
import { describeCost } from "../push/cost.js";
import { systemClock } from "../shared/clock.js";
import { csvFormulaModes, type CsvFormulas } from "../output/index.js";
import { optionalEventFromFlags } from "./event-flags.js";
import { noRowValid } from "../engine/exit-codes.js";
import type { CliIo } from "./io.js";
import { createLogger, defaultLogLevel } from "./logger.js";
import { colourWanted, Progress } from "./progress.js";



/** The command line's flags, with zoomreg.config.json (or --config) filling in what they do not say. */
export async function pushWithConfig(file: string, flags: PushFlags, command: Command, io: CliIo, version: string): Promise<number> {
  const config = loadConfig(flags.config, io.cwd);
  const merged = mergeFlags(config, flags, explicitlySetFlags(command));
  // A dry run's output is all it is for; a push's exit code matters after its reader has left.
  io.whenStdoutCloses?.(merged.dryRun === true ? "stop" : "finish");
  return pushCommand(file, merged, io, version);
}

/**
 * `zoomreg push`: a shell over the engine push() runs (src/engine/run-job.ts). It checks the flags (merged
 * with zoomreg.config.json) as typed, with messages that name them, turns them into push()'s options,
 * sets up the progress display and the log, runs the engine with the process's stdin and stdout for
 * `-`, prints what it reports, and returns the exit code.
 */
export async function pushCommand(file: string, flags: PushFlags, io: CliIo, version: string): Promise<number> {
  const event = optionalEventFromFlags(flags);
  const format = inputFormat(file, flags.format);
  const concurrency = positiveInteger("--concurrency", flags.concurrency, 1, 256);
  const plan = flags.plan as PlanName;
  if (planLimits[plan] === undefined) throw new ConfigError(`--plan ${flags.plan}: unknown plan`, { hint: "use --plan pro or --plan business (Business, Enterprise and up)" });
  const rate = flags.rate === undefined ? undefined : positiveNumber("--rate", flags.rate, 10_000);
  const batch = flags.batch;
  if (batch !== "auto" && batch !== "always" && batch !== "never") {
    throw new ConfigError(`--batch ${batch}: expected auto, always or never`, { hint: "leave it at auto: batches are used where Zoom allows them" });
  }
  const timeout = positiveNumber("--timeout", flags.timeout, 600);
  const occurrenceIds = occurrences(flags.occurrence);
  const progress = Progress.wanted(io.stderr, flags.quiet === true || flags.json === true)
    ? new Progress({ stream: io.stderr, colour: colourWanted(io.env, flags.color, io.stderr), nowMs: () => systemClock.now() })
    : undefined;
  const level = defaultLogLevel(flags.logLevel, { quiet: flags.quiet === true, terminal: io.stderr.isTTY === true });
  const logger = createLogger(level, io.stderr, () => progress?.clear());
  const dryRun = flags.dryRun === true;
  const json = flags.json === true;
  const overrides = parseMappingOverrides(flags);
  const encoding = parseEncodingName(flags.encoding);
  if (encoding === undefined) {
    throw new ConfigError(`--encoding ${flags.encoding}: unknown encoding`, { hint: `use one of ${ENCODING_FLAG_VALUES.join(", ")}` });
  }
  const layout = layoutOptions(format, flags);

  const print = (line: string): void => void io.stdout.write(`${line}\n`);
  // The first reasons, for the one line that says no row is valid (exit 2).
  const invalidRows = new InvalidRowSamples();
  const options: PushApiOptions = {
    ...(event === undefined ? {} : { [event.kind]: event.id }),
    defaultEvent: flags.defaultEvent === true,
    file,
    format,
    encoding: flags.encoding,
    delimiter: flags.delimiter,
    jsonPath: flags.jsonPath,
    columns: layout.columns,
    skipLines: layout.skipLines,
    null: layout.nullText,
    map: overridesAsMap(overrides),
    questions: Object.fromEntries(overrides.questions.map(({ title, column }) => [title, column])),
    concurrency,
    plan,
    rate,
    batch,
    timeout,
    occurrence: occurrenceIds.length === 0 ? undefined : occurrenceIds,
    autoApprove: flags.autoApprove === true,
    confirmationEmail: flags.confirmationEmail,
    dryRun,
    reconcile: flags.reconcile !== false,
    preflight: flags.preflight !== false,
    prune: flags.prune === true,
    maxPrune: flags.maxPrune,
    ...(flags.status === false ? { status: false } : {}),
    ...(flags.ignore.length === 0 ? {} : { ignore: flags.ignore }),
    out: flags.out,
    rejects: flags.rejects,
    state: flags.state,
    csvFormulas: csvFormulas(flags.csvFormulas),
    env: io.env,
    signal: io.signal,
    onRow: dryRun
      ? (row) => {
          invalidRows.add(row);
          if (row.status === "invalid" || row.status === "duplicate") {
            print(json ? JSON.stringify({ line: row.line, action: row.status, reason: row.error_message }) : `line ${row.line}: ${row.status}: ${row.error_message}`);
          }
        }
      : (row, sentThisRun) => {
          invalidRows.add(row);
          progress?.row(row.status, sentThisRun, row.event_kind === undefined || row.event_kind === "" ? undefined : `${row.event_kind} ${row.event_id ?? ""}`);
        },
  };
  const outcome = await runPushJob(options, {
    env: io.env,
    cwd: io.cwd,
    version,
    logger,
    stdin: io.stdin,
    stdout: io.stdout,
    ...(progress === undefined ? {} : { progress }),
    // The dry run says how the file was read (its delimiter, a .json read as NDJSON), then the mapping, then each row it would send.
    onLayout: (found) => print(json ? JSON.stringify({ action: "layout", ...found }) : describeLayout(found)),
    onMapping: (mapping) => {
      if (json) print(JSON.stringify({ action: "mapping", lines: describeMapping(mapping) }));
      else for (const line of describeMapping(mapping)) print(line);
    },
    onWouldSend: (line, body) => print(json ? JSON.stringify({ line, action: "send", body }) : `line ${line}: would send ${JSON.stringify(body)}`),
    // Against Zoom's list: what the real run would do to each person who is not simply added.
    onPlan: ({ line, email, action }) => {
      if (action === "add") return;
      print(json ? JSON.stringify({ line, action, email }) : `${line === "" ? "--prune" : `line ${line}`}: would ${planVerbs[action]} ${email}`);
    },
  });

  const sourceName = file === "-" ? "stdin" : file;
  const noneValid = (rowsRead: number, hint: string): InputError =>
    new InputError(noValidRowLine(sourceName, rowsRead, invalidRows, positionLabel(format)), { hint: `check that this is the right file and that its header names the columns (${hint})` });
  if (outcome.dryRun) {
    if (!json) for (const line of describeCost(outcome.summary.cost)) print(line);
    if (json) print(JSON.stringify(outcome.summary));
    else for (const line of outcome.summary.events === undefined ? [dryRunLine(outcome.summary)] : eventsDryRunLines(outcome.summary)) print(line);
    if (noRowValid({ counts: outcome.summary, rowsRead: outcome.summary.rowsRead })) throw noneValid(outcome.summary.rowsRead, "the mapping is printed above");
    return outcome.exitCode;
  }
  // With the rows on stdout (--out -), the summary goes to stderr: stdout holds rows and nothing else.
  const summaryPrint = outcome.rowsOnStdout ? (line: string): void => void io.stderr.write(`${line}\n`) : print;
  if (json) summaryPrint(JSON.stringify(outcome.summary));
  else for (const line of outcome.summary.events === undefined ? [summaryLine(outcome.summary, outcome.interrupted)] : eventsSummaryLines(outcome.summary, outcome.interrupted)) summaryPrint(line);
  // Event-level and auth stops end with their one-line error on stderr, after the summary.
  if (outcome.fatalError !== undefined) throw outcome.fatalError;
  // Nothing could be sent: said in one line with the first reasons, exit 2 (README "Exit codes").
  if (!outcome.interrupted && noRowValid(outcome.summary)) {
    throw noneValid(outcome.summary.rowsRead, `--dry-run prints the mapping; every row's reason is in ${outcome.summary.rejects ?? "the rejects file"}`);
  }
  return outcome.exitCode;
}

function csvFormulas(raw: string): CsvFormulas {
  if (!(csvFormulaModes as readonly string[]).includes(raw)) {
    throw new ConfigError(`--csv-formulas ${raw}: expected escape or keep`, { hint: "escape guards names and messages for spreadsheets; keep writes every cell as it is" });
  }
  return raw as CsvFormulas;
}

function positiveInteger(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${flag} ${raw}: expected a whole number from ${min} to ${max}`, { hint: `e.g. ${flag} ${min === 1 ? 10 : min}` });
  }
  return value;
}

function positiveNumber(flag: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new ConfigError(`${flag} ${raw}: expected a number above 0 and at most ${max}`, { hint: `e.g. ${flag} 10` });
  }
  return value;
}

/** How a dry run's plan says each action. */
const planVerbs: Record<PlanAction, string> = {
  add: "add",
  approve: "approve",
  readmit: "re-admit (approve again, or delete and add afresh)",
  cancel: "cancel",
  deny: "deny",
  existing: "leave (already registered)",
  unchanged: "leave (already as the list wants)",
  deferred: "defer (a daily limit)",
};
