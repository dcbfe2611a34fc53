import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { root } from "../e2e/harness.js";

/**
 * The layers point one way (issue 19): eslint.config.js's no-restricted-imports blocks, run on a small
 * tree of src/ folders made to break them (fixtures/layers). On the project's own src/ they run in
 * `npm run lint`, which `npm test` runs first: a climb back up fails the tests there.
 */
async function restrictedImports(cwd: string, patterns: string[]): Promise<Record<string, string[]>> {
  const eslint = new ESLint({ cwd, overrideConfigFile: join(root, "eslint.config.js") });
  const results = await eslint.lintFiles(patterns);
  return Object.fromEntries(
    results.map((result) => [result.filePath.slice(cwd.length + 1), result.messages.filter((message) => message.ruleId === "no-restricted-imports").map((message) => message.message)]),
  );
}

describe("the layer rules", () => {
  it("refuse a file outside src/cli that imports src/cli, a pool that reads files, a client that imports auth or the pool, a fake that imports the client; let a file that imports from beneath be", { timeout: 60_000 }, async () => {
    const found = await restrictedImports(join(root, "fixtures", "layers"), ["src/**/*.ts"]);
    expect(found["src/push/imports-cli.ts"]).toEqual([expect.stringContaining("src/push stands beneath src/cli: it must not import it") as string]);
    expect(found["src/pool/imports-files.ts"]).toEqual([expect.stringContaining("src/pool knows nothing of files") as string]);
    expect(found["src/zoom/imports-auth.ts"]).toEqual([expect.stringContaining("src/zoom stands beneath src/auth: it must not import it") as string]);
    expect(found["src/zoom/imports-pool.ts"]).toEqual([expect.stringContaining("src/zoom stands beneath src/pool: it must not import it") as string]);
    expect(found["src/fake-zoom/imports-zoom.ts"]).toEqual([expect.stringContaining("src/fake-zoom shares no code with the client or the rest of zoomreg: it must not import src/zoom") as string]);
    expect(found["src/push/stays-beneath.ts"]).toEqual([]);
    expect(found["src/zoom/client.ts"]).toEqual([]);
    expect(found["src/cli/main.ts"]).toEqual([]);
  });
});
