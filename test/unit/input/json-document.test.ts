import { describe, expect, it } from "vitest";
import { JsonArrayShapeError } from "../../../src/input/json-array.js";
import {
  JsonObjectWalker,
  jsonPathError,
  jsonPathHint,
  parseJsonPath,
  sniffJsonLayout,
  wrappedArrayError,
  type ArrayFound,
} from "../../../src/input/json-document.js";
import { thrown } from "../../helpers/thrown.js";

describe("sniffJsonLayout", () => {
  it.each([
    { name: "an array", text: '[{"a":1}]', complete: true, layout: "array" },
    { name: "an array after a BOM and blank lines", text: '\uFEFF\n\n [{"a":1}', complete: false, layout: "array" },
    { name: "mongoexport's one object per line", text: '{"a":1}\n{"a":2}\n', complete: true, layout: "lines" },
    { name: "one object per line, CRLF", text: '{"a":1}\r\n{"a":2}', complete: false, layout: "lines" },
    { name: "one object per line, blank lines between", text: '{"a":1}\n\n  \n{"a":2}', complete: false, layout: "lines" },
    { name: "one object per line, braces in strings", text: '{"a":"}{\\""}\n{"a":2}', complete: false, layout: "lines" },
    { name: "a pretty-printed object", text: '{\n  "data": [\n', complete: false, layout: "document" },
    { name: "an object on one line, alone", text: '{"data":[{"a":1}]}\n', complete: true, layout: "document" },
    { name: "an object on one line without a newline", text: '{"data":[]}', complete: true, layout: "document" },
    { name: "an object, then a comma", text: '{"a":1}\n,{"a":2}', complete: false, layout: "document" },
    { name: "an object whose first line holds more", text: '{"a":1} x\n{"a":2}', complete: false, layout: "document" },
    { name: "an empty input", text: " \n", complete: true, layout: "array" },
    { name: "a string, for the splitter to refuse", text: '"a"', complete: true, layout: "array" },
  ])("calls $name $layout", ({ text, complete, layout }) => {
    expect(sniffJsonLayout(text, complete)).toBe(layout);
  });

  it.each([
    { name: "nothing yet", text: "  " },
    { name: "a first line not ended", text: '{"a":1' },
    { name: "a first object and no next line yet", text: '{"a":1}\n  ' },
  ])("waits for more text after $name", ({ text }) => {
    expect(sniffJsonLayout(text, false)).toBeUndefined();
  });

  it("stops waiting at a first line of a mebibyte: a compact document", () => {
    expect(sniffJsonLayout(`{"data":[${'{"a":1},'.repeat(150_000)}`, false)).toBe("document");
  });
});

describe("parseJsonPath", () => {
  it.each([
    ["data", ["data"]],
    ["result.rows", ["result", "rows"]],
    [".data", ["data"]],
    ["$.result.rows", ["result", "rows"]],
    [" data ", ["data"]],
  ])("reads %j as %j", (raw, keys) => {
    expect(parseJsonPath(raw)).toEqual(keys);
  });

  it.each([[""], ["."], ["a..b"], ["data."], ["$."]])("refuses %j", (raw) => {
    expect(parseJsonPath(raw)).toBeUndefined();
  });
});

function walk(chunks: readonly string[], target?: string[]): { texts: string[]; walker: JsonObjectWalker } {
  const walker = new JsonObjectWalker(target);
  const texts = chunks.flatMap((chunk) => walker.push(chunk).map((element) => element.text));
  walker.end();
  return { texts, walker };
}

const wrapped = '{\n  "meta": {"page": 1, "tags": ["a", "b"]},\n  "data": [\n    {"email": "a@x.org"},\n    {"email": "b@x.org", "q": [{"t": "x"}]}\n  ],\n  "errors": [],\n  "next": null\n}\n';

describe("JsonObjectWalker", () => {
  it("reads the array at the path, element by element", () => {
    expect(walk([wrapped], ["data"]).texts).toEqual(['{"email": "a@x.org"}', '{"email": "b@x.org", "q": [{"t": "x"}]}']);
  });

  it("reads an array nested in objects", () => {
    expect(walk(['{"result": {"count": 2, "rows": [{"a": 1}, {"a": 2}]}}'], ["result", "rows"]).texts).toEqual(['{"a": 1}', '{"a": 2}']);
  });

  it("reads a key with escapes as JSON spells it", () => {
    expect(walk(['{"da\\u0074a": [{"a": 1}]}'], ["data"]).texts).toEqual(['{"a": 1}']);
  });

  it("does not take a key under an array for the path", () => {
    const { texts, walker } = walk(['{"list": [{"data": [{"a": 1}]}], "data": [{"b": 2}]}'], ["data"]);
    expect(texts).toEqual(['{"b": 2}']);
    expect(walker.found).toBe("an array");
  });

  it("numbers the elements and the lines they start on, in the file", () => {
    const walker = new JsonObjectWalker(["data"]);
    expect(walker.push(wrapped).map(({ index, line }) => ({ index, line }))).toEqual([
      { index: 1, line: 4 },
      { index: 2, line: 5 },
    ]);
  });

  it("gives the same elements and survey wherever a chunk boundary falls", () => {
    const whole = walk([wrapped], ["data"]);
    for (let cut = 0; cut <= wrapped.length; cut++) {
      const parts = walk([wrapped.slice(0, cut), wrapped.slice(cut)], ["data"]);
      expect(parts.texts).toEqual(whole.texts);
      expect(parts.walker.arraysFound()).toEqual(whole.walker.arraysFound());
    }
  });

  it("reads one character at a time", () => {
    expect(walk([...wrapped], ["data"]).texts).toHaveLength(2);
  });

  it("surveys the arrays a path can name, arrays of objects first, then by size", () => {
    expect(walk([wrapped]).walker.arraysFound()).toEqual([
      { path: "data", count: 2, objects: 2 },
      { path: "errors", count: 0, objects: 0 },
      { path: "meta.tags", count: 2, objects: 0 },
    ]);
  });

  it.each([
    { name: "a string", text: '{"data": "x"}', found: "a string" },
    { name: "an object", text: '{"data": {"rows": []}}', found: "an object" },
    { name: "null", text: '{"data": null}', found: "null" },
    { name: "a number", text: '{"data": -1}', found: "a number" },
    { name: "nothing", text: '{"rows": []}', found: undefined },
  ])("tells what the path holds when it is $name", ({ text, found }) => {
    expect(walk([text], ["data"]).walker.found).toBe(found);
  });

  it.each([
    { name: "a trailing comma in the object", text: '{"a": 1,}', message: 'expected a key, found "}"', line: 1 },
    { name: "a trailing comma in an array", text: '{"a": [1,]}', message: 'expected a value, found "]"', line: 1 },
    { name: "a missing colon", text: '{"a" 1}', message: "expected ':', found \"1\"", line: 1 },
    { name: "a mismatched bracket", text: '{"a": [1}', message: 'expected \',\' or \']\', found "}"', line: 1 },
    { name: "an unquoted key", text: "{a: 1}", message: 'expected a key, found "a"', line: 1 },
    { name: "a second object", text: '{"a": 1}\n\n{"a": 2}', message: "unexpected \"{\" after the JSON object's closing '}'", line: 3 },
    { name: "a cut file", text: '{"a": [1, 2', message: "the JSON object is not closed: the input ends inside it (truncated file?)", line: 1 },
    { name: "a file cut inside the array read", text: '{"data": [{"a": 1},\n{"b"', message: "the JSON array is not closed: the input ends inside record 2 (truncated file?)", line: 2 },
    { name: "an error inside the array read", text: '{"data": [{"a": 1}\n{"b": 2}]}', message: "expected ',' or ']' after record 1, found \"{\"", line: 2 },
    { name: "an error after the array read", text: '{"data": [{"a": 1}]\n "b": 2}', message: 'expected \',\' or \'}\', found "\\""', line: 2 },
  ])("refuses $name", ({ text, message, line }) => {
    const error = thrown(JsonArrayShapeError, () => walk([text], ["data"]));
    expect(error.message).toBe(message);
    expect(error.line).toBe(line);
  });

  it("hints at NDJSON when a second object follows the first", () => {
    expect(thrown(JsonArrayShapeError, () => walk(['{"a": 1}\n{"a": 2}'])).hint).toBe("one JSON object per line? pass --format ndjson");
  });
});

describe("the messages for an object", () => {
  const data: ArrayFound = { path: "data", count: 120, objects: 120 };
  const errors: ArrayFound = { path: "errors", count: 2, objects: 2 };
  const tags: ArrayFound = { path: "meta.tags", count: 3, objects: 0 };
  const one: ArrayFound = { path: "result.rows", count: 1, objects: 1 };

  it.each([
    { arrays: [data], hint: 'pass --json-path data (its "data" holds 120 records)' },
    { arrays: [data, tags, errors], hint: 'pass --json-path data (its "data" holds 120 records; "errors" holds 2 records)' },
    { arrays: [one], hint: 'pass --json-path result.rows (its "result.rows" holds 1 record)' },
    { arrays: [tags], hint: "zoomreg reads an array of objects ([{...}, {...}]), one object per line (NDJSON), or an array inside an object through --json-path" },
  ])("hints $hint", ({ arrays, hint }) => {
    expect(jsonPathHint(arrays)).toBe(hint);
  });

  it("refuses an object without --json-path, naming the path", () => {
    expect(wrappedArrayError([data])).toMatchObject({ message: "the JSON is an object, not an array", hint: 'pass --json-path data (its "data" holds 120 records)' });
  });

  it("refuses an object without arrays of records as one object", () => {
    expect(wrappedArrayError([tags]).message).toBe("the JSON is one object, not an array of records");
  });

  it.each([
    { found: undefined, message: '--json-path rows: the JSON has nothing at "rows"' },
    { found: "an object", message: '--json-path rows: "rows" holds an object, not an array' },
  ])("refuses a path to $found", ({ found, message }) => {
    expect(jsonPathError("rows", found, [data])).toMatchObject({ message, hint: 'pass --json-path data (its "data" holds 120 records)' });
  });
});
