import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { closestColumn, createColumnChecker, nameSimilarity } from "../../../src/preflight/columns.js";
import { inferMapping, type ColumnMapping } from "../../../src/registrant/mapping.js";
import type { RegistrationQuestions } from "../../../src/zoom/client.js";

describe("nameSimilarity", () => {
  it.each([
    { a: "T-shirt size", b: "t_shirt SIZE", score: 1 },
    { a: "T-shirt size", b: "T-Shirt", score: 0.8 },
    { a: "T-shirt size", b: "Size", score: 0.7 },
    { a: "Dietary needs", b: "Diet", score: 0.5 + 0.5 * (4 / 12) },
    { a: "city", b: "cty", score: 0.75 },
    { a: "city", b: "Town", score: 0 },
    { a: "paid", b: "id", score: 0.5 },
    { a: "", b: "Email", score: 0 },
    { a: "--", b: "Email", score: 0 },
  ])("$a ~ $b = $score", ({ a, b, score }) => {
    expect(nameSimilarity(a, b)).toBeCloseTo(score, 5);
    expect(nameSimilarity(b, a)).toBeCloseTo(score, 5);
  });
});

describe("closestColumn", () => {
  it.each([
    { names: ["T-shirt size"], candidates: ["Internal ID", "T-Shirt", "Signed up"], closest: "T-Shirt" },
    { names: ["T-shirt size"], candidates: ["Size", "T-Shirt"], closest: "T-Shirt" },
    { names: ["Dietary needs"], candidates: ["Allergies", "Diet"], closest: "Diet" },
    { names: ["city", "town"], candidates: ["Town", "Notes"], closest: "Town" },
    { names: ["phone", "mobile"], candidates: ["Mobile No."], closest: "Mobile No." },
    { names: ["Dietary needs"], candidates: ["Internal ID", "Signed up"], closest: undefined },
    { names: ["city"], candidates: [], closest: undefined },
  ])("$names among $candidates: $closest", ({ names, candidates, closest }) => {
    expect(closestColumn(names, candidates)).toBe(closest);
  });
});

const form: RegistrationQuestions = {
  questions: [
    { field_name: "city", required: true },
    { field_name: "org", required: false },
  ],
  custom_questions: [
    { title: "Dietary needs", type: "short", required: false, answers: [] },
    { title: "T-shirt size", type: "single", required: true, answers: ["S", "M", "L"] },
  ],
};
const checkColumns = createColumnChecker(form);
const titles = form.custom_questions.map((question) => question.title);
const mapped = (columns: string[], questions: { title: string; column: string }[] = []): ColumnMapping =>
  inferMapping(columns, { questionTitles: titles, overrides: { fields: {}, questions } });

describe("createColumnChecker", () => {
  it.each<{ what: string; mapping: ColumnMapping }>([
    { what: "every required column is there", mapping: mapped(["Email", "First Name", "City", "question: T-shirt size"]) },
    { what: "a full name carries first_name", mapping: mapped(["Email", "Name", "Town", "T-shirt size"]) },
    { what: "a stated question is spelled loosely (the event's spelling is used)", mapping: mapped(["Email", "First", "City", "Shirt"], [{ title: "t-shirt SIZE", column: "Shirt" }]) },
    { what: "a custom_questions column may answer the required question", mapping: mapped(["email", "first_name", "city", "custom_questions"]) },
    { what: "an optional field and question are not carried", mapping: mapped(["email", "first_name", "city", "question: T-shirt size"]) },
  ])("has nothing to say when $what", ({ mapping }) => {
    expect(checkColumns(mapping)).toBeUndefined();
  });

  it.each<{ what: string; mapping: ColumnMapping; message: string; hint: string }>([
    {
      what: "a required question, with the closest unmapped column",
      mapping: mapped(["Email", "First", "City", "T-Shirt", "Internal ID"]),
      message: 'the form requires "T-shirt size" and no column carries it',
      hint: 'pass --question "T-shirt size=T-Shirt"',
    },
    {
      what: "a required field, with the closest unmapped column",
      mapping: mapped(["Email", "First", "Cty", "question: T-shirt size"]),
      message: "the form requires city and no column carries it",
      hint: "pass --map city=Cty",
    },
    {
      what: "a required field no column resembles, listing the unmapped columns",
      mapping: mapped(["Email", "First", "Internal ID", "question: T-shirt size"]),
      message: "the form requires city and no column carries it",
      hint: 'pass --map city=<column> (the unmapped columns are "Internal ID"), or add the column',
    },
    {
      what: "a required field, quoting a column name with a space for the shell",
      mapping: mapped(["Email", "First", "Home City", "question: T-shirt size"]),
      message: "the form requires city and no column carries it",
      hint: 'pass --map "city=Home City"',
    },
    {
      what: "a required field in a wide export, listing ten unmapped columns",
      mapping: mapped(["Email", "First", "question: T-shirt size", ...Array.from({ length: 12 }, (_, index) => `Extra ${index + 1}`)]),
      message: "the form requires city and no column carries it",
      hint: `pass --map city=<column> (the unmapped columns are ${Array.from({ length: 10 }, (_, index) => `"Extra ${index + 1}"`).join(", ")} and 2 more), or add the column`,
    },
    {
      what: "first_name, which Zoom always requires",
      mapping: mapped(["Email", "Given", "City", "question: T-shirt size"]),
      message: "the form requires first_name and no column carries it",
      hint: "pass --map first_name=Given",
    },
    {
      what: "several at once, in one message",
      mapping: mapped(["Email", "First", "Shirt Size"]),
      message: 'the form requires city and "T-shirt size" and no column carries them',
      hint: 'pass --map city=<column> --question "T-shirt size=Shirt Size" (the unmapped columns are "Shirt Size"), or add the columns',
    },
    {
      what: "a stated question title the event does not have, suggesting its own",
      mapping: mapped(["Email", "First", "City", "Shirt"], [{ title: "Shirt", column: "Shirt" }]),
      message: 'the event has no question "Shirt" (--question "Shirt=Shirt"); its questions are "Dietary needs", "T-shirt size"; the form requires "T-shirt size" and no column carries it',
      hint: 'did you mean --question "T-shirt size=Shirt"? Titles are matched as the event spells them; pass --question "T-shirt size=Shirt"',
    },
    {
      what: "a question: column the event does not have",
      mapping: mapped(["Email", "First", "City", "question: T-shirt size", "question: Allergies"]),
      message: 'the event has no question "Allergies" (column "question: Allergies"); its questions are "Dietary needs", "T-shirt size"',
      hint: 'answer one of the event\'s questions: --question "<title>=question: Allergies"',
    },
  ])("refuses $what", ({ mapping, message, hint }) => {
    const error = checkColumns(mapping);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(message);
    expect(error?.hint).toBe(hint);
  });

  it("refuses a question: column on an event that asks none", () => {
    const check = createColumnChecker({ questions: [], custom_questions: [] });
    const error = check(inferMapping(["email", "first_name", "question: Diet"], { questionTitles: [] }));
    expect(error?.message).toBe('the event has no question "Diet" (column "question: Diet"); it asks no custom questions');
    expect(error?.hint).toBe('rename column "question: Diet": a "question:" column is sent as the answer to a question of that title');
  });

  it("refuses a stated question on an event that asks none", () => {
    const check = createColumnChecker({ questions: [], custom_questions: [] });
    const error = check(inferMapping(["email", "first_name", "Diet"], { questionTitles: [], overrides: { fields: {}, questions: [{ title: "Dietary needs", column: "Diet" }] } }));
    expect(error?.message).toBe('the event has no question "Dietary needs" (--question "Dietary needs=Diet"); it asks no custom questions');
    expect(error?.hint).toBe('leave out --question "Dietary needs=Diet" (and any "questions" entry in zoomreg.config.json for it)');
  });
});
