import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { csvLine, pick, type OutputFormat } from "./encode.js";

/**
 * Writes one record per call straight to the file descriptor (a synchronous write per row), so a
 * crash or `kill` loses only what was in flight: every finished row is already in the file.
 *
 * Files are created readable by the owner only: join_urls are personal credentials (anyone holding
 * one joins as that person). An existing file is truncated and its mode narrowed to 0600 too.
 */
export class RecordWriter<T extends object> {
  private readonly fd: number;
  private count = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly format: OutputFormat,
    private readonly columns: readonly (keyof T)[],
    fd: number,
  ) {
    this.fd = fd;
    if (format === "csv") this.append(csvLine(columns.map(String)));
    if (format === "json") this.append("[");
  }

  static open<T extends object>(path: string, format: OutputFormat, columns: readonly (keyof T)[]): RecordWriter<T> {
    let fd: number;
    try {
      fd = openSync(path, "w", 0o600);
      fchmodSync(fd, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw new ConfigError(`cannot write output file ${path}: ${code}`, {
        cause: error,
        hint: "choose a path in a folder you can write to (--out / --rejects)",
      });
    }
    return new RecordWriter(path, format, columns, fd);
  }

  get rowsWritten(): number {
    return this.count;
  }

  write(row: T): void {
    if (this.closed) throw new Error(`write after close: ${this.path}`);
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

  /** Finishes the file (closes a JSON array) and makes it durable. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.format === "json") this.append(this.count === 0 ? "]\n" : "\n]\n");
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private append(text: string): void {
    const buffer = Buffer.from(text, "utf8");
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
  }
}
