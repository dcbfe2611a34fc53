/**
 * `--skip-lines N`: the lines above the header (a report's title, its filters, a timestamp) taken off
 * the top of the UTF-8 text before anything reads it, so delimiter detection and the header see the
 * table itself. A line ends at a line feed (CRLF included). Bytes, not text: the reader and the record
 * count (count-records.ts) skip alike.
 */

/** How much of the first skipped line is kept, to quote it in the dry run. */
const QUOTED_BYTES = 200;

export class LeadingLineSkipper {
  private left: number;
  private readonly firstLine: Buffer[] = [];
  private firstLineBytes = 0;
  private onFirstLine = true;

  constructor(count: number) {
    this.left = count;
  }

  /** Every line asked for was skipped. */
  get done(): boolean {
    return this.left === 0;
  }

  /** The bytes of `chunk` after the skipped lines (empty while lines are still being skipped). */
  push(chunk: Buffer): Buffer {
    let at = 0;
    while (this.left > 0) {
      const newline = chunk.indexOf(0x0a, at);
      this.keepFirst(chunk.subarray(at, newline === -1 ? chunk.length : newline));
      if (newline === -1) return Buffer.alloc(0);
      this.onFirstLine = false;
      this.left--;
      at = newline + 1;
    }
    return at === 0 ? chunk : chunk.subarray(at);
  }

  /** The first line skipped, as text (cut at QUOTED_BYTES), for the dry run's notice. */
  first(): string {
    return Buffer.concat(this.firstLine).toString("utf8").replace(/\r$/, "").replace(/\uFFFD$/, "").trim();
  }

  private keepFirst(part: Buffer): void {
    if (!this.onFirstLine || this.firstLineBytes >= QUOTED_BYTES) return;
    const kept = part.subarray(0, QUOTED_BYTES - this.firstLineBytes);
    this.firstLine.push(Buffer.from(kept));
    this.firstLineBytes += kept.length;
  }
}

/** The chunks after `count` lines; `onSkipped` is told the first of them once they are skipped (or the input ends). */
export async function* skipLeadingLines(chunks: AsyncIterable<Buffer>, count: number, onSkipped: (first: string) => void): AsyncGenerator<Buffer> {
  const skipper = new LeadingLineSkipper(count);
  let told = false;
  for await (const chunk of chunks) {
    const rest = skipper.done ? chunk : skipper.push(chunk);
    if (!told && skipper.done) {
      told = true;
      onSkipped(skipper.first());
    }
    if (rest.length > 0) yield rest;
  }
  if (!told) onSkipped(skipper.first());
}
