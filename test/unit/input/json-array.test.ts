import { describe, expect, it } from "vitest";
import { RecordTooLargeError } from "../../../src/input/format.js";
import { JsonArrayShapeError, JsonArraySplitter } from "../../../src/input/json-array.js";
import { thrown } from "../../helpers/thrown.js";

function split(chunks: readonly string[]): string[] {
  const splitter = new JsonArraySplitter();
  const texts = chunks.flatMap((chunk) => splitter.push(chunk).map((element) => element.text));
  splitter.end();
  return texts;
}

/** Every way of cutting `text` into two chunks gives the same elements as reading it whole. */
function splitAtEveryPoint(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, cut) => split([text.slice(0, cut), text.slice(cut)]));
}

const shapeError = (chunks: readonly string[]): JsonArrayShapeError => thrown(JsonArrayShapeError, () => split(chunks));

describe("JsonArraySplitter", () => {
  it.each([
    { name: "an empty array", text: "[]", elements: [] },
    { name: "an array with whitespace around", text: " \n[ ]\n ", elements: [] },
    { name: "two flat objects", text: '[{"a":1},{"b":2}]', elements: ['{"a":1}', '{"b":2}'] },
    { name: "a leading byte order mark", text: '\uFEFF[{"a":1}]', elements: ['{"a":1}'] },
    { name: "nested objects and arrays", text: '[{"a":{"b":[1,{"c":[]}]}}]', elements: ['{"a":{"b":[1,{"c":[]}]}}'] },
    { name: "brackets and commas inside strings", text: '[{"a":"]},{["}]', elements: ['{"a":"]},{["}'] },
    { name: "escaped quotes and backslashes", text: '[{"a":"x\\"]\\\\"},{"b":"\\\\"}]', elements: ['{"a":"x\\"]\\\\"}', '{"b":"\\\\"}'] },
    { name: "unicode escapes", text: '[{"a":"\\u005d"}]', elements: ['{"a":"\\u005d"}'] },
    { name: "bare literals, kept for the reader to reject", text: "[1, true ,null,\"s\",[2]]", elements: ["1", "true", "null", '"s"', "[2]"] },
    { name: "pretty-printed CRLF objects", text: '[\r\n  {\r\n    "a": 1\r\n  },\r\n  {"b": 2}\r\n]\r\n', elements: ['{\r\n    "a": 1\r\n  }', '{"b": 2}'] },
  ])("splits $name", ({ text, elements }) => {
    expect(split([text])).toEqual(elements);
  });

  it.each([
    '[{"a":"]},{[\\""},{"b":[1,2]}]',
    '[ 12 , {"x":"y"} , "z" ]',
    '\uFEFF[{"name":"Zoë Ångström"}]',
  ])("gives the same elements wherever a chunk boundary falls in %s", (text) => {
    const whole = split([text]);
    for (const elements of splitAtEveryPoint(text)) expect(elements).toEqual(whole);
  });

  it("reads one character at a time", () => {
    const text = '[{"a":"b\\"c"},{"d":[{}]}]';
    expect(split([...text])).toEqual(['{"a":"b\\"c"}', '{"d":[{}]}']);
  });

  it("numbers elements from 1 and records the line each starts on", () => {
    const splitter = new JsonArraySplitter();
    const elements = splitter.push('[\n{"a":1},\n\n{"b":\n2}]');
    expect(elements.map(({ index, line }) => ({ index, line }))).toEqual([
      { index: 1, line: 2 },
      { index: 2, line: 4 },
    ]);
  });

  it("counts a newline after a bare literal once", () => {
    const splitter = new JsonArraySplitter();
    const elements = splitter.push("[1\n,\n{}]");
    expect(elements.map((element) => element.line)).toEqual([1, 3]);
  });

  it.each([
    { name: "an object at the top", chunks: ['{"people":[]}'], message: 'expected a JSON array of objects, found "{"', line: 1 },
    { name: "an empty input", chunks: [""], message: "the input is empty: expected a JSON array of objects", line: 1 },
    { name: "whitespace only", chunks: ["\n \n"], message: "the input is empty: expected a JSON array of objects", line: 3 },
    { name: "a file cut inside a record", chunks: ['[{"a":1},\n{"b":'], message: "the JSON array is not closed: the input ends inside record 2 (truncated file?)", line: 2 },
    { name: "a file cut inside a string", chunks: ['[{"a":"]'], message: "the JSON array is not closed: the input ends inside record 1 (truncated file?)", line: 1 },
    { name: "a file cut between records", chunks: ['[{"a":1},'], message: "the JSON array is not closed: the input ends after record 1 (truncated file?)", line: 1 },
    { name: "a trailing comma", chunks: ['[{"a":1},]'], message: "a comma before ']' (trailing comma)", line: 1 },
    { name: "a missing comma", chunks: ['[{"a":1}\n{"b":2}]'], message: 'expected \',\' or \']\' after record 1, found "{"', line: 2 },
    { name: "content after the array", chunks: ["[]\n[]"], message: 'unexpected "[" after the array\'s closing \']\'', line: 2 },
    { name: "a mismatched bracket", chunks: ['[{"a":[1}]'], message: 'record 1: "}" does not close "["', line: 1 },
  ])("refuses $name", ({ chunks, message, line }) => {
    const error = shapeError(chunks);
    expect(error.message).toBe(message);
    expect(error.line).toBe(line);
  });

  it.each([
    { name: "after the closing bracket", chunks: ['[{"a":1}] , "next": 2}'], rest: ' , "next": 2}' },
    { name: "in the chunk that closes", chunks: ['[{"a":1}', ']}\n'], rest: "}\n" },
    { name: "after a bare literal", chunks: ["[1]}"], rest: "}" },
  ])("embedded, stops at the array's end and keeps what follows $name", ({ chunks, rest }) => {
    const splitter = new JsonArraySplitter({ embedded: true });
    for (const chunk of chunks) splitter.push(chunk);
    expect(splitter.rest).toBe(rest);
    expect(splitter.count).toBe(1);
  });

  it("embedded, starts counting lines where the array starts", () => {
    const splitter = new JsonArraySplitter({ line: 7, embedded: true });
    expect(splitter.push('[\n{"a":1}]').map((element) => element.line)).toEqual([8]);
    expect(splitter.currentLine).toBe(8);
  });

  it("hints at NDJSON or an array when the top level is an object", () => {
    expect(shapeError(["{}"]).hint).toMatch(/top-level array .* or NDJSON/);
  });
});

describe("JsonArraySplitter with a bound", () => {
  /** The elements handed out, and the line of the record refused (undefined when none was). */
  function splitBounded(chunks: readonly string[], maxElementChars: number): { texts: string[]; refusedLine: number | undefined } {
    const splitter = new JsonArraySplitter({ maxElementChars });
    const texts: string[] = [];
    try {
      for (const chunk of chunks) {
        texts.push(...splitter.push(chunk).map((element) => element.text));
        splitter.check();
      }
      splitter.end();
      return { texts, refusedLine: undefined };
    } catch (error) {
      if (!(error instanceof RecordTooLargeError)) throw error;
      return { texts, refusedLine: error.line };
    }
  }

  it.each([
    { name: "records within the bound", chunks: ['[{"a":1},\n{"b":2}]'], texts: ['{"a":1}', '{"b":2}'], refusedLine: undefined },
    { name: "a record past the bound in the same chunk as one that fits", chunks: ['[{"a":1},\n{"b":"xxxxxxxx"},\n{"c":3}]'], texts: ['{"a":1}'], refusedLine: 2 },
    { name: "a record that passes the bound across chunks", chunks: ['[{"a":1},\n{"b":"xx', "xxxx", 'xx"}]'], texts: ['{"a":1}'], refusedLine: 2 },
    { name: "a string element past the bound", chunks: ['[{"a":1},"xxxxxxxxxx"]'], texts: ['{"a":1}'], refusedLine: 1 },
  ])("hands out the records before $name, then refuses it with its line", ({ chunks, texts, refusedLine }) => {
    expect(splitBounded(chunks, 10)).toEqual({ texts, refusedLine });
  });
});
