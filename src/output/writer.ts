import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "../errors.js";
import { fsyncDirectory } from "../shared/fsync-directory.js";
import { removeAbandonedTempFiles, tempPathFor, tryUnlink } from "../shared/temp-files.js";

export { tempPathFor };
import { csvLine, pick, type OutputFormat } from "./encode.js";

/** Where a run's rows go: a file replaced atomically (RecordWriter) or a stream (StreamRecordWriter). */
export interface RecordSink<T extends object> {
  /** The file's path, or "-" for a stream. */
  readonly path: string;
  readonly rowsWritten: number;
  write(row: T): void;
  /** Finishes the records (closes a JSON array) and, for a file, puts it in place. Safe to call twice. */
  commit(): void;
  /** Drops what was written where it can: a file stays as it was; a stream cannot take rows back. */
  discard(): void;
}

/** How a sink writes its records: their columns, in order, and which CSV cells get the formula guard. */
export interface RecordLayout<T extends object> {
  readonly columns: readonly (keyof T)[];
  readonly guarded: readonly boolean[];
}

/** `guarded`: the columns whose CSV cells get the formula guard (free text); absent, every column (encode.ts). */
export function recordLayout<T extends object>(columns: readonly (keyof T)[], guarded?: ReadonlySet<keyof T>): RecordLayout<T> {
  return { columns, guarded: columns.map((column) => guarded === undefined || guarded.has(column)) };
}

/** `--out -`: stdout when the path is "-", else a file replaced atomically. */
export function openRecordSink<T extends object>(
  path: string,
  format: OutputFormat,
  columns: readonly (keyof T)[],
  options: { stdout: NodeJS.WritableStream; lazy?: boolean; guarded?: ReadonlySet<keyof T> },
): RecordSink<T> {
  const layout = recordLayout(columns, options.guarded);
  return path === "-" ? new StreamRecordWriter<T>(options.stdout, format, layout) : RecordWriter.open<T>(path, format, layout, { lazy: options.lazy ?? false });
}

/**
 * Writes one record per call to a temporary file beside the target, and replaces the target with it
 * in one rename when the run ends (issue 11: "outputs replace atomically"). A downstream job that
 * reads the file sees the last complete one or the new complete one, never a half-written file, and
 * a run that fails before its first row leaves the last one as it was.
 *
 * Files are created readable by the owner only: join_urls are personal credentials (anyone holding
 * one joins as that person).
 */
export class RecordWriter<T extends object> implements RecordSink<T> {
  private count = 0;
  private finished = false;

  private fd: number | undefined;

  private constructor(
    /** The file this writer replaces. */
    readonly path: string,
    private readonly tempPath: string,
    private readonly format: OutputFormat,
    private readonly layout: RecordLayout<T>,
  ) {}

  /**
   * Opens a temporary file for `path`, first removing the ones killed runs left for it. `lazy`: the
   * file is created at the first row (a rejects file only exists when there is a reject).
   */
  static open<T extends object>(path: string, format: OutputFormat, layout: RecordLayout<T>, options: { pid?: number; lazy?: boolean } = {}): RecordWriter<T> {
    removeAbandonedTempFiles(path);
    const writer = new RecordWriter<T>(path, tempPathFor(path, options.pid ?? process.pid), format, layout);
    if (options.lazy !== true) writer.create();
    return writer;
  }

  get rowsWritten(): number {
    return this.count;
  }

  write(row: T): void {
    if (this.finished) throw new Error(`write after close: ${this.path}`);
    this.create();
    this.append(recordText(this.format, this.layout, row, this.count));
    this.count += 1;
  }

  /** Finishes the file (closes a JSON array), makes it durable and puts it in the target's place. Safe to call twice. */
  commit(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      const fd = this.create();
      this.append(recordsEnd(this.format, this.count));
      fsyncSync(fd);
      closeSync(fd);
      renameSync(this.tempPath, this.path);
      // The rename is durable only once the folder's entry is.
      fsyncDirectory(dirname(this.path));
    } catch (error) {
      tryUnlink(this.tempPath);
      throw writeError(this.path, error);
    }
  }

  /** Drops what was written: the target stays as it was. Safe to call twice, and after commit. */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } finally {
      tryUnlink(this.tempPath);
    }
  }

  /** The temporary file, created (0600, with the CSV header or the JSON array's start) on first use. */
  private create(): number {
    if (this.fd !== undefined) return this.fd;
    try {
      this.fd = openSync(this.tempPath, "w", 0o600);
      fchmodSync(this.fd, 0o600);
    } catch (error) {
      throw writeError(this.path, error);
    }
    this.append(recordsStart(this.format, this.layout.columns));
    return this.fd;
  }

  private append(text: string): void {
    const fd = this.create();
    const buffer = Buffer.from(text, "utf8");
    let offset = 0;
    try {
      while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
    } catch (error) {
      throw writeError(this.path, error);
    }
  }
}

/**
 * Writes one record per call to a stream (stdout for `--out -`), which a temporary file and a rename
 * cannot serve: each row goes out as it finishes, for the next command in the pipe. The header (or a
 * JSON array's start) goes with the first row, so a run that fails before it writes nothing.
 */
export class StreamRecordWriter<T extends object> implements RecordSink<T> {
  readonly path = "-";
  private count = 0;
  private finished = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly format: OutputFormat,
    private readonly layout: RecordLayout<T>,
  ) {}

  get rowsWritten(): number {
    return this.count;
  }

  write(row: T): void {
    if (this.finished) throw new Error("write after close: stdout");
    const start = this.count === 0 ? recordsStart(this.format, this.layout.columns) : "";
    this.stream.write(`${start}${recordText(this.format, this.layout, row, this.count)}`);
    this.count += 1;
  }

  /** Ends the records (a JSON array's close; the header alone when there was no row). Leaves the stream open. */
  commit(): void {
    if (this.finished) return;
    this.finished = true;
    const start = this.count === 0 ? recordsStart(this.format, this.layout.columns) : "";
    const end = recordsEnd(this.format, this.count);
    if (start + end !== "") this.stream.write(start + end);
  }

  /** Rows already written stay written (the reader has them); nothing more is. */
  discard(): void {
    this.finished = true;
  }
}

/** What a file (or stream) of records starts with: the CSV header, or a JSON array's `[`. */
function recordsStart<T extends object>(format: OutputFormat, columns: readonly (keyof T)[]): string {
  if (format === "csv") return csvLine(columns.map(String));
  return format === "json" ? "[" : "";
}

/** One record as text; `index` is how many came before it (JSON separates them with commas). */
function recordText<T extends object>(format: OutputFormat, layout: RecordLayout<T>, row: T, index: number): string {
  switch (format) {
    case "csv":
      return csvLine(layout.columns.map((column) => row[column] as string | number), layout.guarded);
    case "json":
      return `${index === 0 ? "\n" : ",\n"}${JSON.stringify(pick(row, layout.columns))}`;
    case "ndjson":
      return `${JSON.stringify(pick(row, layout.columns))}\n`;
  }
}

function recordsEnd(format: OutputFormat, count: number): string {
  if (format !== "json") return "";
  return count === 0 ? "]\n" : "\n]\n";
}


function writeError(path: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  return new ConfigError(`${code === "ENOSPC" ? "disk full: " : ""}cannot write output file ${path}: ${code}`, {
    cause: error,
    hint: "choose a path in a folder you can write to, on a disk with room (--out / --rejects)",
  });
}
