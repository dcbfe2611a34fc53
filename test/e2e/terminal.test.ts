import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, root, runCli, tempDir } from "./harness.js";

const run = promisify(execFile);
const rows = ["email,first_name", ...Array.from({ length: 40 }, (_, i) => `p${i}@example.com,P${i}`), ""].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
beforeEach(async () => {
  zoom = await startFakeZoom({ port: 0 });
  dir = tempDir();
  writeFileSync(join(dir, "people.csv"), rows);
});
afterEach(async () => {
  await zoom.close();
});

/** Runs the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
async function underTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const command = [process.execPath, join(root, "bin", "zoomreg.js"), ...args].map((part) => `'${part}'`).join(" ");
  const { stdout } = await run("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...fakeEnv(zoom), ...env },
  });
  return stdout;
}

const pushArgs = ["push", "people.csv", "--webinar", defaultEventIds.webinar, "--out", "out.csv", "--batch", "never", "--rate", "40"];

describe("on a terminal", () => {
  it("draws a progress display with a bar, the rate and counts per status", async () => {
    const screen = await underTerminal(pushArgs);
    expect(screen).toMatch(/\[[#-]{20}\] \d+%/);
    expect(screen).toMatch(/\d+ rows {2}[\d.]+\/s/);
    expect(screen).toMatch(/registered \d+/);
  });

  it("uses colour unless NO_COLOR is set", async () => {
    expect(await underTerminal(pushArgs)).toContain("\x1b[32mregistered");
    expect(await underTerminal(pushArgs, { NO_COLOR: "1" })).not.toContain("\x1b[32m");
  });

  it("draws nothing with --quiet", async () => {
    expect(await underTerminal([...pushArgs, "--quiet"])).not.toMatch(/rows {2}[\d.]+\/s/);
  });

  it("draws nothing when stderr is a pipe", async () => {
    const piped = await runCli(pushArgs, { env: fakeEnv(zoom), cwd: dir });
    expect(piped.stderr).not.toMatch(/rows {2}[\d.]+\/s/);
    expect(piped.stderr).not.toContain("\r");
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

  it("shows examples in each command's help", async () => {
    const help = await runCli(["push", "--help"], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}\$ zoomreg push people.csv --meeting 85746065/);
  });
});
