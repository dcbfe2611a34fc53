import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { jsonText } from "../shared/json-text.js";
import { removeAbandonedTempFiles, tempPathFor, tryUnlink } from "../shared/temp-files.js";
import { stateWriteError } from "./ledger.js";

/**
 * A first-in first-out queue of JSON values that keeps at most `maxInMemory` of them in memory and
 * the rest in a temporary file (issue 20, "memory stays flat"): a run of many events reads its input
 * once, as fast as the file comes, and hands each row to its event, whose push takes it as Zoom's
 * limits allow; the rows an event has not taken yet wait on disk, not in memory. The order is kept:
 * once a value went to the file, the ones after it follow it there until the file is read through.
 *
 * The file is unlinked as soon as it is open (as SpillFile's), so nothing is left behind, even after
 * `kill -9`; where a file system cannot do that, the next run removes it.
 */
/** Bytes read from the file at a time: small, since a merge reads every part at once. */
const readChunkBytes = 16 * 1024;

export class SpoolQueue<T> implements AsyncIterable<T> {
  private readonly memory: T[] = [];
  private fd: number | undefined;
  private filePath: string | undefined;
  /** Bytes written to the file, and how far it has been read. */
  private writtenBytes = 0;
  private readBytes = 0;
  /** Values in the file not read yet. */
  private onDisk = 0;
  private pendingText: string[] = [];
  /** Made when the file is first read: a run of many events holds thousands of queues, most never read from disk. */
  private readBuffer: Buffer | undefined;
  /** Text read from the file that does not end in a newline yet. */
  private carry = "";
  private carryAt = 0;
  /** A character split across two reads is decoded whole. */
  private readonly decoder = new StringDecoder("utf8");
  private closed = false;
  /** What the iterator throws once every value is taken: the input broke (issue 20: the events must see it as an input error). */
  private endError: Error | undefined;
  private waiting: (() => void) | undefined;
  private taken = 0;

  constructor(
    private readonly options: {
      /** A name for the temporary file, in the folder it goes in; one per queue. */
      besidePath: string;
      maxInMemory: number;
    },
  ) {}

  /** Values pushed and not taken yet. */
  get size(): number {
    return this.memory.length + this.onDisk;
  }

  /** Values taken so far. */
  get takenCount(): number {
    return this.taken;
  }

  push(value: T): void {
    if (this.closed) throw new Error("push after close");
    if (this.onDisk > 0 || this.memory.length >= this.options.maxInMemory) this.spill(value);
    else this.memory.push(value);
    this.wake();
  }

  /** No more values: the iterator ends once every value is taken, throwing `error` then when given. */
  close(error?: Error): void {
    this.closed = true;
    this.endError = error;
    this.wake();
  }

  /** Frees the file; values not taken are dropped. */
  dispose(): void {
    this.closed = true;
    this.memory.length = 0;
    this.onDisk = 0;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.filePath !== undefined) tryUnlink(this.filePath);
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const next = this.take();
      if (next.found) {
        yield next.value;
        continue;
      }
      if (this.closed) {
        if (this.endError !== undefined) throw this.endError;
        return;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  private take(): { found: true; value: T } | { found: false } {
    if (this.memory.length === 0 && this.onDisk > 0) this.refill();
    if (this.memory.length === 0) return { found: false };
    this.taken += 1;
    return { found: true, value: this.memory.shift() as T };
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private spill(value: T): void {
    this.pendingText.push(`${jsonText(value)}\n`);
    this.onDisk += 1;
    if (this.pendingText.length >= 256) this.flush();
  }

  private flush(): void {
    if (this.pendingText.length === 0) return;
    const fd = this.file();
    const buffer = Buffer.from(this.pendingText.join(""), "utf8");
    this.pendingText = [];
    let written = 0;
    try {
      while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written, this.writtenBytes + written);
    } catch (error) {
      throw stateWriteError(this.filePath ?? this.options.besidePath, error);
    }
    this.writtenBytes += buffer.length;
  }

  /** Moves the next values from the file back to memory, up to `maxInMemory` (at least one). */
  private refill(): void {
    this.flush();
    const fd = this.file();
    const wanted = Math.max(1, this.options.maxInMemory);
    while (this.memory.length < wanted && this.onDisk > 0) {
      const newline = this.carry.indexOf("\n", this.carryAt);
      if (newline >= 0) {
        this.memory.push(JSON.parse(this.carry.slice(this.carryAt, newline)) as T);
        this.carryAt = newline + 1;
        this.onDisk -= 1;
        continue;
      }
      const buffer = (this.readBuffer ??= Buffer.alloc(readChunkBytes));
      const read = readSync(fd, buffer, 0, buffer.length, this.readBytes);
      if (read === 0) throw new Error(`spool file ended early: ${this.filePath ?? ""}`);
      this.readBytes += read;
      this.carry = this.carry.slice(this.carryAt) + this.decoder.write(buffer.subarray(0, read));
      this.carryAt = 0;
    }
    if (this.onDisk === 0 && this.pendingText.length === 0) this.closeFile();
  }

  /** Read through: the file and its buffer go, so a drained queue holds no descriptor; a later spill opens a new one. */
  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.readBuffer = undefined;
    this.writtenBytes = 0;
    this.readBytes = 0;
    this.carry = "";
    this.carryAt = 0;
  }

  private file(): number {
    if (this.fd !== undefined) return this.fd;
    const path = tempPathFor(`${this.options.besidePath}.spool`, process.pid);
    removeAbandonedTempFiles(`${this.options.besidePath}.spool`);
    try {
      this.fd = openSync(path, "w+", 0o600);
    } catch (error) {
      throw stateWriteError(path, error);
    }
    this.filePath = path;
    // Unlinked at once: the open descriptor keeps it; nothing is left behind whatever happens.
    tryUnlink(path);
    return this.fd;
  }
}
