import type { Readable } from "node:stream";

/** What a command may touch of the process: passed in, so commands are testable in-process. */
export interface CliIo {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdin: Readable;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on the first SIGINT/SIGTERM; `reason` is the signal name. */
  signal: AbortSignal;
}
