import { flushBeforeAbruptExit } from "../shared/before-abrupt-exit.js";
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
  private lineBuffer = Buffer.alloc(4096);

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /**
   * Opens (creating, 0600) for appending. The lines already there are handed to `onLine` one at a
   * time, parsed, with where each lies in the file: never all at once, so a re-run over a state file
   * of a million lines holds one line at a time, and can read a line again later with `readLine`.
   * A file this call creates has its directory synced too: without it, a crash can lose the file's
   * name however often its lines were synced. `parse` may read a line without JSON.parse (a line it
   * cannot read is skipped, as a torn one is); `syncDirectory` is for tests.
   */
  static open(
    path: string,
    onLine: (record: unknown, at: LinePosition) => void = () => undefined,
    options: { syncDirectory?: (directory: string) => void; parse?: LineParser } = {},
  ): DurableLog {
    const { fd, created } = openOrCreate(path);
    try {
      fchmodSync(fd, 0o600);
      if (created) (options.syncDirectory ?? fsyncDirectory)(dirname(path));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    const { endsWithNewline } = readLines(fd, onLine, { parse: options.parse ?? parseJson });
    const log = new DurableLog(path, fd);
    if (!endsWithNewline) log.write("\n");
    openLogs.add(log);
    flushBeforeAbruptExit(flushOpenLogs);
    return log;
  }

  /**
   * Reads every line written so far again, as `open` did; `linesStartingWith` skips the others
   * without parsing them (a state file of 200,000 rows is 120 MB, mostly `done` lines).
   */
  scan(onLine: (record: unknown, at: LinePosition) => void, options: { linesStartingWith?: string } = {}): void {
    const prefix = options.linesStartingWith === undefined ? undefined : Buffer.from(options.linesStartingWith, "utf8");
    readLines(this.fd, onLine, { parse: parseJson, ...(prefix === undefined ? {} : { prefix }) });
  }

  /** The line at `at` (as handed to `onLine`), parsed again. */
  readLine(at: LinePosition): unknown {
    // One buffer for every read: a re-run reads a line per row, and a buffer each was external
    // memory that made V8 run full collections every half second.
    if (this.lineBuffer.length < at.length) this.lineBuffer = Buffer.alloc(Math.max(at.length, this.lineBuffer.length * 2));
    let read = 0;
    while (read < at.length) {
      const n = readSync(this.fd, this.lineBuffer, read, at.length - read, at.offset + read);
      if (n === 0) break;
      read += n;
    }
    return JSON.parse(this.lineBuffer.toString("utf8", 0, read));
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
    flushOpenLogs();
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

/** A line's record from its bytes (`start` to `end`, no newline); throws or gives undefined for a line to skip. */
export type LineParser = (bytes: Buffer, start: number, end: number) => unknown;

/** Where a line lies in the file, in bytes, without its newline. */
export interface LinePosition {
  offset: number;
  length: number;
}

function readLines(fd: number, onLine: (record: unknown, at: LinePosition) => void, how: { parse: LineParser; prefix?: Buffer }): { endsWithNewline: boolean } {
  const { parse, prefix } = how;
  const size = fstatSync(fd).size;
  if (size === 0) return { endsWithNewline: true };
  // A chunk at a time into one buffer, split on newline bytes (never inside a UTF-8 sequence): the
  // ledger of a large run can be hundreds of megabytes, and a buffer per chunk was 120 MB of garbage.
  let buffer = Buffer.alloc(1 << 20);
  /** Bytes of an unfinished line at the start of `buffer`, and where they lie in the file. */
  let carried = 0;
  let carriedOffset = 0;
  let position = 0;
  let lastByte = 0x0a;
  while (position < size) {
    // A line longer than the buffer: grow it, keeping the part already read.
    if (carried === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
    const read = readSync(fd, buffer, carried, buffer.length - carried, position);
    if (read === 0) break;
    position += read;
    const end = carried + read;
    lastByte = buffer[end - 1] ?? lastByte;
    let start = 0;
    for (let newline = buffer.indexOf(0x0a, carried); newline !== -1 && newline < end; newline = buffer.indexOf(0x0a, start)) {
      if (prefix === undefined || startsWith(buffer, start, newline, prefix)) parseLine(buffer, start, newline, carriedOffset, parse, onLine);
      start = newline + 1;
    }
    buffer.copy(buffer, 0, start, end);
    carried = end - start;
    carriedOffset += start;
  }
  if (prefix === undefined || startsWith(buffer, 0, carried, prefix)) parseLine(buffer, 0, carried, carriedOffset, parse, onLine);
  return { endsWithNewline: lastByte === 0x0a };
}

export function startsWith(bytes: Buffer, start: number, end: number, prefix: Buffer): boolean {
  return end - start >= prefix.length && bytes.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}

function parseLine(bytes: Buffer, start: number, end: number, bytesOffset: number, parse: LineParser, onLine: (record: unknown, at: LinePosition) => void): void {
  if (end <= start) return;
  let record: unknown;
  try {
    record = parse(bytes, start, end);
  } catch {
    // A line torn by a crash mid-write: the attempt it described is counted by the line before it.
    return;
  }
  if (record !== undefined) onLine(record, { offset: bytesOffset + start, length: end - start });
}

/** The default LineParser: JSON, blank lines skipped. */
export function parseJson(bytes: Buffer, start: number, end: number): unknown {
  const text = bytes.toString("utf8", start, end);
  return text.trim() === "" ? undefined : JSON.parse(text);
}

function flushOpenLogs(): void {
  for (const log of openLogs) log.flush();
}
