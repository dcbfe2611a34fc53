import { rmSync } from "node:fs";
import { ConfigError, InputError, type ZoomregError } from "../errors.js";
import { describeMapping, parseMappingOverrides } from "../registrant/index.js";
import { countRecords } from "../input/count-records.js";
import { describeLayout, ENCODING_FLAG_VALUES, formatFromPath, layoutOptions, openInputFile, parseEncodingName, readRecords, type InputFormat } from "../input/index.js";
import {
  outputColumns,
  outputFormatFromPath,
  rejectColumns,
  openRecordSink,
  type RecordSink,
  type OutputRow,
  type RejectRow,
} from "../output/index.js";
import { runPush, type PushSummary } from "../push/run-push.js";
import { EventLedger } from "../state/index.js";
import { acquireRunLock } from "./run-lock.js";
import { systemClock } from "../shared/clock.js";
import type { ZoomClient} from "../zoom/index.js";
import type { EventRef } from "../zoom/index.js";
import { retryRead } from "../zoom/read-retry.js";
import { eventFromFlags } from "./event-flags.js";
import { outputPaths, resolveIn, stdoutPath } from "./output-paths.js";
import { loadNetwork, type Network } from "./load-network.js";
import { resolveCredentials } from "./credentials.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { createLogger } from "./logger.js";
import { colourWanted, Progress, RowTally } from "./progress.js";
import type { LevelWithSilent, Logger } from "pino";

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
  dryRun?: boolean;
  json?: boolean;
  logLevel: string;
  timeout: string;
  quiet?: boolean;
  encoding: string;
  /** --delimiter: `,` `;` `|` `tab`; undefined detects it from the header line. */
  delimiter?: string;
  /** --json-path: the dotted path of the array of records inside a JSON object. */
  jsonPath?: string;
  map: string[];
  question: string[];
  config?: string;
  /** commander's --no-color sets this to false. */
  color: boolean;
  state?: string;
  /** commander's --no-reconcile sets this to false. */
  reconcile: boolean;
  /** commander's --no-preflight sets this to false. */
  preflight: boolean;
}

/**
 * Zoom's per-second limits per account, by plan and label (docs/zoom-facts.md "Rate limits"): single adds
 * are Light, batch adds Heavy. The pacer starts at these and learns the rate that works below them,
 * since the budget is shared with every other app on the account.
 */
export const planLimits = {
  pro: { lightPerSecond: 30, heavyPerSecond: 10 },
  business: { lightPerSecond: 80, heavyPerSecond: 40 },
} as const;

export const pushDefaults = {
  /** The most requests in flight per label; pacing uses fewer when answers come fast. */
  concurrency: 32,
  plan: "pro" as keyof typeof planLimits,
  timeoutSeconds: 30,
};

export async function pushCommand(file: string, flags: PushFlags, io: CliIo, version: string): Promise<number> {
  const event = eventFromFlags(flags);
  const format = inputFormat(file, flags.format);
  const concurrency = positiveInteger("--concurrency", flags.concurrency, 1, 256);
  const plan = planLimits[flags.plan as keyof typeof planLimits];
  if (plan === undefined) throw new ConfigError(`--plan ${flags.plan}: unknown plan`, { hint: "use --plan pro or --plan business (Business, Enterprise and up)" });
  const ratePerSecond = flags.rate === undefined ? plan.lightPerSecond : positiveNumber("--rate", flags.rate, 10_000);
  const batchMode = flags.batch;
  if (batchMode !== "auto" && batchMode !== "always" && batchMode !== "never") {
    throw new ConfigError(`--batch ${batchMode}: expected auto, always or never`, { hint: "leave it at auto: batches are used where Zoom allows them" });
  }
  const timeoutMs = positiveNumber("--timeout", flags.timeout, 600) * 1000;
  const occurrenceIds = occurrences(flags.occurrence);
  const progress = Progress.wanted(io.stderr, flags.quiet === true || flags.json === true)
    ? new Progress({ stream: io.stderr, colour: colourWanted(io.env, flags.color, io.stderr), nowMs: () => systemClock.now() })
    : undefined;
  const logger = createLogger((flags.quiet === true && flags.logLevel === "info" ? "warn" : flags.logLevel) as LevelWithSilent, io.stderr, () => progress?.clear());
  const dryRun = flags.dryRun === true;
  const overrides = parseMappingOverrides(flags);
  const encoding = parseEncodingName(flags.encoding);
  if (encoding === undefined) {
    throw new ConfigError(`--encoding ${flags.encoding}: unknown encoding`, { hint: `use one of ${ENCODING_FLAG_VALUES.join(", ")}` });
  }
  const layout = layoutOptions(format, flags);

  // Credentials are checked before any input is read, so a half-configured cron job fails at once.
  const network = dryRun ? undefined : await loadNetwork();
  const session = network?.openZoomSession(io.env, { connections: concurrency + 2, timeoutMs, userAgent: `zoomreg/${version}` });
  const input = file === "-" ? io.stdin : await openInputFile(resolveIn(io.cwd, file));
  // The share shown is rows done of the file's rows, counted in a fast pass while the push starts.
  const counting = new AbortController();
  if (progress !== undefined && file !== "-" && !dryRun) {
    void countRecords(resolveIn(io.cwd, file), { format, delimiter: layout.delimiter, encoding, signal: counting.signal }).then((rows) => progress.setTotalRows(rows));
  }
  const records = readRecords(input, format, file === "-" ? "stdin" : file, {
    encoding,
    ...layout,
    // The dry run says how the file was read (its delimiter, a .json read as NDJSON) before the mapping.
    onLayout: (found) => (dryRun ? print(flags.json === true ? JSON.stringify({ action: "layout", ...found }) : describeLayout(found)) : logger.debug(found, describeLayout(found))),
  });

  const print = (line: string): void => void io.stdout.write(`${line}\n`);

  if (dryRun) {
    const checked = flags.preflight === false ? undefined : await dryRunPreflight(io, event, timeoutMs, logger, version, occurrenceIds);
    const summary = await runPush({
      records,
      event,
      addRegistrant: undefined,
      occurrenceIds,
      autoApprove: flags.autoApprove === true,
      concurrency,
      ratePerSecond,
      writeRow: (row) => {
        if (row.status === "invalid" || row.status === "duplicate") {
          print(flags.json === true ? JSON.stringify({ line: row.line, action: row.status, reason: row.error_message }) : `line ${row.line}: ${row.status}: ${row.error_message}`);
        }
      },
      writeReject: () => undefined,
      mapping: { overrides, ...(checked === undefined ? {} : { questionTitles: checked.questionTitles }) },
      ...(checked === undefined ? {} : { checkRow: checked.checkRow, checkColumns: checked.checkColumns }),
      onMapping: (mapping) => {
        if (flags.json === true) print(JSON.stringify({ action: "mapping", lines: describeMapping(mapping) }));
        else for (const line of describeMapping(mapping)) print(line);
      },
      onWouldSend: (line, body) =>
        print(flags.json === true ? JSON.stringify({ line, action: "send", body }) : `line ${line}: would send ${JSON.stringify(body)}`),
      clock: systemClock,
      random: Math.random,
      logger,
      signal: io.signal,
    });
    const wouldSend = summary.counts.registered;
    const summaryObject = { dryRun: true, event, wouldSend, invalid: summary.counts.invalid, duplicate: summary.counts.duplicate, rowsRead: summary.rowsRead, durationMs: summary.durationMs, resources: resourcesUsed() };
    print(flags.json === true ? JSON.stringify(summaryObject) : `dry run: would send ${wouldSend}, invalid ${summary.counts.invalid}, duplicate ${summary.counts.duplicate}; nothing was sent`);
    return summary.counts.invalid + summary.counts.duplicate > 0 ? ExitCode.rowsNotRegistered : ExitCode.ok;
  }

  if (network === undefined || session === undefined) throw new Error("unreachable: the session is opened above unless --dry-run");
  const { preflight, listExisting } = network;
  const { tokens, client } = session;
  // Every read (token, event, questions, list) is retried; Zoom failing through it all is exit 5.
  const reads = { clock: systemClock, random: Math.random, signal: io.signal, logger };
  try {
    // Fetch the first token before creating any file: wrong credentials leave nothing behind.
    await retryRead(() => tokens.getToken(io.signal), reads);
    // Refuse before reading rows when the event cannot take registrants; learn its form for the rows.
    const checked = flags.preflight === false ? undefined : await preflight(client, event, { ...reads, occurrenceIds });
    const { outPath, outFormat, rejectsPath, statePath } = outputPaths(io.cwd, flags, event, file === "-" ? undefined : file);
    const lock = acquireRunLock(io.env, session.credentials, event, logger);
    let summary: PushSummary;
    let exitCode: number;
    try {
      const ledger = await EventLedger.open<OutputRow>(statePath, `${event.kind}:${event.id}`, new Date(systemClock.now()));
      try {
        const existing =
          flags.reconcile === false
            ? undefined
            : await listExisting((target, options) => client.listRegistrants(target, options), event, {
                ...reads,
                joinUrlWanted: (email, registrantId) => joinUrlNotInLedger(ledger, email, registrantId),
              });
        const useBatch =
          batchMode === "always" ||
          (batchMode === "auto" &&
            (checked === undefined ? await batchAllowed(client, event, logger, io.signal) : batchableType(event, checked.event.type)));
        const output = openRecordSink<OutputRow>(outPath, outFormat, outputColumns, { stdout: io.stdout });
        const rejects = openRecordSink<RejectRow>(rejectsPath, outputFormatFromPath(rejectsPath) ?? "csv", rejectColumns, { stdout: io.stdout, lazy: true });
        const tally = new RowTally();
        progress?.start();
        try {
          summary = await runPush({
            records,
            event,
            addRegistrant: (target, body, options) => client.addRegistrant(target, body, options),
            ...(useBatch
              ? {
                  batch: {
                    addBatch: (target, body, options) => client.addBatchRegistrants(target, body, options),
                    // --rate scales both labels alike, so one flag slows the whole run.
                    ratePerSecond: flags.rate === undefined ? plan.heavyPerSecond : (ratePerSecond * plan.heavyPerSecond) / plan.lightPerSecond,
                    confirmationEmail: flags.confirmationEmail,
                    meeting: event.kind === "meeting",
                  },
                }
              : {}),
            occurrenceIds,
            autoApprove: flags.autoApprove === true,
            concurrency,
            ratePerSecond,
            writeRow: (row, sentThisRun) => {
              output.write(row);
              tally.add(row.status, sentThisRun);
              progress?.row(row.status, sentThisRun);
            },
            writeReject: (row) => rejects.write(row),
            ledger,
            mapping: { overrides, ...(checked === undefined ? {} : { questionTitles: checked.questionTitles }) },
            ...(checked === undefined ? {} : { checkRow: checked.checkRow, checkColumns: checked.checkColumns }),
            ...(existing === undefined ? {} : { existing }),
            clock: systemClock,
            random: Math.random,
            logger,
            signal: io.signal,
            earlierRequestsAtMs: { Light: client.requestsSentAtMs("Light"), Heavy: client.requestsSentAtMs("Heavy") },
          });
        } finally {
          progress?.finish();
          putOutputsInPlace(output, rejects);
        }
        exitCode = exitCodeOf(summary, io.signal);
        // With the rows on stdout (--out -), the summary goes to stderr: stdout holds rows and nothing else.
        const toStdout = outPath === stdoutPath;
        const summaryPrint = toStdout ? (line: string): void => void io.stderr.write(`${line}\n`) : print;
        reportSummary(summary, { outPath: toStdout ? "stdout" : outPath, rejectsPath, statePath, rejectsWritten: rejects.rowsWritten, json: flags.json === true, event, exitCode, print: summaryPrint, tally });
        // Event-level and auth stops end with their one-line error on stderr, after the summary.
        if (summary.fatalError !== undefined) throw withWhatWasDone(summary.fatalError, summary, toStdout ? "stdout" : outPath);
      } finally {
        ledger.close();
      }
    } finally {
      lock.release();
    }
    return exitCode;
  } finally {
    counting.abort();
    await session.close();
  }
}

/**
 * The output replaces the last one however the run ended, once it holds a row (a run that failed
 * before its first row leaves the last output as it was); the rejects file likewise, and a run with
 * no reject removes the last run's, which no longer describes the input.
 */
function putOutputsInPlace(output: RecordSink<OutputRow>, rejects: RecordSink<RejectRow>): void {
  if (output.rowsWritten === 0) {
    output.discard();
    rejects.discard();
    return;
  }
  output.commit();
  if (rejects.rowsWritten > 0) {
    rejects.commit();
    return;
  }
  rejects.discard();
  rmSync(rejects.path, { force: true });
}

/** An input error mid-file says what was done before it: the rows registered are in the output. */
function withWhatWasDone(error: ZoomregError, summary: PushSummary, outPath: string): ZoomregError {
  if (!(error instanceof InputError)) return error;
  const done = summary.counts.registered + summary.counts.existing + summary.counts.pending_approval;
  return new InputError(`${error.message}; the ${summary.rowsRead} rows before it are done (${done} registered) and their join_urls are in ${outPath}`, {
    cause: error,
    hint: `${error.hint ?? "fix that line"}, then run the same command again: rows already registered are not sent again`,
  });
}

/** A registrant's join_url from Zoom's list is needed unless the ledger holds zoomreg's own row with it. */
function joinUrlNotInLedger(ledger: EventLedger<OutputRow>, email: string, registrantId: string): boolean {
  const row = ledger.previous(email)?.row;
  return row?.registrant_id !== registrantId || row.join_url === "";
}

function exitCodeOf(summary: PushSummary, signal: AbortSignal): number {
  if (summary.fatalError !== undefined) return exitCodeFor(summary.fatalError);
  if (summary.interrupted) return signal.reason === "SIGTERM" ? ExitCode.sigterm : ExitCode.sigint;
  if (summary.dailyLimitUntilMs !== undefined) return ExitCode.dailyLimit;
  // Rows Zoom failed (5xx, network) are sent again by the next run: "run again", not "fix the rows".
  if (summary.zoomFailures > 0) return ExitCode.zoomUnavailable;
  const { failed, invalid, duplicate, deferred, not_sent: notSent } = summary.counts;
  return failed + invalid + duplicate + deferred + notSent > 0 ? ExitCode.rowsNotRegistered : ExitCode.ok;
}

/** This process's CPU time and peak memory, for benchmarks and monitoring. */
function resourcesUsed(): { cpuUserMs: number; cpuSystemMs: number; peakRssMb: number } {
  const usage = process.resourceUsage();
  return {
    cpuUserMs: Math.round(usage.userCPUTime / 1000),
    cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
    peakRssMb: Math.round(usage.maxRSS / 1024),
  };
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * One line on stdout (or one JSON object with --json, for monitoring): counts per status, where the
 * files went, and when deferred rows may be tried again.
 */
function reportSummary(
  summary: PushSummary,
  context: { outPath: string; rejectsPath: string; statePath: string; rejectsWritten: number; json: boolean; event: EventRef; exitCode: number; print: (line: string) => void; tally: RowTally },
): void {
  const { counts } = summary;
  const stopped: ZoomregError | undefined = summary.fatalError;
  if (context.json) {
    context.print(
      JSON.stringify({
        event: context.event,
        exitCode: context.exitCode,
        counts,
        rowsRead: summary.rowsRead,
        rowsSent: summary.rowsSent,
        // This run's registrations apart from earlier ones (the ledger, Zoom's list): counts keep every status.
        registeredThisRun: context.tally.registeredNow,
        pendingApprovalThisRun: context.tally.pendingApprovalNow,
        alreadyRegistered: context.tally.alreadyRegistered,
        durationMs: summary.durationMs,
        deferredUntil: iso(summary.deferredUntilMs),
        dailyLimitUntil: iso(summary.dailyLimitUntilMs),
        stoppedBy: stopped?.message ?? (summary.interrupted ? "signal" : summary.dailyLimitUntilMs !== undefined ? "daily limit" : null),
        output: context.outPath,
        rejects: context.rejectsWritten > 0 ? context.rejectsPath : null,
        state: context.statePath,
        resources: resourcesUsed(),
      }),
    );
    return;
  }
  const { tally } = context;
  const rejects = context.rejectsWritten > 0 ? `, rejects -> ${context.rejectsPath}` : "";
  const daily = summary.dailyLimitUntilMs === undefined ? "" : `; stopped at Zoom's daily limit until ${iso(summary.dailyLimitUntilMs)}: run again then`;
  const interrupted = summary.interrupted ? "; interrupted: run again to finish" : "";
  context.print(`${doneThisRun(tally).join(", ")} -> ${context.outPath}${rejects}${leftForLater(tally, summary.deferredUntilMs)}${daily}${interrupted}`);
}

/** What this run did: registered now, registered before (ledger, Zoom's list), and the rows to fix (in the rejects file). */
function doneThisRun(tally: RowTally): string[] {
  const n = (count: number): string => count.toLocaleString("en-US");
  return [
    `registered ${n(tally.registeredNow)}`,
    ...(tally.pendingApprovalNow > 0 ? [`pending approval ${n(tally.pendingApprovalNow)}`] : []),
    ...(tally.alreadyRegistered > 0 ? [`already registered ${n(tally.alreadyRegistered)}`] : []),
    ...(["invalid", "duplicate"] as const).filter((status) => tally.byStatus[status] > 0).map((status) => `${status} ${n(tally.byStatus[status])}`),
  ];
}

/** What is left for a later run: rows that failed, were not sent, or wait for Zoom's daily limit. */
function leftForLater(tally: RowTally, deferredUntilMs: number | undefined): string {
  const n = (count: number): string => count.toLocaleString("en-US");
  const { failed, not_sent: notSent, deferred } = tally.byStatus;
  const left = [
    ...(failed > 0 ? [`failed ${n(failed)}`] : []),
    ...(notSent > 0 ? [`not sent ${n(notSent)}`] : []),
    ...(deferred > 0 ? [`deferred ${n(deferred)}${deferredUntilMs === undefined ? "" : ` until ${iso(deferredUntilMs)}`}`] : []),
  ];
  return left.length === 0 ? "" : `; left: ${left.join(", ")}`;
}

/**
 * Zoom takes batches only for scheduled meetings (type 2) and webinars (type 5); recurring ones (8, 9)
 * need single adds (docs/zoom-facts.md, "batch add"). One GET of the event decides.
 */
async function batchAllowed(client: ZoomClient, event: EventRef, logger: Logger, signal: AbortSignal): Promise<boolean> {
  const info = await retryRead(() => client.getEvent(event, { signal }), { clock: systemClock, random: Math.random, signal, logger });
  const allowed = batchableType(event, info.type);
  logger.info({ type: info.type, batch: allowed }, allowed ? "batch registration available for this event" : "this event type takes single adds only");
  return allowed;
}

/**
 * A dry run sends nothing, but when credentials are configured it still reads the event and its form
 * (two GETs), so that rows the event would refuse show up as invalid before the real run.
 */
async function dryRunPreflight(io: CliIo, event: EventRef, timeoutMs: number, logger: Logger, version: string, occurrenceIds: readonly string[]): Promise<Awaited<ReturnType<Network["preflight"]>> | undefined> {
  try {
    resolveCredentials(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.debug("no credentials: the dry run checks rows against Zoom's limits only, not against the event's form");
    return undefined;
  }
  const { openZoomSession, preflight } = await loadNetwork();
  const session = openZoomSession(io.env, { connections: 2, timeoutMs, userAgent: `zoomreg/${version}` });
  const reads = { clock: systemClock, random: Math.random, signal: io.signal, logger };
  try {
    await retryRead(() => session.tokens.getToken(io.signal), reads);
    return await preflight(session.client, event, { ...reads, occurrenceIds });
  } finally {
    await session.close();
  }
}

function batchableType(event: EventRef, type: number): boolean {
  return type === (event.kind === "meeting" ? 2 : 5);
}

const inputFormats: readonly InputFormat[] = ["csv", "tsv", "json", "ndjson"];

function inputFormat(file: string, flag: string | undefined): InputFormat {
  if (flag !== undefined) {
    const lower = flag.toLowerCase() === "jsonl" ? "ndjson" : flag.toLowerCase();
    if (!(inputFormats as readonly string[]).includes(lower)) {
      throw new ConfigError(`--format ${flag}: unknown format`, { hint: `use one of ${inputFormats.join(", ")}` });
    }
    return lower as InputFormat;
  }
  if (file === "-") return "csv";
  const detected = formatFromPath(file);
  if (detected === undefined) {
    throw new ConfigError(`cannot tell the format of ${file} from its extension`, {
      hint: `add --format ${inputFormats.join("|")}`,
    });
  }
  return detected;
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

function occurrences(raw: string | undefined): readonly string[] {
  if (raw === undefined) return [];
  const ids = raw.split(",").map((id) => id.trim()).filter((id) => id !== "");
  const bad = ids.filter((id) => !/^\d+$/.test(id));
  if (ids.length === 0 || bad.length > 0) {
    throw new ConfigError(`--occurrence ${raw}: occurrence ids are digits, comma-separated`, {
      hint: "copy them from the meeting's occurrences (GET /meetings/{id}), e.g. --occurrence 1648194360000,1648367160000",
    });
  }
  return ids;
}

