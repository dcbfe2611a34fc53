/**
 * Runs the README's examples as a user would type them (issue 12: "every command and example in it is
 * run by a test"). Each ```sh block runs in bash, in order, in one folder, with `zoomreg` the real CLI
 * and `psql` and `mysql` stand-ins that print two attendees (as JSON for a json_agg query, as `psql
 * -At` rows otherwise; as `mysql --batch` text); credentials point at the bundled fake, as
 * a user's .env would point at their account. The `npm` lines are the ones a fresh machine runs:
 * `npm run demo` runs here, `npm ci` and `npm test` are what CI itself runs (.ci/run), and the tarball
 * install is test/e2e/package.test.ts. Each ```js block runs as an .mjs file, its `zoomreg` imports
 * pointed at the built files the package's `exports` name.
 */
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, root, tempDir } from "./harness.js";

const run = promisify(execFile);
const readme = readFileSync(join(root, "README.md"), "utf8");
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; exports: Record<string, { default: string } | string> };

/** The README's ```sh blocks, in order. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
}

/** The README's systemd units: its ```ini blocks cut at each `# /etc/systemd/system/<name>` line. */
export function systemdUnits(markdown: string): { name: string; text: string }[] {
  const blocks = [...markdown.matchAll(/^```ini\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
  return blocks.flatMap((block) =>
    block
      .split(/^(?=# \/etc\/systemd\/system\/)/m)
      .filter((part) => part.startsWith("# /etc/systemd/system/"))
      .map((text) => ({ name: /^# \/etc\/systemd\/system\/(\S+)/.exec(text)?.[1] ?? "", text })),
  );
}

/** The value of `key=` in a unit's text (the first, when repeated). */
const unitSetting = (text: string, key: string): string | undefined => new RegExp(`^${key}=(.*)$`, "m").exec(text)?.[1];

/** Why `systemd-analyze verify` cannot run here, or undefined when it can. */
function systemdAnalyzeUnavailable(): string | undefined {
  const probe = spawnSync("systemd-analyze", ["--version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0 ? undefined : "systemd-analyze is not installed (.ci/run installs it where apt can)";
}

/** The README's ```js blocks, in order. */
export function jsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
}

/** `from "zoomreg/fake-zoom"` -> `from "file:///.../dist/fake-zoom/index.js"`, through package.json's exports. */
function withLocalImports(block: string): string {
  return block.replace(/from (["'])(zoomreg(?:\/[\w/-]+)?)\1/g, (_match, _quote, specifier: string) => {
    const target = packageJson.exports[`.${specifier.slice(packageJson.name.length)}`];
    if (target === undefined) throw new Error(`${specifier} is not in package.json's exports`);
    return `from ${JSON.stringify(pathToFileURL(join(root, typeof target === "string" ? target : target.default)).href)}`;
  });
}

const isNpmBlock = (block: string): boolean => block.split("\n").some((line) => line.startsWith("npm "));

/** The npm lines the README may show, and what covers each. */
const coveredNpmLines = new Map<RegExp, string>([
  [/^npm ci && npm run demo\b/, "the demo runs below; npm ci is .ci/run's first step"],
  [/^npm test\b/, ".ci/run runs it"],
  [new RegExp(`^npm pack && npm install -g \\./${packageJson.name}-${packageJson.version.replace(/\./g, "\\.")}\\.tgz$`), "test/e2e/package.test.ts installs the packed tarball"],
]);

let zoom: RunningFakeZoom;
let dir: string;
let binDir: string;
const logPath = (): string => join(dir, "zoomreg-calls.log");

beforeAll(async () => {
  zoom = await startFakeZoom({ port: 0 });
  dir = tempDir();
  binDir = join(dir, ".bin");
  mkdirSync(binDir);
  // Each call's exit code is logged; fake-zoom is exec'd so that killing the job stops the server.
  writeFileSync(
    join(binDir, "zoomreg"),
    `#!/bin/sh\nif [ "$1" = fake-zoom ]; then exec "${process.execPath}" "${join(root, "bin", "zoomreg.js")}" "$@"; fi\n"${process.execPath}" "${join(root, "bin", "zoomreg.js")}" "$@"\ncode=$?\necho "$code zoomreg $*" >> "${logPath()}"\nexit $code\n`,
  );
  // psql prints JSON for a json_agg query, and rows as `psql -At` writes them otherwise; mysql as --batch writes them.
  writeFileSync(
    join(binDir, "psql"),
    `#!/bin/sh\ncase "$*" in *json_agg*) echo '[{"email":"ann@example.com","first_name":"Ann","last_name":"Lee"},{"email":"bo@example.com","first_name":"Bo","last_name":"Sand"}]' ;; *) printf 'ann@example.com|Ann|Lee\\nbo@example.com|Bo|\\n' ;; esac\n`,
  );
  writeFileSync(join(binDir, "mysql"), `#!/bin/sh\nprintf 'email\\tfirst_name\\tlast_name\\nann@example.com\\tAnn\\tLee\\nbo@example.com\\tBo\\tNULL\\n'\n`);
  for (const name of ["zoomreg", "psql", "mysql"]) chmodSync(join(binDir, name), 0o755);
  // As in a clone: the README copies .env.example.
  copyFileSync(join(root, ".env.example"), join(dir, ".env.example"));
});
afterAll(async () => {
  await zoom.close();
});

async function runBlock(block: string): Promise<{ calls: string[]; stdout: string; stderr: string }> {
  writeFileSync(logPath(), "");
  const script = `set -o pipefail\n${block}\nkill $(jobs -p) 2>/dev/null; wait 2>/dev/null; true\n`;
  const env = { ...fakeEnv(zoom), PATH: `${binDir}:${process.env.PATH ?? ""}`, HOME: dir };
  const { stdout, stderr } = await run("bash", ["-c", script], { cwd: dir, env, timeout: 60_000 });
  return { calls: readFileSync(logPath(), "utf8").split("\n").filter((line) => line !== ""), stdout, stderr };
}

describe("the README's examples", () => {
  it("shows only npm commands that a test or CI runs", () => {
    const npmLines = shellBlocks(readme)
      .flatMap((block) => block.split("\n"))
      .filter((line) => line.startsWith("npm "))
      .map((line) => line.replace(/\s+#.*$/, "").trim());
    expect(npmLines.length).toBeGreaterThan(0);
    for (const line of npmLines) expect([...coveredNpmLines.keys()].some((pattern) => pattern.test(line)), line).toBe(true);
  });

  it("runs npm run demo's script, which says where the join_urls went", { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, [join(root, "scripts", "demo.js")], { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: dir, ...fakeEnv(zoom) } });
    expect(stdout).toMatch(/join_urls: out\/demo-joinurls\.csv/);
  });

  it.each(shellBlocks(readme).filter((block) => !isNpmBlock(block)).map((block, index) => [index + 1, block] as const))(
    "runs shell block %i and every zoomreg call in it succeeds",
    { timeout: 90_000 },
    async (_index, block) => {
      const { calls, stderr } = await runBlock(block);
      expect(calls.length, `no zoomreg call ran in:\n${block}`).toBeGreaterThan(0);
      expect(calls.filter((call) => !call.startsWith("0 ")), stderr).toEqual([]);
    },
  );

  it.each(jsBlocks(readme).map((block, index) => [index + 1, block] as const))("runs js block %i, and it prints a join_url", { timeout: 60_000 }, async (index, block) => {
    const jsDir = join(dir, `from-code-${index}`);
    mkdirSync(jsDir);
    writeFileSync(join(jsDir, "example.mjs"), withLocalImports(block));
    const { stdout } = await run(process.execPath, ["example.mjs"], { cwd: jsDir, env: { PATH: process.env.PATH ?? "", HOME: jsDir }, timeout: 60_000 });
    expect(stdout).toMatch(/ https:\/\/zoom\.us\/w\/\d+\?tk=\S+\n/);
  });

  it("runs the systemd service's commands as the unit does: ExecStartPre makes the export ExecStart pushes", async () => {
    const service = systemdUnits(readme).find((unit) => unit.name.endsWith(".service"));
    const pre = unitSetting(service?.text ?? "", "ExecStartPre");
    const start = unitSetting(service?.text ?? "", "ExecStart");
    expect(pre).toMatch(/> (\S+)'$/);
    // The file the push reads is the one the export wrote: no unit pushes a file nothing makes.
    expect(start?.split(" ")).toContain(/> (\S+)'$/.exec(pre ?? "")?.[1]);
    const { calls, stderr } = await runBlock(`${pre ?? ""}\n${start ?? ""}`);
    expect(calls, stderr).toEqual([`0 ${start?.replace(/^\/usr\/bin\/env /, "")}`]);
  });

  const noSystemd = systemdAnalyzeUnavailable();
  it.skipIf(noSystemd !== undefined)(`has systemd units that systemd-analyze verify accepts${noSystemd === undefined ? "" : ` (skipped: ${noSystemd})`}`, async () => {
    const units = systemdUnits(readme);
    expect(units.map((unit) => unit.name)).toEqual(["zoomreg-sync.service", "zoomreg-sync.timer"]);
    const unitDir = join(dir, "systemd");
    mkdirSync(unitDir);
    for (const unit of units) writeFileSync(join(unitDir, unit.name), unit.text);
    const verify = await run("systemd-analyze", ["verify", ...units.map((unit) => join(unitDir, unit.name))]).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: Error & { code?: number; stderr?: string }) => ({ code: error.code ?? 1, stderr: error.stderr ?? error.message }),
    );
    // Warnings (an unknown key, a value it ignores) exit 0 too: any line naming the units fails the test.
    expect(verify.stderr.split("\n").filter((line) => line.includes("zoomreg-sync"))).toEqual([]);
    expect(verify.code).toBe(0);
  });

  it("prints the rows, and only them, on stdout with --out -", async () => {
    const line = shellBlocks(readme)
      .flatMap((block) => block.split("\n"))
      .find((candidate) => candidate.startsWith("zoomreg ") && candidate.includes("--out -"));
    expect(line).toBeDefined();
    const { stdout } = await runBlock(line ?? "");
    const [header, ...rows] = stdout.trimEnd().split("\n");
    expect(header).toMatch(/^line,email,first_name,last_name,status,/);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => /^\d+,/.test(row))).toBe(true);
  });
});
