import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { withLength } from "../shared/hash-index.js";
import { removeAbandonedTempFiles, tempPathFor, tryUnlink } from "../shared/temp-files.js";
import { stateWriteError } from "./ledger.js";

/**
 * Texts by entry number, kept in a temporary file rather than in memory and read back when asked
 * for. Zoom's registrant list keeps there the ids and join_urls of registrations the state file does
 * not hold: a first run against an event that already lists 200,000 people held them all in memory
 * (167 MB peak RSS; issue 11, "bounded memory").
 *
 * The file sits beside the state file and is unlinked as soon as it is open, so nothing is left
 * behind, even after `kill -9`; where a file system cannot do that, the next run removes it.
 */
export class SpillFile {
  /** Where each entry's text lies in the file; a length of 0 is the empty text. */
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  /** Texts not written yet: they go out together, `flushBytes` at a time. */
  private pending: string[] = [];
  private pendingBytes = 0;
  private writtenBytes = 0;
  private readBuffer = Buffer.alloc(4096);

  private constructor(
    private readonly path: string,
    private readonly fd: number,
  ) {}

  /** A spill file beside `path` (the state file), named for this run. */
  static open(path: string, pid: number = process.pid): SpillFile {
    const spillPath = tempPathFor(`${path}.list`, pid);
    removeAbandonedTempFiles(`${path}.list`);
    let fd: number;
    try {
      fd = openSync(spillPath, "w+", 0o600);
    } catch (error) {
      throw stateWriteError(spillPath, error);
    }
    tryUnlink(spillPath);
    return new SpillFile(spillPath, fd);
  }

  set(entry: number, text: string): void {
    const bytes = Buffer.byteLength(text, "utf8");
    this.offsets = withLength(this.offsets, entry + 1);
    this.lengths = withLength(this.lengths, entry + 1);
    this.offsets[entry] = this.writtenBytes + this.pendingBytes;
    this.lengths[entry] = bytes;
    if (bytes === 0) return;
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= flushBytes) this.flush();
  }

  get(entry: number): string {
    const length = this.lengths[entry] ?? 0;
    if (length === 0) return "";
    const offset = this.offsets[entry] ?? 0;
    if (offset + length > this.writtenBytes) this.flush();
    if (this.readBuffer.length < length) this.readBuffer = Buffer.alloc(Math.max(length, this.readBuffer.length * 2));
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, this.readBuffer, read, length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return this.readBuffer.toString("utf8", 0, read);
  }

  close(): void {
    closeSync(this.fd);
    tryUnlink(this.path);
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const buffer = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingBytes = 0;
    let written = 0;
    try {
      while (written < buffer.length) written += writeSync(this.fd, buffer, written, buffer.length - written, this.writtenBytes + written);
    } catch (error) {
      throw stateWriteError(this.path, error);
    }
    this.writtenBytes += buffer.length;
  }
}

/** Texts wait in memory until there are this many bytes of them: one write for ~400 registrations. */
const flushBytes = 64 * 1024;
