import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempPathFor } from "../../../src/shared/temp-files.js";
import { SpillFile } from "../../../src/state/spill-file.js";

const statePath = (): string => join(mkdtempSync(join(tmpdir(), "zoomreg-spill-")), "state.ndjson");

describe("SpillFile", () => {
  it("gives back a text still waiting to be written", () => {
    const spill = SpillFile.open(statePath());
    spill.set(0, "ann@example.com\nr1\nhttps://zoom.us/w/1?tk=a");
    expect(spill.get(0)).toBe("ann@example.com\nr1\nhttps://zoom.us/w/1?tk=a");
    spill.close();
  });

  it("gives back every text after many writes, multibyte ones included", () => {
    const spill = SpillFile.open(statePath());
    const texts = Array.from({ length: 5_000 }, (_, i) => `p${i}@example.com\nr${i}\nhttps://zoom.us/w/1?tk=${"é".repeat(i % 50)}`);
    texts.forEach((text, entry) => spill.set(entry, text));
    const wrong = texts.filter((text, entry) => spill.get(entry) !== text);
    spill.close();
    expect(wrong).toEqual([]);
  });

  it.each([
    ["an entry never set", () => undefined],
    ["an entry set to the empty text", (spill: SpillFile) => spill.set(3, "")],
  ])("gives the empty text for %s", (_name, prepare) => {
    const spill = SpillFile.open(statePath());
    spill.set(0, "kept");
    prepare(spill);
    expect(spill.get(3)).toBe("");
    spill.close();
  });

  it("gives the later text of an entry set twice", () => {
    const spill = SpillFile.open(statePath());
    spill.set(0, "first");
    spill.set(0, "second");
    expect(spill.get(0)).toBe("second");
    spill.close();
  });

  it("leaves no file beside the state file, even while open", () => {
    const path = statePath();
    const spill = SpillFile.open(path);
    spill.set(0, "x".repeat(100_000));
    expect(readdirSync(join(path, ".."))).toEqual([]);
    spill.close();
  });

  it("removes a spill file a killed run left behind", () => {
    const path = statePath();
    const abandoned = tempPathFor(`${path}.list`, 2 ** 22 + 12_345);
    writeFileSync(abandoned, "old");
    SpillFile.open(path).close();
    expect(readdirSync(join(path, ".."))).toEqual([]);
  });
});
