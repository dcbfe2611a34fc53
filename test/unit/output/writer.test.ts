import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RecordWriter } from "../../../src/output/index.js";
import { ConfigError } from "../../../src/errors.js";

interface Row {
  line: number;
  name: string;
}
const columns: (keyof Row)[] = ["line", "name"];
const dir = (): string => mkdtempSync(join(tmpdir(), "zoomreg-writer-"));

describe("RecordWriter", () => {
  it("creates the file readable by its owner only", () => {
    const path = join(dir(), "out.csv");
    RecordWriter.open<Row>(path, "csv", columns).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("narrows an existing world-readable file to the owner", () => {
    const path = join(dir(), "out.csv");
    writeFileSync(path, "old");
    chmodSync(path, 0o644);
    RecordWriter.open<Row>(path, "csv", columns).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("has each row in the file as soon as write returns", () => {
    const path = join(dir(), "out.ndjson");
    const writer = RecordWriter.open<Row>(path, "ndjson", columns);
    writer.write({ line: 2, name: "Ada" });
    expect(readFileSync(path, "utf8")).toBe('{"line":2,"name":"Ada"}\n');
    writer.close();
  });

  it("writes a CSV header then one line per row", () => {
    const path = join(dir(), "out.csv");
    const writer = RecordWriter.open<Row>(path, "csv", columns);
    writer.write({ line: 2, name: "Smith, Jr." });
    writer.close();
    expect(readFileSync(path, "utf8")).toBe('line,name\r\n2,"Smith, Jr."\r\n');
  });

  it.each([
    [[], []],
    [[{ line: 2, name: "Ada" }, { line: 3, name: "Grace" }], [{ line: 2, name: "Ada" }, { line: 3, name: "Grace" }]],
  ])("writes a JSON array that parses once closed (%j)", (rows, expected) => {
    const path = join(dir(), "out.json");
    const writer = RecordWriter.open<Row>(path, "json", columns);
    for (const row of rows) writer.write(row);
    writer.close();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(expected);
  });

  it("refuses a path it cannot create with a ConfigError naming it", () => {
    expect(() => RecordWriter.open<Row>("/nonexistent-dir/out.csv", "csv", columns)).toThrow(/cannot write output file \/nonexistent-dir\/out.csv: ENOENT/);
    expect(() => RecordWriter.open<Row>("/nonexistent-dir/out.csv", "csv", columns)).toThrow(ConfigError);
  });
});
