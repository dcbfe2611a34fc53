import { closeSync, fchmodSync, fdatasync, fstatSync, openSync, readSync, writeSync } from "node:fs";

/**
 * An append-only file of JSON lines that is durable on demand.
 *
 * Each line is written with one synchronous `write`, so it is in the kernel (and survives `kill -9` of
 * this process) by the time `append` returns; `append` then resolves once an `fdatasync` that started
 * after the write has finished (group commit: one sync in flight covers every line written before it
 * began, so 10 workers cost one sync, not 10). A line torn by a crash is at worst the last one; the
 * reader skips it, and `open` starts the next write on a fresh line.
 */
export class DurableLog {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens (creating, 0600) for appending, and returns the lines already there, parsed. */
  static open(path: string): { log: DurableLog; lines: unknown[] } {
    const fd = openSync(path, "a+", 0o600);
    fchmodSync(fd, 0o600);
    const { lines, endsWithNewline } = readAll(fd);
    const log = new DurableLog(path, fd);
    if (!endsWithNewline) log.write("\n");
    return { log, lines };
  }

  append(record: object): Promise<void> {
    this.write(`${JSON.stringify(record)}\n`);
    return this.sync();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private write(text: string): void {
    if (this.closed) throw new Error(`append after close: ${this.path}`);
    const buffer = Buffer.from(text, "utf8");
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
  }

  private sync(): Promise<void> {
    if (this.inFlight === undefined) {
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

function readAll(fd: number): { lines: unknown[]; endsWithNewline: boolean } {
  const size = fstatSync(fd).size;
  const lines: unknown[] = [];
  if (size === 0) return { lines, endsWithNewline: true };
  // Read in chunks: the ledger of a large run can be tens of megabytes.
  const chunk = Buffer.alloc(1 << 20);
  let position = 0;
  let rest = "";
  let last = "";
  while (position < size) {
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    position += read;
    const text = rest + chunk.toString("utf8", 0, read);
    const parts = text.split("\n");
    rest = parts.pop() ?? "";
    for (const part of parts) pushParsed(lines, part);
    last = text;
  }
  pushParsed(lines, rest);
  return { lines, endsWithNewline: last.endsWith("\n") };
}

function pushParsed(lines: unknown[], text: string): void {
  if (text.trim() === "") return;
  try {
    lines.push(JSON.parse(text));
  } catch {
    // A line torn by a crash mid-write: the attempt it described is counted by the line before it.
  }
}
