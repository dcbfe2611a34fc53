/**
 * Whether a column found by its name ("Status") is the desired state (issue 17). Exports carry
 * columns of that name that mean something else (a Salesforce campaign member's Sent or Responded, a
 * CRM's TRUE/FALSE): such a column is read as the desired state only when every value in it is a
 * status word or empty, and left alone otherwise. `--map status=<column>` says so outright.
 */
import type { RawRecord } from "../input/index.js";
import { valueAt } from "../registrant/index.js";
import { isStatusWord } from "./desired.js";

export type StatusColumnVerdict = { use: true } | { use: false; reason: string };

/** Reads every record (a second pass over the input) for the first value that is not a status word. */
export async function judgeStatusColumn(records: AsyncIterable<RawRecord> | Iterable<RawRecord>, column: string): Promise<StatusColumnVerdict> {
  for await (const record of records) {
    if (record.parseError !== undefined) continue;
    const value = valueAt(record.fields, column);
    if (!isStatusWord(value)) return { use: false, reason: `line ${record.position} holds ${JSON.stringify(value)}, not a status` };
  }
  return { use: true };
}
