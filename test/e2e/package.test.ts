import { execFile } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { root, tempDir } from "./harness.js";
import { version } from "../../src/cli/main.js";

const run = promisify(execFile);

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

describe("the npm package", () => {
  it("installs from its tarball into an empty folder, runs zoomreg --version, and push() runs from code", { timeout: 180_000 }, async () => {
    const packDir = tempDir();
    // `npm test` has just built dist/; --ignore-scripts skips a second build inside the test.
    await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", packDir], { cwd: root });
    const tarball = readdirSync(packDir).find((name) => name.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    const installDir = tempDir();
    await run("npm", ["init", "-y"], { cwd: installDir });
    // --ignore-scripts: the tarball ships dist/ built; installing must not need TypeScript.
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(packDir, tarball ?? "")], { cwd: installDir });
    const { stdout } = await run(join(installDir, "node_modules", ".bin", "zoomreg"), ["--version"], { cwd: installDir });
    expect(stdout.trim()).toBe(version);
    // What the README and docs tell a user of the package to use is in it.
    const installed = join(installDir, "node_modules", "zoomreg");
    for (const file of [".env.example", "README.md", "docs/push.md", "docs/fake-zoom.md", "fixtures/registrants.csv", "fixtures/messy/export.csv", "fixtures/messy/scenario.json"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }

    // From code: a script imports push and startFakeZoom from the installed package, and gets every join_url through onRow.
    writeFileSync(join(installDir, "register.mjs"), fromCode);
    const script = await run(process.execPath, ["register.mjs"], { cwd: installDir, env: { PATH: process.env.PATH ?? "", HOME: installDir } });
    const joinUrls = script.stdout.trim().split("\n");
    expect(joinUrls).toHaveLength(3);
    for (const url of joinUrls) expect(url).toMatch(/^https:\/\/zoom\.us\/w\/85746065\?tk=\S+$/);
    expect(new Set(joinUrls).size).toBe(3);
    expect(JSON.parse(script.stderr)).toMatchObject({ registered: 3 });
    expect(existsSync(join(installDir, "joinurls.csv"))).toBe(true);
    // Typed: the declarations ship, and both entries resolve for TypeScript (tsc from this repo, node's types).
    writeFileSync(join(installDir, "typed.mts"), typedFromCode);
    const tsc = [join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--skipLibCheck", "--target", "es2023", "--module", "nodenext"];
    const typeErrors = await run(process.execPath, [...tsc, "--typeRoots", join(root, "node_modules", "@types"), "--types", "node", "typed.mts"], { cwd: installDir }).then(
      () => "",
      (error: Error & { stdout?: string }) => error.stdout ?? error.message,
    );
    expect(typeErrors).toBe("");
  });
});
