import { describe, expect, it } from "vitest";
import { inferMapping } from "../../../src/registrant/mapping.js";
import { validateRecord } from "../../../src/registrant/validate.js";

const header = ["E-mail", "First Name", "Last Name", "Language", "question: Dietary needs", "question: Role"];
const mapping = inferMapping(header);
const row = { "E-mail": "ann@example.com", "First Name": "Ann", "Last Name": "Lee", Language: "", "question: Dietary needs": "", "question: Role": "" };

describe("validateRecord", () => {
  it("builds the add body from mapped columns", () => {
    expect(validateRecord({ ...row, Language: "de-de", "question: Role": " CTO " }, mapping)).toEqual({
      ok: true,
      registrant: { email: "ann@example.com", first_name: "Ann", last_name: "Lee", language: "de-DE", custom_questions: [{ title: "Role", value: "CTO" }] },
    });
  });

  it("ignores unmapped columns", () => {
    expect(validateRecord({ email: "ann@example.com", first_name: "Ann", secret_notes: "x" }, inferMapping(["email", "first_name", "secret_notes"]))).toEqual({
      ok: true,
      registrant: { email: "ann@example.com", first_name: "Ann" },
    });
  });

  it.each([
    { name: "a missing email", fields: { "E-mail": "" }, reasons: ["email: missing"] },
    { name: "an invalid email", fields: { "E-mail": "ann(at)example.com" }, reasons: ['email: "(at)" in place of "@" (ann(at)example.com): write "@"'] },
    { name: "a missing first name", fields: { "First Name": "  " }, reasons: ["first_name: missing"] },
    { name: "a first name over 64 characters", fields: { "First Name": "x".repeat(71) }, reasons: ["first_name: longer than 64 characters (71)"] },
    { name: "an object as first name", fields: { "First Name": { text: "Ann" } }, reasons: ["first_name: not a text value"] },
    { name: "an unknown language", fields: { Language: "xx" }, reasons: ["language: must be one of en-US, de-DE, es-ES, fr-FR, jp-JP, pt-PT, ru-RU, zh-CN, zh-TW, ko-KO, it-IT, vi-VN, pl-PL, Tr-TR"] },
    { name: "a long answer", fields: { "question: Role": "r".repeat(130) }, reasons: ['question "Role": longer than 128 characters (130)'] },
    { name: "an array as an answer", fields: { "question: Role": ["CTO"] }, reasons: ['question "Role": not a text value'] },
    {
      name: "several broken fields",
      fields: { "E-mail": "nope", "First Name": "", "Last Name": "y".repeat(65) },
      reasons: ['email: no "@" (nope): check the address', "first_name: missing", "last_name: longer than 64 characters (65)"],
    },
  ])("rejects $name with its reasons", ({ fields, reasons }) => {
    expect(validateRecord({ ...row, ...fields }, mapping)).toEqual({ ok: false, reasons });
  });

  it.each([
    { name: "numbers", value: 8001, text: "8001" },
    { name: "booleans", value: true, text: "true" },
  ])("writes $name as text", ({ value, text }) => {
    const result = validateRecord({ email: "ann@example.com", first_name: "Ann", zip: value }, inferMapping(["email", "first_name", "zip"]));
    expect(result).toEqual({ ok: true, registrant: { email: "ann@example.com", first_name: "Ann", zip: text } });
  });

  it.each([[null], [undefined], [""]])("treats %j as no value", (value) => {
    const result = validateRecord({ email: "ann@example.com", first_name: "Ann", zip: value }, inferMapping(["email", "first_name", "zip"]));
    expect(result).toEqual({ ok: true, registrant: { email: "ann@example.com", first_name: "Ann" } });
  });

  it("splits a full-name column into first and last name", () => {
    const result = validateRecord({ email: "ann@example.com", name: "Ann Marie Lee" }, inferMapping(["email", "name"]));
    expect(result).toEqual({ ok: true, registrant: { email: "ann@example.com", first_name: "Ann Marie", last_name: "Lee" } });
  });

  it("reports a blank full name as a missing first name", () => {
    expect(validateRecord({ email: "ann@example.com", name: " " }, inferMapping(["email", "name"]))).toEqual({ ok: false, reasons: ["first_name: missing"] });
  });

  it("reads Zoom-shaped custom_questions from a JSON record alongside question columns", () => {
    const fields = { email: "ann@example.com", first_name: "Ann", "q: Role": "CTO", custom_questions: [{ title: "Seats", value: 2 }] };
    expect(validateRecord(fields, inferMapping(Object.keys(fields)))).toEqual({
      ok: true,
      registrant: {
        email: "ann@example.com",
        first_name: "Ann",
        custom_questions: [
          { title: "Role", value: "CTO" },
          { title: "Seats", value: "2" },
        ],
      },
    });
  });

  it("names a Zoom-shaped answer without a title by its place in the list", () => {
    const fields = { email: "ann@example.com", first_name: "Ann", custom_questions: [{ title: "Seats", value: "2" }, { value: "x" }] };
    expect(validateRecord(fields, inferMapping(Object.keys(fields)))).toEqual({ ok: false, reasons: ["custom_questions[2].title: missing"] });
  });

  it("rejects a custom_questions value that is not a list", () => {
    const fields = { email: "ann@example.com", first_name: "Ann", custom_questions: "Role=CTO" };
    expect(validateRecord(fields, inferMapping(Object.keys(fields)))).toEqual({ ok: false, reasons: ["custom_questions: not a list of {title, value} objects"] });
  });
});

describe("validateRecord with dotted paths", () => {
  const record = { contact: { email: "ann@example.com" }, name: { given: "Ann", family: "Lee" }, answers: { diet: "vegan" } };
  const overrides = { fields: { email: "contact.email", first_name: "name.given", last_name: "name.family" }, questions: [{ title: "Dietary needs", column: "answers.diet" }] };

  it("reads fields and answers from nested records", () => {
    expect(validateRecord(record, inferMapping(Object.keys(record), { overrides }))).toEqual({
      ok: true,
      registrant: { email: "ann@example.com", first_name: "Ann", last_name: "Lee", custom_questions: [{ title: "Dietary needs", value: "vegan" }] },
    });
  });

  it("says missing when a record lacks the nested field", () => {
    expect(validateRecord({ ...record, contact: {} }, inferMapping(Object.keys(record), { overrides }))).toEqual({ ok: false, reasons: ["email: missing"] });
  });

  it("reads a column whose name holds dots as written", () => {
    const flat = { "contact.email": "ann@example.com", first_name: "Ann" };
    expect(validateRecord(flat, inferMapping(Object.keys(flat), { overrides: { fields: { email: "contact.email" }, questions: [] } }))).toEqual({
      ok: true,
      registrant: { email: "ann@example.com", first_name: "Ann" },
    });
  });
});
