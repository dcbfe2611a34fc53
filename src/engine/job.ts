/**
 * What a push is given and gives back, shared by the kinds of run (run-job.ts decides which; one event,
 * or many in run-events.ts): the host's part, the outcome, and what every run is handed.
 */
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { ZoomregError } from "../errors.js";
import type { InputLayout, RawRecord } from "../input/index.js";
import type { Network } from "../network/load-network.js";
import type { ZoomSession } from "../network/zoom-session.js";
import type { OutputRow } from "../output/index.js";
import type { PlanEntry } from "../push/run-push.js";
import type { ColumnMapping, RegistrantBody } from "../registrant/index.js";
import type { PushEnv, PushSettings } from "./options.js";
import type { DryRunSummary, PushRunSummary } from "./summary.js";

/** What the caller of the engine provides beyond the options: the CLI's process, or push()'s defaults. */
export interface PushHost {
  /** Used when the options carry no `env`. */
  env: PushEnv;
  /** Relative paths are resolved against it. */
  cwd: string;
  /** `zoomreg/<version>` in the User-Agent. */
  version: string;
  /** zoomreg's log, when the options carry no logger. */
  logger: Logger;
  /** `-` as the file reads this (the CLI's stdin); absent, `-` is refused. */
  stdin?: NodeJS.ReadableStream | Readable;
  /** `-` as out writes rows here (the CLI's stdout); absent, `-` is refused. */
  stdout?: NodeJS.WritableStream;
  /** A dry run's report as it goes (the CLI prints them): how the file was read, the mapping, each row it would send. */
  onLayout?: (layout: InputLayout) => void;
  onMapping?: (mapping: ColumnMapping) => void;
  onWouldSend?: (line: number, body: RegistrantBody) => void;
  /** A dry run against Zoom's list: what the real run would do to each person. */
  onPlan?: (entry: PlanEntry) => void;
  /** The CLI's progress display: told when rows start and stop, and the file's row count once counted. */
  progress?: {
    start(): void;
    setTotalRows(rows: number | undefined): void;
    finish(): void;
    /** A run of many events (issue 20): how many of the events seen so far are pushing and done. */
    setEvents?(events: { seen: number; pushing: number; done: number }): void;
  };
}

export type PushOutcome =
  | { dryRun: true; summary: DryRunSummary; exitCode: number }
  | {
      dryRun: false;
      summary: PushRunSummary;
      exitCode: number;
      /** What stopped the run for every row (credentials, the event, Zoom down, a broken input line), said with what was done. */
      fatalError: ZoomregError | undefined;
      /** The caller's signal stopped the run (the rows in flight were finished and written). */
      interrupted: boolean;
      /** The rows went to the host's stdout (`out: "-"`). */
      rowsOnStdout: boolean;
    };

/** What every kind of run is given: the options, the host, the log, the signal, the session, the input and who hears of each row. */
export interface JobBasics {
  settings: PushSettings;
  host: PushHost;
  env: PushEnv;
  logger: Logger;
  signal: AbortSignal;
  network: Network;
  session: ZoomSession;
  /** The input's records, the first one included. */
  records: AsyncIterable<RawRecord>;
  onRow: (row: OutputRow, sentThisRun: boolean) => void;
}
