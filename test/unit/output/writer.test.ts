import { PassThrough } from "node:stream";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { openRecordSink, recordLayout, RecordWriter, StreamRecordWriter } from "../../../src/output/index.js";
import { tempPathFor } from "../../../src/output/writer.js";

interface Row {
  line: number;
  name: string;
}
const columns: (keyof Row)[] = ["line", "name"];
const layout = recordLayout(columns);
const dir = (): string => mkdtempSync(join(tmpdir(), "zoomreg-writer-"));

describe("RecordWriter", () => {
  it("creates the file readable by its owner only", () => {
    const path = join(dir(), "out.csv");
    RecordWriter.open<Row>(path, "csv", layout).commit();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("replaces a world-readable file with one readable by its owner only", () => {
    const path = join(dir(), "out.csv");
    writeFileSync(path, "old");
    chmodSync(path, 0o644);
    RecordWriter.open<Row>(path, "csv", layout).commit();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("leaves the last file as it was until the new one is committed", () => {
    const path = join(dir(), "out.ndjson");
    writeFileSync(path, "last complete file\n");
    const writer = RecordWriter.open<Row>(path, "ndjson", layout);
    writer.write({ line: 2, name: "Ada" });
    expect(readFileSync(path, "utf8")).toBe("last complete file\n");
    writer.commit();
    expect(readFileSync(path, "utf8")).toBe('{"line":2,"name":"Ada"}\n');
  });

  it("leaves the last file as it was, and no temporary file, when the new one is discarded", () => {
    const folder = dir();
    const path = join(folder, "out.csv");
    writeFileSync(path, "last complete file\n");
    const writer = RecordWriter.open<Row>(path, "csv", layout);
    writer.write({ line: 2, name: "Ada" });
    writer.discard();
    expect(readFileSync(path, "utf8")).toBe("last complete file\n");
    expect(readdirSync(folder)).toEqual(["out.csv"]);
  });

  it("removes the temporary file a killed run left for the same output", () => {
    const folder = dir();
    const path = join(folder, "out.csv");
    const abandoned = tempPathFor(path, 2 ** 22 + 12345);
    writeFileSync(abandoned, "half a file");
    RecordWriter.open<Row>(path, "csv", layout).commit();
    expect(existsSync(abandoned)).toBe(false);
  });

  it("keeps the temporary file of a run that is still alive", () => {
    const folder = dir();
    const path = join(folder, "out.csv");
    const live = tempPathFor(path, process.pid);
    writeFileSync(live, "another run's rows");
    RecordWriter.open<Row>(path, "csv", layout, { pid: process.pid + 1 }).commit();
    expect(existsSync(live)).toBe(true);
  });

  it("creates no file at all for a lazy writer that got no row", () => {
    const folder = dir();
    const writer = RecordWriter.open<Row>(join(folder, "rejects.csv"), "csv", layout, { lazy: true });
    writer.discard();
    expect(readdirSync(folder)).toEqual([]);
  });

  it("writes a CSV header then one line per row", () => {
    const path = join(dir(), "out.csv");
    const writer = RecordWriter.open<Row>(path, "csv", layout);
    writer.write({ line: 2, name: "Smith, Jr." });
    writer.commit();
    expect(readFileSync(path, "utf8")).toBe('line,name\r\n2,"Smith, Jr."\r\n');
  });

  it.each([
    [[], []],
    [[{ line: 2, name: "Ada" }, { line: 3, name: "Grace" }], [{ line: 2, name: "Ada" }, { line: 3, name: "Grace" }]],
  ])("writes a JSON array that parses once committed (%j)", (rows, expected) => {
    const path = join(dir(), "out.json");
    const writer = RecordWriter.open<Row>(path, "json", layout);
    for (const row of rows) writer.write(row);
    writer.commit();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(expected);
  });

  it("refuses a path it cannot create with a ConfigError naming it", () => {
    expect(() => RecordWriter.open<Row>("/nonexistent-dir/out.csv", "csv", layout)).toThrow(/cannot write output file \/nonexistent-dir\/out.csv: ENOENT/);
    expect(() => RecordWriter.open<Row>("/nonexistent-dir/out.csv", "csv", layout)).toThrow(ConfigError);
  });
});

/** A stream that keeps what was written to it, as a string. */
function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

describe("StreamRecordWriter (--out -)", () => {
  it("writes the header with the first row, then one line per row as it comes", () => {
    const { stream, text } = sink();
    const writer = new StreamRecordWriter<Row>(stream, "csv", layout);
    expect(text()).toBe("");
    writer.write({ line: 2, name: "Smith, Jr." });
    expect(text()).toBe('line,name\r\n2,"Smith, Jr."\r\n');
    writer.write({ line: 3, name: "Ada" });
    writer.commit();
    writer.commit();
    expect(text()).toBe('line,name\r\n2,"Smith, Jr."\r\n3,Ada\r\n');
    expect(writer.rowsWritten).toBe(2);
  });

  it.each([
    [[], []],
    [[{ line: 2, name: "Ada" }, { line: 3, name: "Grace" }], [{ line: 2, name: "Ada" }, { line: 3, name: "Grace" }]],
  ])("writes a JSON array that parses once committed (%j)", (rows, expected) => {
    const { stream, text } = sink();
    const writer = new StreamRecordWriter<Row>(stream, "json", layout);
    for (const row of rows) writer.write(row);
    writer.commit();
    expect(JSON.parse(text())).toEqual(expected);
  });

  it("writes nothing for a discarded run without rows, and refuses rows after it", () => {
    const { stream, text } = sink();
    const writer = new StreamRecordWriter<Row>(stream, "ndjson", layout);
    writer.discard();
    writer.commit();
    expect(text()).toBe("");
    expect(() => writer.write({ line: 2, name: "Ada" })).toThrow(/write after close/);
  });

  it("leaves the stream open: the summary may follow on it", () => {
    const { stream } = sink();
    new StreamRecordWriter<Row>(stream, "csv", layout).commit();
    expect(stream.writableEnded).toBe(false);
  });
});

describe("openRecordSink", () => {
  it("gives stdout for -, and a file writer for a path", () => {
    const { stream } = sink();
    expect(openRecordSink<Row>("-", "csv", columns, { stdout: stream })).toBeInstanceOf(StreamRecordWriter);
    const file = openRecordSink<Row>(join(dir(), "out.csv"), "csv", columns, { stdout: stream, lazy: true });
    expect(file).toBeInstanceOf(RecordWriter);
    file.discard();
  });

  it("guards only the columns it is told are free text, in a file and on stdout alike", () => {
    interface Person { email: string; name: string }
    const person = { email: "-dash@example.com", name: "=cmd" };
    const path = join(dir(), "out.csv");
    const file = openRecordSink<Person>(path, "csv", ["email", "name"], { stdout: sink().stream, guarded: new Set(["name"]) });
    file.write(person);
    file.commit();
    expect(readFileSync(path, "utf8")).toBe("email,name\r\n-dash@example.com,'=cmd\r\n");
    const { stream, text } = sink();
    openRecordSink<Person>("-", "csv", ["email", "name"], { stdout: stream, guarded: new Set() }).write(person);
    expect(text()).toBe("email,name\r\n-dash@example.com,=cmd\r\n");
  });
});
