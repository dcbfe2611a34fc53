/**
 * The bundled fixtures through the whole read-map-validate path: the lead's end-to-end tests and the
 * demo rely on exactly these rows being rejected, at exactly these positions.
 */
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { InputFormat } from "../../../src/input/format.js";
import { readRecords } from "../../../src/input/read.js";
import { DuplicateTracker } from "../../../src/registrant/duplicates.js";
import { createRowMapper } from "../../../src/registrant/mapping.js";
import { validateRecord } from "../../../src/registrant/validate.js";

interface Outcome {
  accepted: number;
  rejected: Record<number, string>;
  firstNames: string[];
}

async function outcome(file: string, format: InputFormat): Promise<Outcome> {
  const path = fileURLToPath(new URL(`../../../fixtures/${file}`, import.meta.url));
  const mapper = createRowMapper();
  const duplicates = new DuplicateTracker();
  const result: Outcome = { accepted: 0, rejected: {}, firstNames: [] };
  for await (const record of readRecords(createReadStream(path), format, file)) {
    if (record.parseError !== undefined) {
      result.rejected[record.position] = record.parseError;
      continue;
    }
    const validation = validateRecord(record.fields, mapper.mappingFor(record.fields));
    if (!validation.ok) {
      result.rejected[record.position] = validation.reasons.join("; ");
      continue;
    }
    const first = duplicates.check(validation.registrant.email, record.position);
    if (first !== undefined) {
      result.rejected[record.position] = `duplicate of line ${first}`;
      continue;
    }
    result.accepted++;
    result.firstNames.push(validation.registrant.first_name);
  }
  return result;
}

describe("fixtures", () => {
  it("rejects exactly the planted bad rows of registrants.csv", async () => {
    const { accepted, rejected } = await outcome("registrants.csv", "csv");
    expect(rejected).toEqual({
      23: 'email: no "@" (not-an-email): check the address',
      27: "first_name: missing",
      30: "first_name: longer than 64 characters (66)",
      33: "duplicate of line 2",
      37: 'email: 2 "@" signs (emma@@example.org): an address has one',
      42: "duplicate of line 24",
    });
    expect(accepted).toBe(44);
  });

  it("reads the unicode, quoted and multi-line cells of registrants.csv intact", async () => {
    const { firstNames } = await outcome("registrants.csv", "csv");
    expect(firstNames).toEqual(expect.arrayContaining(["Zoë", "José", "Siobhán", "伟", "민준", "Ольга"]));
  });

  it("rejects exactly the planted bad record of registrants.ndjson", async () => {
    expect(await outcome("registrants.ndjson", "ndjson")).toMatchObject({ accepted: 4, rejected: { 3: 'email: no "@" (broken-address.example.com): check the address' } });
  });

  it("rejects exactly the planted bad record of registrants.json", async () => {
    expect(await outcome("registrants.json", "json")).toMatchObject({ accepted: 4, rejected: { 3: "first_name: missing" } });
  });
});
