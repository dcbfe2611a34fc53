/**
 * The input of a push as records, for the single-event run, the run of many events and the dry run:
 * the file (or stdin) parsed, or push()'s objects as they come; and what reading it a second time
 * decides (whether a status column found by its name is the desired state).
 */
import type { Logger } from "pino";
import type { Readable } from "node:stream";
import { InputError, ZoomregError } from "../errors.js";
import { describeLayout, layoutLogLevel, openInputFile, readRecords, type InputLayout, type RawRecord } from "../input/index.js";
import { describeJsonValue, isJsonObject } from "../input/text.js";
import { missingScope } from "../preflight/scopes.js";
import type { PushOptions } from "../push/run-push.js";
import { judgeStatusColumn } from "../push/status-column.js";
import type { EventKind } from "../zoom/index.js";
import { resolveIn } from "./output-paths.js";
import type { PushRecords, PushSettings } from "./options.js";

/** What opening the input needs of the host: where relative paths start, stdin for `-`, and who hears of the layout. */
export interface RecordsHost {
  cwd: string;
  stdin?: NodeJS.ReadableStream | Readable;
  onLayout?: (layout: InputLayout) => void;
}

/** The records of the input: parsed from the file (or stdin), or the caller's objects as they come. */
export async function openRecords(settings: PushSettings, host: RecordsHost, dryRun: boolean, logger: Logger): Promise<AsyncIterable<RawRecord>> {
  const { input } = settings;
  if (input.kind === "records") return fromObjects(input.records);
  const stream = input.file === "-" ? host.stdin : await openInputFile(resolveIn(host.cwd, input.file));
  if (stream === undefined) throw new Error("unreachable: - is refused without stdin");
  return readRecords(stream, input.format, input.file === "-" ? "stdin" : input.file, {
    encoding: input.encoding,
    ...input.layout,
    // The dry run says how the file was read (its delimiter, a .json read as NDJSON) before the mapping; a run logs it, a skipped footer loud enough to see.
    onLayout: (found) => (dryRun && host.onLayout !== undefined ? host.onLayout(found) : logger[layoutLogLevel(found)](found, describeLayout(found))),
  });
}

/** The first record (undefined for an empty input) and every record, the first included, read once. */
export async function peekFirst(records: AsyncIterable<RawRecord>): Promise<{ first: RawRecord | undefined; records: AsyncIterable<RawRecord> }> {
  const iterator = records[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first = head.done === true ? undefined : head.value;
  async function* all(): AsyncGenerator<RawRecord> {
    if (first === undefined) return;
    yield first;
    try {
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { first, records: all() };
}

/**
 * The caller's objects as records, the n-th at position n. One that is not an object is an invalid
 * row, as a JSON array's would be; a failure of the caller's iterable (a database cursor that breaks)
 * ends the input as a broken line ends a file: the rows before it are still sent and recorded, then
 * the run stops with an InputError.
 */
export async function* fromObjects(records: PushRecords): AsyncGenerator<RawRecord> {
  let position = 0;
  try {
    for await (const value of records as AsyncIterable<unknown>) {
      position += 1;
      yield isJsonObject(value) ? { position, fields: value } : { position, fields: {}, parseError: `expected an object, found ${describeJsonValue(value)}` };
    }
  } catch (error) {
    if (error instanceof ZoomregError) throw error;
    throw new InputError(`records: reading record ${position + 1} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: "fix what feeds the records",
    });
  }
}

/** What a run (or its plan) needs to change statuses safely, for an event's kind and the token's scopes. */
export type StatusOptionsFor = (kind: EventKind, grantedScopes: readonly string[] | undefined) => Pick<PushOptions, "decideStatusColumn" | "statusScopeMissing">;

/**
 * Made once per run: whether a status column found by its name is the desired state (every value a
 * status word: the input is read a second time for it, once per column however many events ask), and
 * the status scope the token lacks for the event's kind when its scopes are known.
 */
export function statusOptionsFor(settings: PushSettings, host: RecordsHost): StatusOptionsFor {
  const judged = new Map<string, ReturnType<typeof judgeStatusColumn>>();
  const decideStatusColumnOnce = (column: string): ReturnType<typeof judgeStatusColumn> => {
    let decided = judged.get(column);
    if (decided === undefined) {
      decided = decideStatusColumn(settings, host, column);
      judged.set(column, decided);
    }
    return decided;
  };
  return (kind, grantedScopes) => {
    const lacking = missingScope(grantedScopes, "updateStatus", kind);
    return { decideStatusColumn: decideStatusColumnOnce, ...(lacking === undefined ? {} : { statusScopeMissing: lacking }) };
  };
}

async function decideStatusColumn(settings: PushSettings, host: RecordsHost, column: string): ReturnType<typeof judgeStatusColumn> {
  const { input } = settings;
  if (input.kind === "records") {
    if (Array.isArray(input.records)) return judgeStatusColumn(fromObjects(input.records), column);
    return { use: false, reason: "records from an iterable cannot be read twice to check every value" };
  }
  if (input.file === "-") return { use: false, reason: "stdin cannot be read twice to check every value" };
  const stream = await openInputFile(resolveIn(host.cwd, input.file));
  return judgeStatusColumn(readRecords(stream, input.format, input.file, { encoding: input.encoding, ...input.layout }), column);
}
