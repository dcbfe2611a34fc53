/**
 * A hint or comment that sends the reader to a section ("README, 'Exit codes'", docs/zoom-facts.md
 * "Rate limits", a doc's "see 'X' above") names a heading that exists: a renamed or removed section
 * otherwise leaves hints pointing at nothing (issue 18: "README, 'Zoom credentials'" had no such heading).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The headings of a markdown file, outside code blocks, lower-cased, backticks dropped. */
export function headings(markdown: string): Set<string> {
  const found = new Set<string>();
  let inCode = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inCode = !inCode;
    const heading = inCode ? null : /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (heading !== null) found.add(normalise(heading[1] ?? ""));
  }
  return found;
}

const normalise = (title: string): string => title.replaceAll("`", "").trim().toLowerCase();

const quoted = `(?:"[^"\\n]+"|'[^'\\n]+')`;
/**
 * `README, "X"`, `README "X"`, `docs/x.md ("X", "Y")`, across a comment's line break; not `docs/x.md:
 * "..."` (a quotation) nor another project's README (`undici's README, "..."`).
 */
const sectionReference = new RegExp(`(?<!'s )\\b(README(?:\\.md)?|docs/[\\w-]+\\.md),?(?:\\s|\\*|//)+\\(?(${quoted}(?:,\\s*${quoted})*)`, "g");

/** Every `{file, section}` a text points to. */
export function sectionReferences(text: string): { file: string; section: string }[] {
  return [...text.matchAll(sectionReference)].flatMap((match) => {
    const file = (match[1] ?? "").replace(/^README$/, "README.md");
    return [...(match[2] ?? "").matchAll(new RegExp(quoted, "g"))].map((name) => ({ file, section: name[0].slice(1, -1) }));
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const docFiles = ["README.md", ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
const headingsOf = new Map(docFiles.map((file) => [file, headings(readFileSync(join(root, file), "utf8"))]));

describe("section references", () => {
  it.each([
    ['hint: "see README, \'Exit codes\'"', [{ file: "README.md", section: "Exit codes" }]],
    ["(docs/zoom-facts.md,\n * \"Rate limits\", \"Errors\")", [{ file: "docs/zoom-facts.md", section: "Rate limits" }, { file: "docs/zoom-facts.md", section: "Errors" }]],
    ['(docs/zoom-facts.md: "title must match")', []],
    ["(undici's README, \"Garbage Collection\")", []],
  ])("reads %j", (text, expected) => {
    expect(sectionReferences(text)).toEqual(expected);
  });

  it("name headings that exist, in every file of src", () => {
    const references = sourceFiles(join(root, "src")).flatMap((path) =>
      sectionReferences(readFileSync(path, "utf8")).map((reference) => ({ ...reference, from: relative(root, path) })),
    );
    expect(references.length).toBeGreaterThan(20);
    const broken = references.filter(({ file, section }) => !(headingsOf.get(file)?.has(normalise(section)) ?? false));
    expect(broken).toEqual([]);
  });

  it('name headings that exist when a doc says see "X" above or below', () => {
    const broken = docFiles.flatMap((file) =>
      [...readFileSync(join(root, file), "utf8").matchAll(/"([^"\n]+)" (?:above|below)\b/g)]
        .map((match) => match[1] ?? "")
        .filter((section) => !(headingsOf.get(file)?.has(normalise(section)) ?? false))
        .map((section) => ({ file, section })),
    );
    expect(broken).toEqual([]);
  });
});
