import type { StatusFlags } from "./status-command.js";
import { ConfigError } from "../errors.js";
import { formulaGuardedColumns, outputCellKinds, outputColumns, outputFormatFromPath, recordLayout, RecordWriter, type CsvFormulas, type OutputRow } from "../output/index.js";
import { compareWithZoom, describeStatus, readState, rowsInOrder, statusReport, type ZoomComparison } from "../engine/status.js";
import { systemClock } from "../shared/clock.js";
import type { EventRef } from "../zoom/index.js";
import { retryRead } from "../preflight/read-retry.js";
import { resolveCredentials } from "../network/credentials.js";
import { eventFromFlags } from "./event-flags.js";
import { ExitCode } from "../engine/exit-codes.js";
import type { CliIo } from "./io.js";
import { openZoomSession } from "../network/zoom-session.js";
import { outputPaths, resolveIn } from "../engine/output-paths.js";

/** Zoom's Medium label on Pro: list pages are paced at it, as a push paces them. */
const listRatePerSecond = 20;
const statusTimeoutMs = 30_000;

export async function statusCommand(flags: StatusFlags, io: CliIo, version: string): Promise<number> {
  const event = eventFromFlags(flags);
  if (flags.out === "-") throw new ConfigError("--out -: status writes its rows to a file", { hint: "give --out a file path; the report itself goes to stdout" });
  const { statePath } = outputPaths(io.cwd, { ...(flags.state === undefined ? {} : { state: flags.state }) }, event, undefined);
  const { rows, lastRun } = await readState(statePath, event);
  const zoom = flags.zoom && hasCredentials(io.env) ? await zoomComparison(io, event, rows, version) : null;
  if (flags.out !== undefined) writeRows(resolveIn(io.cwd, flags.out), rows, flags.csvFormulas as CsvFormulas);
  const report = statusReport(event, statePath, rows, lastRun, zoom);
  io.stdout.write(`${flags.json === true ? JSON.stringify(report) : describeStatus(report).join("\n")}\n`);
  return ExitCode.ok;
}

function hasCredentials(env: CliIo["env"]): boolean {
  try {
    resolveCredentials(env);
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

/** Every registrant Zoom lists, by status, every page, paced as a push paces its reads. */
async function zoomComparison(io: CliIo, event: EventRef, rows: readonly OutputRow[], version: string): Promise<ZoomComparison> {
  const session = openZoomSession(io.env, { connections: 2, timeoutMs: statusTimeoutMs, userAgent: `zoomreg/${version}` });
  const { SlidingWindowRateGate } = await import("../pool/index.js");
  const gate = new SlidingWindowRateGate({ ratePerSecond: listRatePerSecond, clock: systemClock, spacing: "even" });
  const reads = { clock: systemClock, random: Math.random, signal: io.signal };
  const listed = new Map<string, "approved" | "pending" | "denied">();
  try {
    for (const status of ["approved", "pending", "denied"] as const) {
      let nextPageToken: string | undefined;
      do {
        await gate.acquire(io.signal);
        const page = await retryRead(() => session.client.listRegistrants(event, { status, pageSize: 300, ...(nextPageToken === undefined ? {} : { nextPageToken }), signal: io.signal }), reads);
        for (const registrant of page.registrants) listed.set(registrant.email.trim().toLowerCase(), status);
        nextPageToken = page.nextPageToken;
      } while (nextPageToken !== undefined);
    }
  } finally {
    await session.close();
  }
  return compareWithZoom(rows, listed);
}

/** The rows the state file holds, in a push's order, through the writer a push uses (0600, replaced in one rename). */
function writeRows(path: string, rows: readonly OutputRow[], csvFormulas: CsvFormulas): void {
  const format = outputFormatFromPath(path);
  if (format === undefined) throw new ConfigError(`--out ${path}: unknown extension`, { hint: "end the file name in .csv, .json, .ndjson or .jsonl" });
  const writer = RecordWriter.open<OutputRow>(path, format, recordLayout(outputColumns, formulaGuardedColumns(outputCellKinds, csvFormulas)), { lazy: false });
  for (const row of rowsInOrder(rows)) writer.write(row);
  writer.commit();
}
