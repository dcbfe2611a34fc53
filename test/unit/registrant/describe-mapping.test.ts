import { describe, expect, it } from "vitest";
import { describeMapping } from "../../../src/registrant/describe-mapping.js";
import { inferMapping } from "../../../src/registrant/mapping.js";
import type { ColumnMapping } from "../../../src/registrant/mapping.js";

describe("describeMapping", () => {
  it("lines up fields, then questions, then the unmapped columns", () => {
    const mapping = inferMapping(["E-mail", "Given Name", "Diet", "Notes", "Internal ID", "Favourite colour"], {
      overrides: { fields: {}, questions: [{ title: "Dietary needs", column: "Diet" }] },
    });
    expect(describeMapping(mapping)).toEqual([
      'email       <- "E-mail"',
      'first_name  <- "Given Name"',
      'comments    <- "Notes"',
      'question "Dietary needs" <- "Diet"',
      'unmapped: "Internal ID", "Favourite colour"',
    ]);
  });

  it("lists fields in the order of Zoom's add body, whatever the column order", () => {
    const lines = describeMapping(inferMapping(["Company", "Surname", "First", "Email"]));
    expect(lines.map((line) => line.split(" ")[0])).toEqual(["email", "first_name", "last_name", "org"]);
  });

  it("widens the label column to the longest field shown", () => {
    expect(describeMapping(inferMapping(["Email", "First", "Purchase Role"]))).toEqual([
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
    expect(describeMapping(inferMapping(["Email", "Full Name"]))).toEqual([
      'email       <- "Email"',
      'first_name  <- "Full Name" (all but the last word)',
      'last_name   <- "Full Name" (the last word)',
    ]);
  });

  it("shows a custom_questions column", () => {
    expect(describeMapping(inferMapping(["email", "first_name", "custom_questions"]))).toContain('custom_questions  <- "custom_questions" (a list of {title, value})');
  });

  it("shows dotted paths and quotes names holding quotes", () => {
    expect(describeMapping({ fields: { email: "contact.email", first_name: 'the "given" name' }, questions: [], unmapped: [] })).toEqual([
      'email       <- "contact.email"',
      'first_name  <- "the \\"given\\" name"',
    ]);
  });

  it("has no unmapped line when every column is used", () => {
    expect(describeMapping(inferMapping(["Email", "First Name"])).some((line) => line.startsWith("unmapped"))).toBe(false);
  });
});
