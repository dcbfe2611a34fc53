// Registrant CSVs of any size, written as a stream (a bounded chunk at a time, waiting for the file to
// drain), so generating a million rows costs this process no more memory than a hundred.
/* global Buffer */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Rows per write: big enough that the loop is cheap, small enough to stay a few hundred KB. */
const rowsPerChunk = 5_000;

/**
 * Writes `rowCount` valid, distinct registrants (email, first_name, last_name) to `path`.
 * `tag` keeps emails of different runs apart: the same `rowCount` and `tag` give the same people.
 * `leadingRow`, when given, goes first with an `org` column (empty in every other row, which zoomreg
 * leaves out), so it needs a single add where the others can go in batches.
 * @param {string} path
 * @param {number} rowCount
 * @param {string} tag
 * @param {{ leadingRow?: { email: string, firstName: string, lastName: string, org: string } }} [options]
 * @returns {Promise<number>} bytes written
 */
export async function writeRegistrantsCsv(path, rowCount, tag, { leadingRow } = {}) {
  const stream = createWriteStream(path, { mode: 0o600 });
  let bytes = 0;
  const write = async (/** @type {string} */ text) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, "drain");
  };
  const orgColumn = leadingRow === undefined ? "" : ",";
  await write(`email,first_name,last_name${leadingRow === undefined ? "" : ",org"}\n`);
  if (leadingRow !== undefined) await write(`${leadingRow.email},${leadingRow.firstName},${leadingRow.lastName},${leadingRow.org}\n`);
  for (let first = 1; first <= rowCount; first += rowsPerChunk) {
    const lines = [];
    for (let row = first; row < Math.min(first + rowsPerChunk, rowCount + 1); row += 1) {
      lines.push(`${tag}-${row}@example.com,Ada${row},Lovelace${orgColumn}\n`);
    }
    await write(lines.join(""));
  }
  stream.end();
  await once(stream, "finish");
  return bytes;
}

/**
 * An export of many events (issue 20): `rowCount` distinct people, row r for event r mod the count
 * (interleaved, as an export sorted by person is: every event open at once), in `meeting_id` or
 * `webinar_id`; every `singleEvery`-th row fills `org`, which Zoom's batch add cannot take, so it
 * goes as a single add (Light) while the others go in batches (Heavy).
 * @param {string} path
 * @param {number} rowCount
 * @param {readonly { kind: "meeting" | "webinar", id: string }[]} events
 * @param {number} singleEvery
 * @returns {Promise<{ batchRowsByEvent: number[], singleRows: number }>}
 */
export async function writeEventsCsv(path, rowCount, events, singleEvery) {
  const stream = createWriteStream(path, { mode: 0o600 });
  const write = async (/** @type {string} */ text) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  const batchRowsByEvent = events.map(() => 0);
  let singleRows = 0;
  await write("email,first_name,last_name,meeting_id,webinar_id,org\n");
  for (let first = 1; first <= rowCount; first += rowsPerChunk) {
    const lines = [];
    for (let row = first; row < Math.min(first + rowsPerChunk, rowCount + 1); row += 1) {
      const index = row % events.length;
      const event = events[index];
      const single = row % singleEvery === 0;
      if (single) singleRows += 1;
      else batchRowsByEvent[index] = (batchRowsByEvent[index] ?? 0) + 1;
      lines.push(`events-${row}@example.com,Ada${row},Lovelace,${event?.kind === "meeting" ? event.id : ""},${event?.kind === "webinar" ? event.id : ""},${single ? `Org ${row}` : ""}\n`);
    }
    await write(lines.join(""));
  }
  stream.end();
  await once(stream, "finish");
  return { batchRowsByEvent, singleRows };
}
