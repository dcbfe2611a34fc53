import type { Command } from "commander";
import { ConfigError } from "../errors.js";
import { Option } from "commander";
import { csvFormulaModes, formulaGuardedColumns, outputCellKinds, outputColumns, outputFormatFromPath, recordLayout, RecordWriter, type CsvFormulas, type OutputRow } from "../output/index.js";
import { compareWithZoom, describeStatus, readState, rowsInOrder, statusReport, type ZoomComparison } from "../engine/status.js";
import { systemClock } from "../shared/clock.js";
import type { EventRef } from "../zoom/index.js";
import { retryRead } from "../zoom/read-retry.js";
import { resolveCredentials } from "../network/credentials.js";
import { eventFromFlags } from "./event-flags.js";
import { ExitCode } from "../engine/exit-codes.js";
import type { CliIo } from "./io.js";
import { loadNetwork } from "../network/load-network.js";
import { outputPaths, resolveIn } from "../engine/output-paths.js";

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

/** Zoom's Medium label on Pro: list pages are paced at it, as a push paces them. */
const listRatePerSecond = 20;
const statusTimeoutMs = 30_000;

/** Adds `zoomreg status` to the program; `setExitCode` receives the command's exit code. */
export function registerStatusCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command("status")
    .description("Say what the state file knows of an event (and Zoom's list, with credentials) without pushing; --out writes the rows it holds.")
    .option("--meeting <id|link>", "the meeting")
    .option("--webinar <id|link>", "the webinar")
    .option("--state <file>", "the event's state file (default: ./zoomreg-<meeting|webinar>-<id>.state.ndjson, where a push with the default --out keeps it)")
    .option("-o, --out <file>", "write every person's last row, as a push writes its output (.csv, .json, .ndjson, .jsonl; created 0600)")
    .option("--no-zoom", "do not read Zoom's list, even with credentials")
    .addOption(new Option("--csv-formulas <mode>", "as push's: escape (a cell of free text starting with = + - @ gets a leading ') or keep").choices(csvFormulaModes).default("escape"))
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
      setExitCode(await statusCommand(flags, io, program.version() ?? "0.0.0"));
    });
}

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
  const { openZoomSession } = await loadNetwork();
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
