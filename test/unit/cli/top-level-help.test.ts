import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { buildProgram } from "../../../src/cli/program.js";
import { topLevelHelp } from "../../../src/cli/top-level-help.js";
import type { CliIo } from "../../../src/cli/io.js";
import { version } from "../../../src/version.js";

/** An in-process io whose stdout is a terminal `columns` wide (or not a terminal), and what reached it. */
function terminal(argv: string[], columns?: number): { io: CliIo; stdout: () => string } {
  let text = "";
  const stdout = Object.assign(new PassThrough(), columns === undefined ? {} : { isTTY: true, columns });
  stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const io: CliIo = { argv, env: {}, cwd: process.cwd(), stdin: Readable.from([]), stdout, stderr: new PassThrough(), signal: new AbortController().signal };
  return { io, stdout: () => text };
}

/** commander's own `zoomreg --help` at `columns` (80 when not given, as for a pipe). */
async function commandersHelp(columns?: number): Promise<string> {
  const program = await buildProgram(terminal([]).io, () => undefined, undefined);
  program.configureOutput({ getOutHelpWidth: () => columns ?? 80 });
  return program.helpInformation();
}

describe("zoomreg --help without commander", () => {
  it.each([undefined, 20, 39, 40, 41, 58, 60, 79, 80, 81, 100, 132, 250])("is byte-equal to commander's own help at %s columns", async (columns) => {
    expect(topLevelHelp(columns)).toBe(await commandersHelp(columns));
  });

  it("is what main() writes for --help and -h, at the terminal's width", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = terminal([flag], 60);
      expect(await main(run.io)).toBe(0);
      expect(run.stdout()).toBe(await commandersHelp(60));
    }
  });

  it("is 80 columns wide when stdout is not a terminal, as commander's", async () => {
    const run = terminal(["--help"]);
    await main(run.io);
    expect(run.stdout()).toBe(await commandersHelp(undefined));
    expect(Math.max(...run.stdout().split("\n").map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it("answers --version and -V with the package's version and exit 0", async () => {
    for (const flag of ["--version", "-V"]) {
      const run = terminal([flag]);
      expect(await main(run.io)).toBe(0);
      expect(run.stdout()).toBe(`${version}\n`);
    }
  });

  it("leaves --help after a command to commander: push --help is push's own help", async () => {
    const run = terminal(["push", "--help"]);
    expect(await main(run.io)).toBe(0);
    expect(run.stdout()).toMatch(/^Usage: zoomreg push \[options\] <file>/);
  });
});
