import { describe, expect, it } from "vitest";
import { parseNdjsonLine } from "../../../src/input/ndjson.js";

describe("parseNdjsonLine", () => {
  it("reads an object line as the record's fields", () => {
    expect(parseNdjsonLine('{"email":"a@example.com","n":1}', 3)).toEqual({ position: 3, fields: { email: "a@example.com", n: 1 } });
  });

  it.each(["", "   ", "\t"])("skips a blank line %j", (line) => {
    expect(parseNdjsonLine(line, 1)).toBeUndefined();
  });

  it("drops a byte order mark at the start of the line", () => {
    expect(parseNdjsonLine('\uFEFF{"a":"b"}', 1)).toEqual({ position: 1, fields: { a: "b" } });
  });

  it("rejects a line that is not valid JSON with its line number", () => {
    const record = parseNdjsonLine('{"email": ', 7);
    expect(record?.position).toBe(7);
    expect(record?.parseError).toMatch(/^not valid JSON: /);
  });

  it.each([
    ["[1,2]", "an array"],
    ["null", "null"],
    ['"text"', "a string"],
    ["42", "a number"],
  ])("rejects a line holding %s as %s", (line, kind) => {
    expect(parseNdjsonLine(line, 2)).toEqual({ position: 2, fields: {}, parseError: `expected a JSON object, found ${kind}`, unparsed: line });
  });

  it("keeps a __proto__ key as plain data", () => {
    const record = parseNdjsonLine('{"__proto__":{"polluted":true}}', 1);
    expect(Object.getPrototypeOf(record?.fields)).toBe(Object.prototype);
    expect(Object.keys(record?.fields ?? {})).toEqual(["__proto__"]);
  });
});
