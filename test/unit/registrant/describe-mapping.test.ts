import { describe, expect, it } from "vitest";
import { describeMapping } from "../../../src/registrant/describe-mapping.js";
import { inferMapping } from "../../../src/registrant/mapping.js";
import type { ColumnMapping } from "../../../src/registrant/mapping.js";

describe("describeMapping", () => {
  it("lines up fields, then questions, then the unmapped columns, then what the host will see", () => {
    const mapping = inferMapping(["E-mail", "Given Name", "Diet", "Notes", "Internal ID", "Favourite colour"], {
      overrides: { fields: {}, questions: [{ title: "Dietary needs", column: "Diet" }] },
    });
    expect(describeMapping(mapping)).toEqual([
      'email       <- "E-mail"',
      'first_name  <- "Given Name"',
      'question "Dietary needs" <- "Diet"',
      'unmapped: "Notes", "Internal ID", "Favourite colour"',
      'visible to the host in Zoom: email, first_name (from column "Given Name"), question "Dietary needs" (from column "Diet")',
    ]);
  });

  it.each<{ name: string; mapping: ColumnMapping; visible: string }>([
    {
      name: "a notes column stated for comments, named",
      mapping: inferMapping(["email", "First Name", "Last Name", "Notes"], { overrides: { fields: { comments: "Notes" }, questions: [] } }),
      visible: 'email, first_name, last_name, comments (from column "Notes")',
    },
    { name: "a column named like its field, plain", mapping: inferMapping(["Email", "first-name", "Comments", "Company"]), visible: 'email, first_name, comments, org (from column "Company")' },
    { name: "a full name, as both names", mapping: inferMapping(["Email", "Name"]), visible: 'email, first_name (from column "Name"), last_name (from column "Name")' },
    {
      name: "questions answered by question: columns, plain",
      mapping: inferMapping(["Email", "First", "question: Dietary needs", "Q: T-shirt size"]),
      visible: 'email, first_name (from column "First"), question "Dietary needs", question "T-shirt size"',
    },
    { name: "a custom_questions column", mapping: inferMapping(["email", "first_name", "custom_questions"]), visible: "email, first_name, custom_questions" },
    { name: "a dotted path", mapping: { fields: { email: "contact.email" }, questions: [], unmapped: [] }, visible: 'email (from column "contact.email")' },
    { name: "nothing at all", mapping: { fields: {}, questions: [], unmapped: ["x"] }, visible: "nothing" },
  ])("lists what the host will see: $name", ({ mapping, visible }) => {
    expect(describeMapping(mapping).at(-1)).toBe(`visible to the host in Zoom: ${visible}`);
  });

  it("lists fields in the order of Zoom's add body, whatever the column order", () => {
    const lines = describeMapping(inferMapping(["Company", "Surname", "First", "Email"])).slice(0, -1);
    expect(lines.map((line) => line.split(" ")[0])).toEqual(["email", "first_name", "last_name", "org"]);
  });

  it("widens the label column to the longest field shown", () => {
    expect(describeMapping(inferMapping(["Email", "First", "Purchase Role"])).slice(0, -1)).toEqual([
      'email                     <- "Email"',
      'first_name                <- "First"',
      'role_in_purchase_process  <- "Purchase Role"',
    ]);
  });

  it.each<{ name: string; mapping: ColumnMapping; line: string }>([
    { name: "a missing email", mapping: { fields: { first_name: "First" }, questions: [], unmapped: [] }, line: "email       <- nothing: required, add --map email=<column>" },
    { name: "a missing first name", mapping: { fields: { email: "Email" }, questions: [], unmapped: [] }, line: "first_name  <- nothing: required, add --map first_name=<column>" },
  ])("shows $name and how to fix it", ({ mapping, line }) => {
    expect(describeMapping(mapping)).toContain(line);
  });

  it("shows a full-name column split in two", () => {
    expect(describeMapping(inferMapping(["Email", "Full Name"])).slice(0, -1)).toEqual([
      'email       <- "Email"',
      'first_name  <- "Full Name" (all but the last word)',
      'last_name   <- "Full Name" (the last word)',
    ]);
  });

  it("shows a custom_questions column", () => {
    expect(describeMapping(inferMapping(["email", "first_name", "custom_questions"]))).toContain('custom_questions  <- "custom_questions" (a list of {title, value})');
  });

  it("shows dotted paths and quotes names holding quotes", () => {
    expect(describeMapping({ fields: { email: "contact.email", first_name: 'the "given" name' }, questions: [], unmapped: [] }).slice(0, -1)).toEqual([
      'email       <- "contact.email"',
      'first_name  <- "the \\"given\\" name"',
    ]);
  });

  it("has no unmapped line when every column is used", () => {
    expect(describeMapping(inferMapping(["Email", "First Name"])).some((line) => line.startsWith("unmapped"))).toBe(false);
  });
});
