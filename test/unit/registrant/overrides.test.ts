import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { checkOverridesAgainst, editDistance, parseMappingOverrides, registrantFieldNamed } from "../../../src/registrant/overrides.js";
import { thrown } from "../../helpers/thrown.js";

describe("parseMappingOverrides", () => {
  it.each([
    { name: "one field", flags: { map: ["email=Contact"] }, fields: { email: "Contact" }, questions: [] },
    { name: "a column with spaces", flags: { map: ["first_name=Given Name"] }, fields: { first_name: "Given Name" }, questions: [] },
    { name: "a dotted path", flags: { map: ["email=contact.email"] }, fields: { email: "contact.email" }, questions: [] },
    { name: "a field written loosely", flags: { map: ["First Name=Given", "LAST-NAME=Surname/Family"] }, fields: { first_name: "Given", last_name: "Surname/Family" }, questions: [] },
    { name: "a column holding =", flags: { map: ["comments=a=b"] }, fields: { comments: "a=b" }, questions: [] },
    { name: "spaces around =", flags: { map: [" email = Contact "] }, fields: { email: "Contact" }, questions: [] },
    { name: "the same field twice, the last winning", flags: { map: ["email=A", "email=B"] }, fields: { email: "B" }, questions: [] },
    { name: "a question", flags: { question: ["Dietary needs=Diet"] }, fields: {}, questions: [{ title: "Dietary needs", column: "Diet" }] },
    { name: "a question title holding =", flags: { question: ["Rate us (1=low)=Score"] }, fields: {}, questions: [{ title: "Rate us (1=low)", column: "Score" }] },
    { name: "a question answered from a nested field", flags: { question: ["Role=profile.role"] }, fields: {}, questions: [{ title: "Role", column: "profile.role" }] },
    {
      name: "the same question twice, the last winning",
      flags: { question: ["Role=A", "Diet=D", "role=B"] },
      fields: {},
      questions: [
        { title: "Diet", column: "D" },
        { title: "role", column: "B" },
      ],
    },
    { name: "nothing", flags: {}, fields: {}, questions: [] },
  ])("reads $name", ({ flags, fields, questions }) => {
    expect(parseMappingOverrides(flags)).toEqual({ fields, questions });
  });

  it.each([
    { flags: { map: ["email"] }, message: "--map email: expected <zoom_field>=<column>" },
    { flags: { map: ["=Contact"] }, message: "--map =Contact: expected <zoom_field>=<column>" },
    { flags: { map: ["email="] }, message: "--map email=: expected <zoom_field>=<column>" },
    { flags: { question: ["Diet"] }, message: '--question Diet: expected "<question title>=<column>"' },
    { flags: { question: ["=Diet"] }, message: '--question =Diet: expected "<question title>=<column>"' },
  ])("refuses $flags", ({ flags, message }) => {
    const error = catchError(() => parseMappingOverrides(flags));
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(/^e\.g\. --/);
  });

  it("refuses a name that is not a Zoom field and lists the valid ones", () => {
    const error = catchError(() => parseMappingOverrides({ map: ["mail_address=Contact"] }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`--map mail_address=Contact: "mail_address" is not a field of Zoom's registrant`);
    expect(error.hint).toContain("use one of email, first_name, last_name, address, city, state, zip, country, phone, comments, industry, job_title, org");
    expect(error.hint).toContain('--question "<title>=<column>"');
  });

  it("refuses custom_questions as a field, pointing to --question", () => {
    expect(catchError(() => parseMappingOverrides({ map: ["custom_questions=Diet"] })).hint).toContain("--question");
  });
});

describe("registrantFieldNamed", () => {
  it.each([
    ["email", "email"],
    ["E-mail", "email"],
    ["first name", "first_name"],
    ["JobTitle", "job_title"],
    ["mail", undefined],
    ["custom_questions", undefined],
  ])("reads %j as %j", (name, field) => {
    expect(registrantFieldNamed(name)).toBe(field);
  });
});

describe("checkOverridesAgainst", () => {
  const record = { Contact: "ann@example.com", "Given Name": "Ann", profile: { role: "CTO", team: { name: "Ops" } } };

  it("accepts columns and dotted paths the record has", () => {
    expect(() =>
      checkOverridesAgainst(record, { fields: { email: "Contact", first_name: "Given Name", job_title: "profile.team.name" }, questions: [{ title: "Role", column: "profile.role" }] }),
    ).not.toThrow();
  });

  it("accepts a column whose value is blank or null", () => {
    expect(() => checkOverridesAgainst({ Diet: null }, { fields: {}, questions: [{ title: "Diet", column: "Diet" }] })).not.toThrow();
  });

  it("names a missing column and lists the columns found, nested ones as paths", () => {
    const error = catchError(() => checkOverridesAgainst(record, { fields: { email: "E-mail" }, questions: [] }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('mapping email=E-mail: the input has no column "E-mail"; found "Contact", "Given Name", "profile.role", "profile.team.name"');
  });

  it("names a missing question column", () => {
    expect(catchError(() => checkOverridesAgainst(record, { fields: {}, questions: [{ title: "Dietary needs", column: "Diet" }] })).message).toMatch(
      /^mapping question "Dietary needs"=Diet: the input has no column "Diet"; found /,
    );
  });

  it.each([
    ["contact", "Contact"],
    ["given_name", "Given Name"],
    ["Contct", "Contact"],
    ["profile.rol", "profile.role"],
  ])("suggests %j -> %j", (column, suggestion) => {
    expect(catchError(() => checkOverridesAgainst(record, { fields: { email: column }, questions: [] })).hint).toBe(`did you mean "${suggestion}"? Columns are matched as written`);
  });

  it("explains dotted paths when nothing is close", () => {
    expect(catchError(() => checkOverridesAgainst(record, { fields: { email: "Work address" }, questions: [] })).hint).toMatch(/dotted path such as contact\.email/);
  });

  it("says so when the record has no columns at all", () => {
    expect(catchError(() => checkOverridesAgainst({}, { fields: { email: "Contact" }, questions: [] })).message).toMatch(/found no columns$/);
  });
});

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["email", "email", 0],
    ["email", "emial", 2],
    ["contact", "contct", 1],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("between %j and %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

const catchError = (run: () => unknown): ConfigError => thrown(ConfigError, run);
