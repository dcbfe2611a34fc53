import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { root, tempDir } from "./harness.js";
import { version } from "../../src/cli/main.js";

const run = promisify(execFile);

/** The `run:` scripts of the steps of a GitHub Actions ```yaml block, in order (`run: cmd` or `run: |` and its indented lines). */
export function workflowSteps(markdown: string): { name: string; script: string }[] {
  const block = /^```yaml\n([\s\S]*?)^```$/m.exec(markdown)?.[1] ?? "";
  const steps: { name: string; script: string }[] = [];
  const lines = block.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const name = /^\s*- name: (.*)$/.exec(lines[i] ?? "")?.[1];
    if (name === undefined) continue;
    const runLine = /^(\s*)run: (.*)$/.exec(lines[i + 1] ?? "");
    if (runLine === null) continue;
    if (runLine[2] !== "|") {
      steps.push({ name, script: runLine[2] ?? "" });
      continue;
    }
    const body: string[] = [];
    for (let j = i + 2; j < lines.length && /^\s{10}/.test(lines[j] ?? ""); j += 1) body.push((lines[j] ?? "").slice(10));
    steps.push({ name, script: body.join("\n") });
  }
  return steps;
}

/** A port no one listens on now, for a recipe that names a fixed one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One step's script in bash -e, in its own process group (so what it leaves in the background can be stopped). */
function runStep(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string; pid: number }> {
  const child = spawn("bash", ["-e", "-c", script], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    // "exit", not "close": a background job keeps the pipes open after the step's shell is done.
    child.on("exit", (code) => resolve({ code, output, pid: child.pid ?? 0 }));
  });
}

let packDir: string;
let tarball: string;
beforeAll(async () => {
  packDir = tempDir();
  // `npm test` has just built dist/; --ignore-scripts skips a second build inside the test.
  await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", packDir], { cwd: root });
  tarball = readdirSync(packDir).find((name) => name.endsWith(".tgz")) ?? "";
}, 60_000);

/**
 * What a Node service of the user's would write (issue 13, "the same engine from code"): the fake from
 * `zoomreg/fake-zoom`, push() from `zoomreg`, its rows from an array, each join_url through onRow.
 */
const fromCode = `import { push } from "zoomreg";
import { startFakeZoom } from "zoomreg/fake-zoom";

const zoom = await startFakeZoom();
const people = [
  { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
  { email: "grace@example.com", first_name: "Grace", last_name: "Hopper" },
  { email: "katherine@example.com", first_name: "Katherine", last_name: "Johnson" },
];
try {
  const summary = await push({ meeting: "85746065", records: people, env: zoom.env, out: "joinurls.csv", onRow: (row) => console.log(row.join_url) });
  console.error(JSON.stringify(summary.counts));
} finally {
  await zoom.close();
}
`;

/** The same from TypeScript: the types resolve through the package's exports. */
const typedFromCode = `import { push, ConfigError, type OutputRow, type PushRunSummary } from "zoomreg";
import { startFakeZoom, type RunningFakeZoom } from "zoomreg/fake-zoom";

const zoom: RunningFakeZoom = await startFakeZoom({ port: 0 });
const rows: OutputRow[] = [];
const summary: PushRunSummary = await push({ meeting: 85746065, records: [{ email: "ada@example.com" }], env: zoom.env, onRow: (row) => rows.push(row) });
const wouldSend: number = (await push({ webinar: "81234567890", records: [], dryRun: true })).wouldSend;
export const seen = [summary.counts.registered, wouldSend, rows[0]?.join_url, new ConfigError("x").domain];
`;

/**
 * A preload that writes every module the process loads to $MODULE_LOG: ES modules as node resolves
 * them (a loader hook), CommonJS ones from require's cache at exit (createRequire's loads pass no hook).
 */
const moduleLogger = {
  "log-modules.mjs": `import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
register("./module-hooks.mjs", import.meta.url);
const require = createRequire(import.meta.url);
process.on("exit", () => appendFileSync(process.env.MODULE_LOG, Object.keys(require.cache).map((path) => path + "\\n").join("")));
`,
  "module-hooks.mjs": `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, result.url + "\\n");
  return result;
}
`,
};

describe("the npm package", () => {
  it("installs from its tarball into an empty folder, runs zoomreg --version, and push() runs from code", { timeout: 180_000 }, async () => {
    expect(tarball).toMatch(/\.tgz$/);
    const installDir = tempDir();
    await run("npm", ["init", "-y"], { cwd: installDir });
    // --ignore-scripts: the tarball ships dist/ built; installing must not need TypeScript.
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(packDir, tarball)], { cwd: installDir });
    const { stdout } = await run(join(installDir, "node_modules", ".bin", "zoomreg"), ["--version"], { cwd: installDir });
    expect(stdout.trim()).toBe(version);
    // What the README and docs tell a user of the package to use is in it.
    const installed = join(installDir, "node_modules", "zoomreg");
    for (const file of [".env.example", "README.md", "docs/push.md", "docs/fake-zoom.md", "fixtures/registrants.csv", "fixtures/messy/export.csv", "fixtures/messy/scenario.json"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }

    // From code: a script imports push and startFakeZoom from the installed package, and gets every join_url through onRow.
    writeFileSync(join(installDir, "register.mjs"), fromCode);
    for (const [name, text] of Object.entries(moduleLogger)) writeFileSync(join(installDir, name), text);
    const moduleLog = join(installDir, "modules.log");
    const script = await run(process.execPath, ["--import", "./log-modules.mjs", "register.mjs"], { cwd: installDir, env: { PATH: process.env.PATH ?? "", HOME: installDir, MODULE_LOG: moduleLog } });
    const joinUrls = script.stdout.trim().split("\n");
    expect(joinUrls).toHaveLength(3);
    for (const url of joinUrls) expect(url).toMatch(/^https:\/\/zoom\.us\/w\/85746065\?tk=\S+$/);
    expect(new Set(joinUrls).size).toBe(3);
    expect(JSON.parse(script.stderr)).toMatchObject({ registered: 3 });
    expect(existsSync(join(installDir, "joinurls.csv"))).toBe(true);
    // The library stands without the CLI (issue 19): push() and the fake never load commander.
    const loaded = readFileSync(moduleLog, "utf8").split("\n");
    expect(loaded.some((path) => path.includes("/node_modules/zoomreg/dist/engine/push.js"))).toBe(true);
    expect(loaded.some((path) => path.includes("/node_modules/zod/"))).toBe(true);
    expect(loaded.some((path) => path.includes("/node_modules/undici/"))).toBe(true);
    expect(loaded.filter((path) => path.includes("/node_modules/commander/") || path.includes("/dist/cli/"))).toEqual([]);
    // Typed: the declarations ship, and both entries resolve for TypeScript (tsc from this repo, node's types).
    writeFileSync(join(installDir, "typed.mts"), typedFromCode);
    const tsc = [join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--skipLibCheck", "--target", "es2023", "--module", "nodenext"];
    const typeErrors = await run(process.execPath, [...tsc, "--typeRoots", join(root, "node_modules", "@types"), "--types", "node", "typed.mts"], { cwd: installDir }).then(
      () => "",
      (error: Error & { stdout?: string }) => error.stdout ?? error.message,
    );
    expect(typeErrors).toBe("");
  });

  it("runs docs/fake-zoom.md's CI recipe as a runner would: the tarball installed, the fake started, a push, the ledger checked", { timeout: 120_000 }, async () => {
    const steps = workflowSteps(readFileSync(join(root, "docs", "fake-zoom.md"), "utf8"));
    expect(steps.map((step) => step.name)).toEqual(["Install zoomreg from its tarball", "Start the fake Zoom", "Register everyone", "Check what Zoom received"]);
    const work = tempDir();
    copyFileSync(join(packDir, tarball), join(work, tarball));
    writeFileSync(join(work, "people.csv"), "email,first_name,last_name\nada@example.com,Ada,Lovelace\ngrace@example.com,Grace,Hopper\n");
    const prefix = tempDir();
    const githubEnv = join(work, "github.env");
    writeFileSync(githubEnv, "");
    // npm's global prefix in a folder of the test's own (npm's own settings and cache kept, so the install
    // needs no network); the recipe's fixed port replaced by a free one.
    const npm = { npm_config_prefix: prefix, npm_config_userconfig: join(homedir(), ".npmrc"), npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm") };
    const base = { PATH: `${join(prefix, "bin")}:${process.env.PATH ?? ""}`, HOME: work, ...npm, RUNNER_TEMP: work, GITHUB_ENV: githubEnv };
    const port = String(await freePort());
    const groups: number[] = [];
    try {
      for (const step of steps) {
        // As on a runner: what earlier steps put in $GITHUB_ENV is in the environment of later ones.
        const exported = Object.fromEntries(readFileSync(githubEnv, "utf8").split("\n").filter((line) => line.includes("=")).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
        const script = step.script.replaceAll("9090", port).replace("npm install -g", "npm install -g --no-audit --no-fund --prefer-offline --ignore-scripts");
        const result = await runStep(script, work, { ...base, ...exported });
        groups.push(result.pid);
        expect(result.code, `${step.name}:\n${result.output}`).toBe(0);
      }
      expect(readFileSync(join(work, "joinurls.csv"), "utf8").match(/,registered,/g)).toHaveLength(2);
    } finally {
      for (const pid of groups) {
        try {
          process.kill(-pid, "SIGTERM");
        } catch {
          // That step left nothing running.
        }
      }
    }
  });

  it("shows no code block that runs npx zoomreg: npx would install whatever the registry has under that name", () => {
    for (const file of ["README.md", ...readdirSync(join(root, "docs")).map((name) => join("docs", name))]) {
      const blocks = [...readFileSync(join(root, file), "utf8").matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
      expect(blocks.filter((block) => /\bnpx\s+(?:-y\s+|--yes\s+)?zoomreg\b/.test(block)), file).toEqual([]);
    }
  });
});
