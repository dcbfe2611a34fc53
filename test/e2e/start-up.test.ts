import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { root, runCli, tempDir } from "./harness.js";
import { version } from "../../src/version.js";

const run = promisify(execFile);

/**
 * The modules `zoomreg <args>` loads: ES modules as node resolves them (a loader hook writes each to
 * a file), CommonJS ones from require's cache at exit (createRequire's loads pass no hook).
 */
async function modulesLoadedBy(args: string[]): Promise<{ stdout: string; modules: string[] }> {
  const dir = tempDir();
  const log = join(dir, "modules.log");
  writeFileSync(join(dir, "hooks.mjs"), `import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(process.env.MODULE_LOG, result.url + "\\n");\n  return result;\n}\n`);
  writeFileSync(
    join(dir, "log-modules.mjs"),
    `import { appendFileSync } from "node:fs";\nimport { createRequire, register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\nconst require = createRequire(import.meta.url);\nprocess.on("exit", () => appendFileSync(process.env.MODULE_LOG, Object.keys(require.cache).map((path) => path + "\\n").join("")));\n`,
  );
  const { stdout } = await run(process.execPath, ["--import", join(dir, "log-modules.mjs"), join(root, "bin", "zoomreg.js"), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", MODULE_LOG: log } });
  return { stdout, modules: readFileSync(log, "utf8").trim().split("\n") };
}

describe("start-up (issue 19)", () => {
  it("prints for --help exactly what commander prints for `zoomreg help`", async () => {
    const [quick, commanders] = await Promise.all([runCli(["--help"]), runCli(["help"])]);
    expect(quick.code).toBe(0);
    expect(commanders.code).toBe(0);
    expect(quick.stdout).toMatch(/^Usage: zoomreg \[options\] \[command\]\n/);
    expect(quick.stdout).toBe(commanders.stdout);
  });

  it.each([["--version"], ["-V"], ["--help"], ["-h"]])("answers %s without loading commander or any command", async (flag) => {
    const { stdout, modules } = await modulesLoadedBy([flag]);
    expect(stdout.length).toBeGreaterThan(0);
    if (flag.toLowerCase().startsWith("-v")) expect(stdout).toBe(`${version}\n`);
    expect(modules.some((url) => url.endsWith("/dist/cli/bin.js"))).toBe(true);
    expect(modules.filter((url) => url.includes("/node_modules/") || /-(command|action)\.js$/.test(url))).toEqual([]);
  });

  it("loads push's modules for a dry run without credentials: not check's, token's, status's, the fake's, undici or pino", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "people.csv"), "email,first_name,last_name\nada@example.com,Ada,Lovelace\n");
    const { modules } = await modulesLoadedBy(["push", join(dir, "people.csv"), "--meeting", "85746065", "--dry-run"]);
    expect(modules.some((url) => url.endsWith("/dist/cli/push-action.js"))).toBe(true);
    expect(modules.filter((url) => /\/dist\/cli\/(check|token|status|fake-zoom)-|\/dist\/fake-zoom\/|\/node_modules\/(msw|pino|jsonwebtoken|undici)\//.test(url))).toEqual([]);
  });
});
