/**
 * A run's output and rejects files, for a single-event run and a run of many alike: how they are
 * opened (the formula guard on their free text), how they end (the output replaces the last one
 * however the run ended, once it holds a row), and what an input error mid-file says was done.
 */
import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import { InputError, type ZoomregError } from "../errors.js";
import { formulaGuardedColumns, openRecordSink, outputFormatFromPath, type CellKind, type CsvFormulas, type OutputFormat, type RecordSink } from "../output/index.js";

/** The columns of a run's output and rejects files, and which cells are free text. */
export interface RunFileLayout<Row extends object, Reject extends object> {
  outputColumns: readonly (keyof Row)[];
  outputKinds: Readonly<Record<keyof Row, CellKind>>;
  rejectColumns: readonly (keyof Reject)[];
  rejectKinds: Readonly<Record<keyof Reject, CellKind>>;
}

/** The output (its rows) and the rejects file (made at its first row), with the formula guard `csvFormulas` asks for. */
export function openRunOutputs<Row extends object, Reject extends object>(
  paths: { outPath: string; outFormat: OutputFormat; rejectsPath: string },
  layout: RunFileLayout<Row, Reject>,
  csvFormulas: CsvFormulas,
  stdout: NodeJS.WritableStream | undefined,
): { output: RecordSink<Row>; rejects: RecordSink<Reject> } {
  const toStdout = stdoutOrRefusing(stdout);
  const output = openRecordSink<Row>(paths.outPath, paths.outFormat, layout.outputColumns, { stdout: toStdout, guarded: formulaGuardedColumns(layout.outputKinds, csvFormulas) });
  const rejects = openRecordSink<Reject>(paths.rejectsPath, outputFormatFromPath(paths.rejectsPath) ?? "csv", layout.rejectColumns, {
    stdout: toStdout,
    lazy: true,
    guarded: formulaGuardedColumns(layout.rejectKinds, csvFormulas),
  });
  return { output, rejects };
}

/**
 * A run that failed before its first row leaves the last output as it was; the rejects file likewise,
 * and a run with no reject removes the last run's, which no longer describes the input.
 */
export function putOutputsInPlace<Row extends object, Reject extends object>(output: RecordSink<Row>, rejects: RecordSink<Reject>): void {
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
export function withWhatWasDone(error: ZoomregError, done: { rowsRead: number; counts: { registered: number; existing: number; pending_approval: number } }, outPath: string): ZoomregError {
  if (!(error instanceof InputError)) return error;
  const registered = done.counts.registered + done.counts.existing + done.counts.pending_approval;
  return new InputError(`${error.message}; the ${done.rowsRead} rows before it are done (${registered} registered) and their join_urls are in ${outPath}`, {
    cause: error,
    hint: `${error.hint ?? "fix that line"}, then run the same command again: rows already registered are not sent again`,
  });
}

/** Where `out: "-"` writes: the host's stdout; without one, `-` was refused before the run started. */
function stdoutOrRefusing(stdout: NodeJS.WritableStream | undefined): NodeJS.WritableStream {
  return stdout ?? new Writable({ write: (_chunk, _encoding, done) => done(new Error("unreachable: out - is refused without stdout")) });
}
