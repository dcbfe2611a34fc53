import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { root, tempDir } from "./harness.js";
import { version } from "../../src/cli/main.js";

const run = promisify(execFile);

describe("the npm package", () => {
  it("installs from its tarball into an empty folder and runs zoomreg --version", { timeout: 180_000 }, async () => {
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
  });
});
