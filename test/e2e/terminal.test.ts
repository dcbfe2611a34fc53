import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/engine/exit-codes.js";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, freshFakeZoomEachTest, root, runCli } from "./harness.js";

const rows = ["email,first_name", ...Array.from({ length: 40 }, (_, i) => `p${i}@example.com,P${i}`), ""].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => {
  ({ zoom, dir } = fresh);
  writeFileSync(join(dir, "people.csv"), rows);
});

/**
 * Runs the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal would. With
 * `ctrlCAfter`, a Ctrl-C is typed (the pty turns it into SIGINT) once the screen shows that pattern.
 */
function underTerminal(args: string[], env: Record<string, string> = {}, options: { ctrlCAfter?: RegExp } = {}): Promise<string> {
  const command = [process.execPath, join(root, "bin", "zoomreg.js"), ...args].map((part) => `'${part}'`).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...fakeEnv(zoom), ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let screen = "";
  let typed = false;
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    screen += text;
    if (options.ctrlCAfter !== undefined && !typed && options.ctrlCAfter.test(screen)) {
      typed = true;
      child.stdin.write("\x03");
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => resolve(screen));
  });
}

const pushArgs = ["push", "people.csv", "--webinar", defaultEventIds.webinar, "--out", "out.csv", "--batch", "never", "--rate", "40"];

/** The progress line's "n of N rows", which only a drawn display holds. */
const rowsOfFile = /\d+ of [\d,]+ rows?/;

/** The shares drawn, in order, from what the terminal received. */
const sharesDrawn = (screen: string): number[] => [...screen.matchAll(/\[[#-]{20}\] (\d+)%/g)].map((match) => Number(match[1]));

describe("on a terminal", () => {
  it("draws a progress display with a bar, rows of the file, new sends and their rate", async () => {
    const screen = await underTerminal(pushArgs, { NO_COLOR: "1" });
    expect(screen).toMatch(/\[[#-]{20}\] \d+% {2}\d+ of 40 rows {2}\d+ of \d+ new sent {2}[\d.]+\/s/);
  });

  it("uses colour unless NO_COLOR is set", async () => {
    const coloured = await underTerminal(pushArgs);
    expect(coloured).toContain("\x1b[32m");
    expect(coloured).toMatch(/\[32m\d+ of \d+ new sent/);
    expect(await underTerminal(pushArgs, { NO_COLOR: "1" })).not.toContain("\x1b[32m");
  });

  it("draws nothing with --quiet", async () => {
    expect(await underTerminal([...pushArgs, "--quiet"])).not.toMatch(rowsOfFile);
  });

  it("draws nothing when stderr is a pipe", async () => {
    const piped = await runCli(pushArgs, { env: fakeEnv(zoom), cwd: dir });
    expect(piped.stderr).not.toMatch(rowsOfFile);
    expect(piped.stderr).not.toContain("\r");
  });

  it("shows the share of rows done: under half at the first draw of a 5 s push, 100% at the last (issue 12)", async () => {
    const people = ["email,first_name", ...Array.from({ length: 150 }, (_, i) => `q${i}@example.com,Q${i}`)].join("\n");
    writeFileSync(join(dir, "slow.csv"), `${people}\n`);
    const screen = await underTerminal(["push", "slow.csv", "--webinar", defaultEventIds.webinar, "--out", "out.csv", "--batch", "never", "--rate", "30"]);
    const shares = sharesDrawn(screen);
    expect(shares.length).toBeGreaterThan(2);
    expect(shares[0]).toBeLessThan(50);
    expect(shares.at(-1)).toBe(100);
    expect(screen).toMatch(/ETA \d+s/);
    expect(screen).toContain("150 of 150 rows");
  });

  it("shows rows already registered apart from new sends, and says what the run did (issue 12)", async () => {
    await underTerminal(pushArgs);
    const again = await underTerminal(pushArgs, { NO_COLOR: "1" });
    expect(again).toMatch(/40 of 40 rows {2}40 already registered {2}0 of 0 new sent/);
    // The summary follows the erased progress line on the terminal.
    expect(again).toMatch(/\[2Kregistered 0, already registered 40 -> \S*out\.csv\r\n/);
  });

  it("clears the progress line before Ctrl-C's message (issue 12)", async () => {
    const people = ["email,first_name", ...Array.from({ length: 200 }, (_, i) => `c${i}@example.com,C${i}`)].join("\n");
    writeFileSync(join(dir, "ctrlc.csv"), `${people}\n`);
    const screen = await underTerminal(["push", "ctrlc.csv", "--webinar", defaultEventIds.webinar, "--out", "out.csv", "--batch", "never", "--rate", "30"], {}, { ctrlCAfter: rowsOfFile });
    // The terminal echoes ^C after the progress line; both are erased, and the message starts the line.
    expect(screen).toContain("\r\x1b[2Kzoomreg: SIGINT: finishing the requests in flight");
    expect(screen).toMatch(/interrupted: run again to finish/);
  });
});

describe("errors and help", () => {
  it("suggests the closest flag for a misspelt one", async () => {
    const result = await runCli(["push", "people.csv", "--meeting", "85746065", "--dry-rnu"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean --dry-run\?/);
  });

  it("shows one line without a stack trace, and the stack with --debug", async () => {
    const plain = await runCli(["push", "missing.csv", "--meeting", "85746065", "--dry-run"], { cwd: dir });
    expect(plain.stderr.trim().split("\n")).toHaveLength(1);
    const debug = await runCli(["--debug", "push", "missing.csv", "--meeting", "85746065", "--dry-run"], { cwd: dir });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("shows examples in each command's help, that an event may be a link, and every exit code", async () => {
    const help = await runCli(["push", "--help"], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}\$ zoomreg push people.csv --meeting 85746065/);
    expect(help.stdout).toContain("--meeting <id|link>");
    expect(help.stdout).toContain("--webinar <id|link>");
    const exitCodes = help.stdout.slice(help.stdout.indexOf("Exit codes:"));
    for (const code of Object.values(ExitCode)) expect(exitCodes, `exit ${code}`).toMatch(new RegExp(`\\b${code}\\b`));
  });
});
