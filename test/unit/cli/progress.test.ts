import { describe, expect, it } from "vitest";
import { colourWanted, Progress } from "../../../src/cli/progress.js";

function progressAt(totalBytes: number | undefined, colour = false) {
  let nowMs = 0;
  const written: string[] = [];
  const progress = new Progress({ stream: { write: (text: string) => written.push(text) > 0, isTTY: true } as unknown as NodeJS.WritableStream, colour, nowMs: () => nowMs, totalBytes, redrawMs: 100 });
  return { progress, written, advance: (ms: number) => (nowMs += ms) };
}

describe("Progress", () => {
  it("shows a bar, the share done and an ETA when the input size is known", () => {
    const { progress, advance } = progressAt(1000);
    progress.bytes(250);
    for (let i = 0; i < 10; i += 1) progress.row("registered");
    advance(5000);
    expect(progress.render()).toBe("[#####---------------] 25%  ETA 15s  10 rows  2.0/s  registered 10");
  });

  it("shows rows, rate and counts per status without a bar when reading stdin", () => {
    const { progress, advance } = progressAt(undefined);
    progress.row("registered");
    progress.row("invalid");
    advance(1000);
    expect(progress.render()).toBe("2 rows  2.0/s  registered 1 · invalid 1");
  });

  it("colours the counts only when asked", () => {
    const { progress } = progressAt(undefined, true);
    progress.row("failed");
    expect(progress.render()).toContain("\x1b[31mfailed 1\x1b[0m");
  });

  it("redraws at most once per interval", () => {
    const { progress, written, advance } = progressAt(undefined);
    advance(1000);
    for (let i = 0; i < 50; i += 1) progress.row("registered");
    advance(100);
    progress.row("registered");
    expect(written).toHaveLength(2);
  });

  it.each([
    [{}, true, true, true],
    [{ NO_COLOR: "1" }, true, true, false],
    [{}, false, true, false],
    [{}, true, false, false],
  ])("decides colour from env %j, flag %s, terminal %s: %s", (env, flag, isTTY, expected) => {
    expect(colourWanted(env, flag, { isTTY })).toBe(expected);
  });
});
