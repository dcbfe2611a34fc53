import type { RowStatus } from "../output/index.js";

/**
 * A one-line progress display on stderr for people running zoomreg by hand: a bar when the input's
 * size is known, rows done, rate, ETA, and counts per status. Nothing is drawn when stderr is not a
 * terminal (cron, CI, pipes) or with --quiet; colour follows NO_COLOR (https://no-color.org) and
 * --no-color. Redraws at most every `redrawMs`, so a fast run does not spend its time on the screen.
 */
export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  colour: boolean;
  nowMs: () => number;
  /** Input size in bytes, when known (a file), to draw a bar and an ETA. */
  totalBytes: number | undefined;
  redrawMs?: number;
}

const statusColour: Partial<Record<RowStatus, string>> = {
  registered: "32",
  existing: "36",
  pending_approval: "36",
  deferred: "33",
  failed: "31",
  invalid: "31",
  duplicate: "33",
};

export class Progress {
  private readonly counts = new Map<RowStatus, number>();
  private rows = 0;
  private bytesRead = 0;
  private lastDrawMs = 0;
  private drawn = false;
  private readonly startedMs: number;
  private totalBytes: number | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.startedMs = options.nowMs();
    this.totalBytes = options.totalBytes;
  }

  /** Whether a display should be shown at all for this stream and these flags. */
  static wanted(stream: { isTTY?: boolean }, quiet: boolean): boolean {
    return stream.isTTY === true && !quiet;
  }

  row(status: RowStatus): void {
    this.rows += 1;
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
    this.maybeDraw();
  }

  setTotalBytes(totalBytes: number | undefined): void {
    this.totalBytes = totalBytes;
  }

  bytes(count: number): void {
    this.bytesRead += count;
  }

  /** Erases the line so that something else (a log line, the summary) can be printed cleanly. */
  clear(): void {
    if (!this.drawn) return;
    this.options.stream.write("\r\x1b[2K");
    this.drawn = false;
  }

  finish(): void {
    this.clear();
  }

  /** The line as it would be drawn now (pure apart from the clock: tested directly). */
  render(): string {
    const elapsedS = Math.max(0.001, (this.options.nowMs() - this.startedMs) / 1000);
    const ratePerSecond = this.rows / elapsedS;
    const parts: string[] = [];
    const total = this.totalBytes;
    if (total !== undefined && total > 0) {
      const share = Math.min(1, this.bytesRead / total);
      const width = 20;
      const filled = Math.round(share * width);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(share * 100)}%`);
      if (share > 0.01 && share < 1) parts.push(`ETA ${duration((elapsedS * (1 - share)) / share)}`);
    }
    parts.push(`${this.rows.toLocaleString("en-US")} rows`, `${ratePerSecond.toFixed(1)}/s`);
    const counts = [...this.counts.entries()].map(([status, count]) => this.paint(status, `${status.replace("_", " ")} ${count}`));
    return `${parts.join("  ")}  ${counts.join(" · ")}`;
  }

  private maybeDraw(): void {
    const nowMs = this.options.nowMs();
    if (nowMs - this.lastDrawMs < (this.options.redrawMs ?? 100)) return;
    this.lastDrawMs = nowMs;
    this.options.stream.write(`\r\x1b[2K${this.render()}`);
    this.drawn = true;
  }

  private paint(status: RowStatus, text: string): string {
    const code = statusColour[status];
    return this.options.colour && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** NO_COLOR (any non-empty value) and --no-color turn colour off; so does a non-terminal. */
export function colourWanted(env: Readonly<Record<string, string | undefined>>, flag: boolean, stream: { isTTY?: boolean }): boolean {
  return flag && stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}
