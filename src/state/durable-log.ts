import { fsyncDirectory } from "../shared/fsync-directory.js";
import { closeSync, fchmodSync, fdatasync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * An append-only file of JSON lines that is durable on demand.
 *
 * `append` resolves once the line is written and an `fdatasync` that started after the write has
 * finished. Group commit, for the writes as well as the syncs: while a sync is in flight, new lines
 * wait in memory, and when it ends they go out in one `write` covered by one sync (at 2,700 adds a
 * second, one write and one sync for every ~20 lines rather than a write per line). A line waits at
 * most one sync (~1 ms here); whoever must not go on before it is durable awaits `append` (the
 * ledger's `send` line is awaited before its request is sent). `close()` and `flushAll()` write
 * what waits, so an exit other than `kill -9` loses none. A line torn by a crash is at worst the
 * last one; the reader skips it, and `open` starts the next write on a fresh line.
 */
export class DurableLog {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private closed = false;
  /** Lines appended while a sync was in flight, not yet written. */
  private pending: string[] = [];

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /**
   * Opens (creating, 0600) for appending. The lines already there are handed to `onLine` one at a
   * time, parsed, with where each lies in the file: never all at once, so a re-run over a state file
   * of a million lines holds one line at a time, and can read a line again later with `readLine`.
   * A file this call creates has its directory synced too: without it, a crash can lose the file's
   * name however often its lines were synced. `syncDirectory` is for tests.
   */
  static open(
    path: string,
    onLine: (record: unknown, at: LinePosition) => void = () => undefined,
    options: { syncDirectory?: (directory: string) => void } = {},
  ): DurableLog {
    const { fd, created } = openOrCreate(path);
    try {
      fchmodSync(fd, 0o600);
      if (created) (options.syncDirectory ?? fsyncDirectory)(dirname(path));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    const { endsWithNewline } = readLines(fd, onLine);
    const log = new DurableLog(path, fd);
    if (!endsWithNewline) log.write("\n");
    openLogs.add(log);
    return log;
  }

  /** The line at `at` (as handed to `onLine`), parsed again. */
  readLine(at: LinePosition): unknown {
    const buffer = Buffer.alloc(at.length);
    let read = 0;
    while (read < at.length) {
      const n = readSync(this.fd, buffer, read, at.length - read, at.offset + read);
      if (n === 0) break;
      read += n;
    }
    return JSON.parse(buffer.toString("utf8", 0, read));
  }

  append(record: object): Promise<void> {
    if (this.closed) throw new Error(`append after close: ${this.path}`);
    this.pending.push(`${JSON.stringify(record)}\n`);
    return this.sync();
  }

  /** Writes the lines still waiting for the sync in flight (they are in the kernel afterwards, not yet synced). */
  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const text = this.pending.length === 1 ? (this.pending[0] ?? "") : this.pending.join("");
    this.pending = [];
    this.write(text);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    openLogs.delete(this);
    closeSync(this.fd);
  }

  /** Writes what waits in every open log: for an exit that cannot wait (a second Ctrl-C). */
  static flushAll(): void {
    for (const log of openLogs) log.flush();
  }

  private write(text: string): void {
    if (this.closed) throw new Error(`append after close: ${this.path}`);
    const buffer = Buffer.from(text, "utf8");
    const sizeBefore = fstatSync(this.fd).size;
    let offset = 0;
    try {
      while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    } catch (error) {
      // A short write then ENOSPC would leave a fragment that glues onto the next line: cut it off.
      if (offset > 0) tryTruncate(this.fd, sizeBefore);
      throw error;
    }
  }

  private sync(): Promise<void> {
    if (this.inFlight === undefined) {
      // Every line appended so far goes out now, so this sync covers it.
      this.flush();
      this.inFlight = new Promise<void>((resolve, reject) => {
        fdatasync(this.fd, (error) => (error === null ? resolve() : reject(error)));
      }).finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    // Lines written now were not necessarily covered by the sync in flight: wait for the next one.
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.sync();
      });
    return this.queued;
  }
}

const openLogs = new Set<DurableLog>();

/** Opens for appending and reading, and says whether this call created the file (0600). */
function openOrCreate(path: string): { fd: number; created: boolean } {
  try {
    return { fd: openSync(path, "ax+", 0o600), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { fd: openSync(path, "a+", 0o600), created: false };
  }
}



function tryTruncate(fd: number, size: number): void {
  try {
    ftruncateSync(fd, size);
  } catch {
    // The reader skips a torn last line; truncating is only tidier.
  }
}

/** Where a line lies in the file, in bytes, without its newline. */
export interface LinePosition {
  offset: number;
  length: number;
}

function readLines(fd: number, onLine: (record: unknown, at: LinePosition) => void): { endsWithNewline: boolean } {
  const size = fstatSync(fd).size;
  if (size === 0) return { endsWithNewline: true };
  // A chunk at a time, split on newline bytes (never inside a UTF-8 sequence): the ledger of a large
  // run can be hundreds of megabytes.
  const chunk = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  let position = 0;
  let lastByte = 0x0a;
  while (position < size) {
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    const bytes = carry.length === 0 ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
    const bytesOffset = carry.length === 0 ? position : carryOffset;
    position += read;
    lastByte = bytes[bytes.length - 1] ?? lastByte;
    let start = 0;
    for (let newline = bytes.indexOf(0x0a, start); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
      parseLine(bytes, start, newline, bytesOffset, onLine);
      start = newline + 1;
    }
    // Copied: `chunk` is reused by the next read.
    carry = Buffer.from(bytes.subarray(start));
    carryOffset = bytesOffset + start;
  }
  parseLine(carry, 0, carry.length, carryOffset, onLine);
  return { endsWithNewline: lastByte === 0x0a };
}

function parseLine(bytes: Buffer, start: number, end: number, bytesOffset: number, onLine: (record: unknown, at: LinePosition) => void): void {
  if (end <= start) return;
  const text = bytes.toString("utf8", start, end);
  if (text.trim() === "") return;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    // A line torn by a crash mid-write: the attempt it described is counted by the line before it.
    return;
  }
  onLine(record, { offset: bytesOffset + start, length: end - start });
}
