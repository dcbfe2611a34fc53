import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outputPaths } from "../../../src/engine/output-paths.js";
import { ConfigError } from "../../../src/errors.js";
import { thrown } from "../../helpers/thrown.js";

const event = { kind: "meeting" as const, id: "85746065" };

function folderWithInput(): string {
  const dir = mkdtempSync(join(tmpdir(), "zoomreg-paths-"));
  writeFileSync(join(dir, "people.csv"), "email\n");
  return dir;
}

describe("outputPaths", () => {
  it("puts the rejects and the state beside the output by default", () => {
    const dir = folderWithInput();
    expect(outputPaths(dir, { out: "out.csv" }, event, "people.csv")).toEqual({
      outPath: join(dir, "out.csv"),
      outFormat: "csv",
      rejectsPath: join(dir, "out.csv.rejects.csv"),
      statePath: join(dir, "zoomreg-meeting-85746065.state.ndjson"),
    });
  });

  it("keeps the output's full name in the rejects file's, so two outputs in one folder keep two", () => {
    const dir = folderWithInput();
    expect(outputPaths(dir, { out: "a.ndjson" }, event, "people.csv").rejectsPath).toBe(join(dir, "a.ndjson.rejects.csv"));
    expect(outputPaths(dir, { out: "a.csv" }, event, "people.csv").rejectsPath).toBe(join(dir, "a.csv.rejects.csv"));
    expect(outputPaths(dir, { out: "sub/b.json" }, event, "people.csv").rejectsPath).toBe(join(dir, "sub", "b.json.rejects.csv"));
  });

  it("writes CSV rows to stdout for --out -, the rejects and the state in the working folder named for the event", () => {
    const dir = folderWithInput();
    expect(outputPaths(dir, { out: "-" }, event, "people.csv")).toEqual({
      outPath: "-",
      outFormat: "csv",
      rejectsPath: join(dir, "zoomreg-meeting-85746065.rejects.csv"),
      statePath: join(dir, "zoomreg-meeting-85746065.state.ndjson"),
    });
    expect(outputPaths(dir, { out: "-", rejects: "r.csv", state: "s.ndjson" }, event, undefined)).toMatchObject({ rejectsPath: join(dir, "r.csv"), statePath: join(dir, "s.ndjson") });
  });

  it.each(["rejects", "state"])("refuses --%s - (only the rows go to stdout)", (flag) => {
    expect(() => outputPaths(folderWithInput(), { out: "-", [flag]: "-" }, event, "people.csv")).toThrow(new RegExp(`^--${flag} -: only --out can write to stdout$`));
  });

  it.each([
    [{ out: "people.csv" }, /^--out .*people\.csv is the same file as the input$/],
    [{ out: "out.csv", rejects: "people.csv" }, /^--rejects .*people\.csv is the same file as the input$/],
    [{ out: "out.csv", state: "./people.csv" }, /^--state .*people\.csv is the same file as the input$/],
    [{ out: "out.csv", rejects: "out.csv" }, /^--rejects .*out\.csv is the same file as --out$/],
    [{ out: "out.csv", state: "out.csv" }, /^--state .*out\.csv is the same file as --out$/],
    [{ out: "out.csv", rejects: "r.csv", state: "r.csv" }, /^--state .*r\.csv is the same file as --rejects$/],
  ])("refuses %j", (flags, message) => {
    const dir = folderWithInput();
    expect(() => outputPaths(dir, flags, event, "people.csv")).toThrow(message);
  });

  it("refuses an output that is a link to the input", () => {
    const dir = folderWithInput();
    symlinkSync(join(dir, "people.csv"), join(dir, "link.csv"));
    expect(() => outputPaths(dir, { out: "link.csv" }, event, "people.csv")).toThrow(/is the same file as the input/);
  });

  it("refuses an output without a known extension", () => {
    expect(() => outputPaths(folderWithInput(), { out: "out.txt" }, event, "people.csv")).toThrow(/--out out.txt: unknown extension/);
  });
});

describe("outputPaths for a real run (writable)", () => {
  const writable = { writable: true };

  it("names --out, not the state file beside it, when --out's folder does not exist", () => {
    const dir = folderWithInput();
    const error = thrown(ConfigError, () => outputPaths(dir, { out: "nope/out.csv" }, event, "people.csv", writable));
    expect(error.message).toBe(`--out ${join(dir, "nope", "out.csv")}: the folder ${join(dir, "nope")} does not exist`);
    expect(error.hint).toBe(`create it (mkdir -p ${join(dir, "nope")}), or give --out a path in a folder you can write to`);
  });

  it("names --out when its folder is a file", () => {
    const dir = folderWithInput();
    expect(thrown(ConfigError, () => outputPaths(dir, { out: "people.csv/out.csv" }, event, "people.csv", writable)).message).toBe(
      `--out ${join(dir, "people.csv", "out.csv")}: ${join(dir, "people.csv")} is not a folder`,
    );
  });

  it("names --state when the state file is given a folder of its own that does not exist", () => {
    const dir = folderWithInput();
    expect(thrown(ConfigError, () => outputPaths(dir, { out: "out.csv", state: "gone/state.ndjson" }, event, "people.csv", writable)).message).toMatch(/^--state .*gone\/state\.ndjson: the folder .*gone does not exist$/);
  });

  it.skipIf(process.getuid?.() === 0)("names --out when its folder cannot be written (root writes anywhere: skipped as root)", () => {
    const dir = folderWithInput();
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    expect(thrown(ConfigError, () => outputPaths(dir, { out: `${locked}/out.csv` }, event, "people.csv", writable)).message).toMatch(/^--out .*: the folder .* cannot be written \(EACCES\)$/);
  });

  it("checks no folder for a dry run, which writes no file", () => {
    const dir = folderWithInput();
    expect(outputPaths(dir, { out: "nope/out.csv" }, event, "people.csv").outPath).toBe(join(dir, "nope", "out.csv"));
  });
});
