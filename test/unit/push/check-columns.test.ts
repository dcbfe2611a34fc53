import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { RawRecord } from "../../../src/input/index.js";
import { createColumnChecker } from "../../../src/preflight/columns.js";
import { createRowChecker } from "../../../src/preflight/form.js";
import type { ColumnMapping } from "../../../src/registrant/mapping.js";
import { ok, runCollecting } from "./helpers.js";

/** The preflight's column check threaded through runPush (issue 12): a file-wide mistake stops the run once, before anything is sent. */

const rows: RawRecord[] = Array.from({ length: 50 }, (_, index) => ({ position: index + 2, fields: { email: `p${index}@example.com`, first_name: `P${index}`, Shirt: "M" } }));
const form = { questions: [], custom_questions: [{ title: "T-shirt size", type: "short", required: true, answers: [] }] };
const requiresShirt = createColumnChecker(form);

describe("runPush with checkColumns", () => {
  it("throws the one error on the first record: nothing sent, no row written, the mapping shown first", async () => {
    const add = vi.fn(ok);
    const seen: ColumnMapping[] = [];
    const writeRow = vi.fn();
    const error = await runCollecting({ records: rows, addRegistrant: add, checkColumns: requiresShirt, onMapping: (mapping) => seen.push(mapping), writeRow }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('the form requires "T-shirt size" and no column carries it');
    expect((error as ConfigError).hint).toBe('pass --question "T-shirt size=Shirt"');
    expect(add).not.toHaveBeenCalled();
    expect(writeRow).not.toHaveBeenCalled();
    expect(seen).toHaveLength(1);
  });

  it("asks once, and sends every row when the columns fit", async () => {
    const check = vi.fn(requiresShirt);
    const { summary } = await runCollecting({ records: rows, checkColumns: check, mapping: { overrides: { fields: {}, questions: [{ title: "T-shirt size", column: "Shirt" }] } } });
    expect(check).toHaveBeenCalledTimes(1);
    expect(summary.counts.registered).toBe(50);
  });

  it("leaves a blank answer in an existing column to its row", async () => {
    const blank = rows.map((row, index) => (index === 3 ? { ...row, fields: { ...row.fields, "question: T-shirt size": "" } } : { ...row, fields: { ...row.fields, "question: T-shirt size": "M" } }));
    const { summary, out } = await runCollecting({ records: blank, checkColumns: requiresShirt, checkRow: createRowChecker(form, { hostEmail: undefined }) });
    expect(summary.counts).toMatchObject({ registered: 49, invalid: 1 });
    expect(out.filter((row) => row.status === "invalid").map((row) => [row.line, row.error_message])).toEqual([[5, 'question "T-shirt size": missing; the event requires an answer (column "question: T-shirt size")']]);
  });
});
