import type { Readable } from "node:stream";

/** What a command may touch of the process: passed in, so commands are testable in-process. */
export interface CliIo {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdin: Readable;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on the first SIGINT/SIGTERM; `reason` is the signal name. */
  signal: AbortSignal;
  /**
   * What the process does when stdout's reader leaves (EPIPE), once the command knows what it runs.
   * "stop", the default: exit 0 at once, quietly, as a dry run piped into `head` should. "finish":
   * the command goes on and exits with its own code, as a push must (its exit code says what became
   * of the rows, whoever reads its summary). Absent where no process owns stdout (in-process tests).
   */
  whenStdoutCloses?: (policy: StdoutClosedPolicy) => void;
}

export type StdoutClosedPolicy = "stop" | "finish";
