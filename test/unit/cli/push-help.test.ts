import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const reference = readFileSync(join(root, "docs", "push.md"), "utf8");

/** `zoomreg push --help`, run in-process. */
async function pushHelp(): Promise<string> {
  let text = "";
  const stdout = new PassThrough();
  stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  await main({ argv: ["push", "--help"], env: {}, cwd: root, stdin: Readable.from([]), stdout, stderr: new PassThrough(), signal: new AbortController().signal });
  return text;
}

/** The long flags the help lists, in its order. */
const longFlags = (help: string): string[] => [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((match) => match[1] ?? "").filter((flag) => flag !== "--help");

/** Left to docs/push.md by the README's synopsis, which keeps to what a first push needs. */
const referenceOnly = new Set(["--concurrency", "--confirmation-email", "--no-confirmation-email", "--timeout"]);

describe("zoomreg push's flags are documented", () => {
  it("lists in docs/push.md's table every flag of push --help", async () => {
    const flags = longFlags(await pushHelp());
    expect(flags).toEqual(expect.arrayContaining(["--format", "--columns", "--skip-lines", "--null"]));
    const tableRows = reference.split("\n").filter((line) => line.startsWith("| `"));
    for (const flag of flags) expect(tableRows.some((row) => row.includes(`${flag} `) || row.includes(`${flag}\``)), flag).toBe(true);
  });

  it("lists in the README's synopsis every flag of push --help but the reference-only ones", async () => {
    const synopsis = /^```\nzoomreg push ([\s\S]*?)^```$/m.exec(readme)?.[1] ?? "";
    for (const flag of longFlags(await pushHelp()).filter((each) => !referenceOnly.has(each))) expect(synopsis, flag).toContain(flag);
  });

  it("names the formats --format takes in both synopses", async () => {
    expect(await pushHelp()).toContain('"mysql"');
    expect(readme).toContain("[--format csv|tsv|json|ndjson|mysql]");
    expect(reference).toContain("[--format csv|tsv|json|ndjson|mysql]");
  });
});
