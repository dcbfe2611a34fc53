import { closeSync, fchmodSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../errors.js";
import { fsyncDirectory } from "../shared/fsync-directory.js";
import { csvLine, pick, type OutputFormat } from "./encode.js";

/**
 * Writes one record per call to a temporary file beside the target, and replaces the target with it
 * in one rename when the run ends (issue 11: "outputs replace atomically"). A downstream job that
 * reads the file sees the last complete one or the new complete one, never a half-written file, and
 * a run that fails before its first row leaves the last one as it was.
 *
 * Files are created readable by the owner only: join_urls are personal credentials (anyone holding
 * one joins as that person).
 */
export class RecordWriter<T extends object> {
  private count = 0;
  private finished = false;

  private fd: number | undefined;

  private constructor(
    /** The file this writer replaces. */
    readonly path: string,
    private readonly tempPath: string,
    private readonly format: OutputFormat,
    private readonly columns: readonly (keyof T)[],
  ) {}

  /**
   * Opens a temporary file for `path`, first removing the ones killed runs left for it. `lazy`: the
   * file is created at the first row (a rejects file only exists when there is a reject).
   */
  static open<T extends object>(path: string, format: OutputFormat, columns: readonly (keyof T)[], options: { pid?: number; lazy?: boolean } = {}): RecordWriter<T> {
    removeAbandonedTempFiles(path);
    const writer = new RecordWriter<T>(path, tempPathFor(path, options.pid ?? process.pid), format, columns);
    if (options.lazy !== true) writer.create();
    return writer;
  }

  get rowsWritten(): number {
    return this.count;
  }

  write(row: T): void {
    if (this.finished) throw new Error(`write after close: ${this.path}`);
    this.create();
    switch (this.format) {
      case "csv":
        this.append(csvLine(this.columns.map((column) => row[column] as string | number)));
        break;
      case "json":
        this.append(`${this.count === 0 ? "\n" : ",\n"}${JSON.stringify(pick(row, this.columns))}`);
        break;
      case "ndjson":
        this.append(`${JSON.stringify(pick(row, this.columns))}\n`);
        break;
    }
    this.count += 1;
  }

  /** Finishes the file (closes a JSON array), makes it durable and puts it in the target's place. Safe to call twice. */
  commit(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      const fd = this.create();
      if (this.format === "json") this.append(this.count === 0 ? "]\n" : "\n]\n");
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
    if (this.format === "csv") this.append(csvLine(this.columns.map(String)));
    if (this.format === "json") this.append("[");
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

/** `.joinurls.csv.4242.zoomreg-tmp`: hidden, beside the target (a rename never crosses file systems), named for its run. */
export function tempPathFor(path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.${pid}.zoomreg-tmp`);
}

/** Removes the temporary files of `path` whose run is gone (its pid no longer exists here). */
function removeAbandonedTempFiles(path: string, isAlive: (pid: number) => boolean = pidAlive): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // The folder does not exist yet: the open below says so.
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".zoomreg-tmp")) continue;
    const pid = Number(name.slice(prefix.length, -".zoomreg-tmp".length));
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) tryUnlink(join(dirname(path), name));
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function writeError(path: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  return new ConfigError(`${code === "ENOSPC" ? "disk full: " : ""}cannot write output file ${path}: ${code}`, {
    cause: error,
    hint: "choose a path in a folder you can write to, on a disk with room (--out / --rejects)",
  });
}
