/**
 * How a run's output and rejects files end, for a single-event run and a run of many alike: the output
 * replaces the last one however the run ended, once it holds a row; and an input error mid-file says
 * what was done before it.
 */
import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import { InputError, type ZoomregError } from "../errors.js";
import type { RecordSink } from "../output/index.js";

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
export function stdoutOrRefusing(stdout: NodeJS.WritableStream | undefined): NodeJS.WritableStream {
  return stdout ?? new Writable({ write: (_chunk, _encoding, done) => done(new Error("unreachable: out - is refused without stdout")) });
}
