import { describe, expect, it } from "vitest";
import { LANGUAGES, NO_OF_EMPLOYEES, formatChoices, registrantSchema, toText } from "../../../src/registrant/schema.js";

const valid = { email: "ann@example.com", first_name: "Ann" };

function parse(input: Record<string, unknown>): unknown {
  const result = registrantSchema.safeParse(input);
  return result.success ? result.data : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("toText", () => {
  it.each([
    ["  Ann  ", "Ann"],
    ["", undefined],
    ["   ", undefined],
    [null, undefined],
    [undefined, undefined],
    [12345, "12345"],
    [0, "0"],
    [true, "true"],
    [false, "false"],
  ])("reads %j as %j", (value, text) => {
    expect(toText(value)).toBe(text);
  });

  it.each([[{}], [[]], [["a"]]])("passes %j on for the schema to reject", (value) => {
    expect(toText(value)).toBe(value);
  });
});

describe("registrantSchema", () => {
  it("accepts the two required fields alone", () => {
    expect(parse(valid)).toEqual(valid);
  });

  it("trims every value", () => {
    expect(parse({ email: " ann@example.com\t", first_name: " Ann ", last_name: " Lee ", city: " Oslo " })).toEqual({
      email: "ann@example.com",
      first_name: "Ann",
      last_name: "Lee",
      city: "Oslo",
    });
  });

  it.each(["last_name", "address", "city", "state", "zip", "country", "phone", "comments", "industry", "job_title", "org", "no_of_employees", "purchasing_time_frame", "role_in_purchase_process", "language", "custom_questions"])(
    "leaves out an empty %s",
    (field) => {
      expect(parse({ ...valid, [field]: "  " })).toEqual(valid);
      expect(parse({ ...valid, [field]: null })).toEqual(valid);
    },
  );

  it("drops keys that are not part of Zoom's add body", () => {
    expect(parse({ ...valid, auto_approve: true, favourite_colour: "green" })).toEqual(valid);
  });

  it.each([
    { name: "a missing email", input: { first_name: "Ann" }, issues: ["email: missing"] },
    { name: "a blank email", input: { email: " ", first_name: "Ann" }, issues: ["email: missing"] },
    { name: "a missing first name", input: { email: "ann@example.com" }, issues: ["first_name: missing"] },
    { name: "an object as first name", input: { ...valid, first_name: { given: "Ann" } }, issues: ["first_name: not a text value"] },
    { name: "an array as city", input: { ...valid, city: ["Oslo"] }, issues: ["city: not a text value"] },
    { name: "a first name of 65 characters", input: { ...valid, first_name: "a".repeat(65) }, issues: ["first_name: longer than 64 characters (65)"] },
    { name: "a last name of 71 characters", input: { ...valid, last_name: "b".repeat(71) }, issues: ["last_name: longer than 64 characters (71)"] },
    { name: "an email of 129 characters", input: { ...valid, email: `${"a".repeat(117)}@example.com` }, issues: ["email: longer than 128 characters (129)"] },
    { name: "an invalid email", input: { ...valid, email: "ann.example.com" }, issues: ['email: no "@" (ann.example.com): check the address'] },
    { name: "a country name", input: { ...valid, country: "Germany" }, issues: ["country: must be a two-letter country code such as US"] },
    { name: "an unknown language", input: { ...valid, language: "Klingon" }, issues: [`language: must be one of ${LANGUAGES.join(", ")}`] },
    {
      name: "an unknown company size",
      input: { ...valid, no_of_employees: "lots" },
      issues: ['no_of_employees: must be one of 1-20, 21-50, 51-100, 101-500, "500-1,000", "1,001-5,000", "5,001-10,000", "More than 10,000"'],
    },
    { name: "an unknown purchase role", input: { ...valid, role_in_purchase_process: "Boss" }, issues: ['role_in_purchase_process: must be one of "Decision Maker", Evaluator/Recommender, Influencer, "Not involved"'] },
    { name: "a question answer of 129 characters", input: { ...valid, custom_questions: [{ title: "Role", value: "x".repeat(129) }] }, issues: ["custom_questions.0.value: longer than 128 characters (129)"] },
    { name: "a question without a title", input: { ...valid, custom_questions: [{ value: "x" }] }, issues: ["custom_questions.0.title: missing"] },
    { name: "questions that are not a list", input: { ...valid, custom_questions: "Role=CTO" }, issues: ["custom_questions: not a list of {title, value} objects"] },
  ])("rejects $name", ({ input, issues }) => {
    expect(parse(input)).toEqual(issues);
  });

  it("counts a value's length after trimming it", () => {
    expect(parse({ ...valid, first_name: ` ${"a".repeat(64)} ` })).toEqual({ ...valid, first_name: "a".repeat(64) });
  });

  it.each([
    ["ann+zoom@example.com"],
    ["o'brien@example.org"],
    ["first.last@mail.sub.example.com"],
    ["UPPER@EXAMPLE.COM"],
    ["user@xn--bcher-kva.example"],
  ])("accepts the email %s", (email) => {
    expect(parse({ ...valid, email })).toEqual({ ...valid, email });
  });

  it.each([
    { name: "a display name", email: "Ann <ann@x.org>", reason: "a display name and an address (Ann <ann@x.org>): keep only the address" },
    { name: "a quoted display name", email: '"Lee, Ann" <ann@x.org>', reason: 'a display name and an address ("Lee, Ann" <ann@x.org>): keep only the address' },
    { name: "angle brackets alone", email: "<ann@x.org>", reason: "angle brackets around the address (<ann@x.org>): remove them" },
    { name: "mailto:", email: "mailto:ann@x.org", reason: 'starts with "mailto:" (mailto:ann@x.org): remove "mailto:"' },
    { name: "MAILTO: in capitals", email: "MAILTO:ann@x.org", reason: 'starts with "mailto:" (MAILTO:ann@x.org): remove "mailto:"' },
    { name: "quotes around it", email: '"ann@x.org"', reason: 'quotes around the address ("ann@x.org"): remove them' },
    { name: "two addresses", email: "ann@x.org; bob@y.org", reason: "two addresses in one cell (ann@x.org; bob@y.org): keep one (one person per row)" },
    { name: "two addresses with a comma", email: "ann@x.org,bob@y.org", reason: "two addresses in one cell (ann@x.org,bob@y.org): keep one (one person per row)" },
    { name: "a space inside", email: "ann lee@example.com", reason: "a space inside (ann lee@example.com): remove it" },
    { name: "a space before the @", email: "ann @example.com", reason: "a space inside (ann @example.com): remove it" },
    { name: "a no-break space inside", email: "ann\u00A0lee@example.com", reason: "a space inside (ann\u00A0lee@example.com): remove it" },
    { name: "a zero-width space", email: "ann\u200B@example.com", reason: "an invisible character (U+200B) inside (ann\u200B@example.com): retype the address" },
    { name: "an accent before the @", email: "anné@x.org", reason: 'non-ASCII characters ("é") (anné@x.org): Zoom takes ASCII addresses only; check the address' },
    { name: "an accented domain", email: "ann@bücher.example", reason: 'non-ASCII characters ("ü") in the domain (ann@bücher.example): write it as ann@xn--bcher-kva.example' },
    { name: "Cyrillic", email: "оля@пример.рф", reason: 'non-ASCII characters ("оля") (оля@пример.рф): Zoom takes ASCII addresses only; check the address' },
    { name: "no @", email: "ann.example.com", reason: 'no "@" (ann.example.com): check the address' },
    { name: "(at) for @", email: "ada(at)example.com", reason: '"(at)" in place of "@" (ada(at)example.com): write "@"' },
    { name: "[at] for @", email: "ada [at] example.com", reason: '"(at)" in place of "@" (ada [at] example.com): write "@"' },
    { name: "two @", email: "ann@@example.com", reason: '2 "@" signs (ann@@example.com): an address has one' },
    { name: "@ twice apart", email: "ann@x@example.com", reason: '2 "@" signs (ann@x@example.com): an address has one' },
    { name: "nothing before the @", email: "@example.com", reason: 'nothing before the "@" (@example.com): check the address' },
    { name: "nothing after the @", email: "ann@", reason: 'nothing after the "@" (ann@): check the address' },
    { name: "a domain without a dot", email: "ann@example", reason: "the domain has no dot (ann@example): check the address (e.g. example.com)" },
    { name: "a leading dot", email: ".ann@example.com", reason: "not a valid email address" },
    { name: "a double dot", email: "ann..lee@example.com", reason: "not a valid email address" },
  ])("rejects $name with its cause and fix", ({ email, reason }) => {
    expect(parse({ ...valid, email })).toEqual([`email: ${reason}`]);
  });

  it("quotes at most 60 characters of the address", () => {
    const email = `mailto:${"a".repeat(70)}@example.com`;
    expect(parse({ ...valid, email })).toEqual([`email: starts with "mailto:" (${email.slice(0, 59)}…): remove "mailto:"`]);
  });

  it("trims spaces around an address before judging it", () => {
    expect(parse({ ...valid, email: " \tann@example.com\u00A0" })).toEqual(valid);
  });

  it.each([
    ["language", "EN-us", "en-US"],
    ["language", "en_US", "en-US"],
    ["language", "tr-tr", "Tr-TR"],
    ["language", "ja-JP", "jp-JP"],
    ["language", "ko-KR", "ko-KO"],
    ["no_of_employees", "more than 10,000", "More than 10,000"],
    ["no_of_employees", "500-1000", "500-1,000"],
    ["no_of_employees", "1,001 - 5,000", "1,001-5,000"],
    ["no_of_employees", "101-250", "101-500"],
    ["no_of_employees", "251-500", "101-500"],
    ["no_of_employees", "501-1,000", "500-1,000"],
    ["purchasing_time_frame", "within a month", "Within a month"],
    ["purchasing_time_frame", "1-3 Months", "1-3 months"],
    ["role_in_purchase_process", "decision maker", "Decision Maker"],
    ["role_in_purchase_process", "EVALUATOR/RECOMMENDER", "Evaluator/Recommender"],
    ["country", "de", "DE"],
  ])("writes %s %j as Zoom's %j", (field, input, output) => {
    expect(parse({ ...valid, [field]: input })).toEqual({ ...valid, [field]: output });
  });

  it("emits every company size in Zoom's add spelling", () => {
    for (const size of NO_OF_EMPLOYEES) expect(parse({ ...valid, no_of_employees: size })).toEqual({ ...valid, no_of_employees: size });
  });

  it("turns numbers into text", () => {
    expect(parse({ ...valid, zip: 8001, phone: 4915112345678 })).toEqual({ ...valid, zip: "8001", phone: "4915112345678" });
  });

  it("keeps answered custom questions and leaves out blank answers", () => {
    expect(
      parse({
        ...valid,
        custom_questions: [
          { title: "Dietary needs", value: " vegan " },
          { title: "Role", value: "" },
          { title: "Seats", value: 2 },
        ],
      }),
    ).toEqual({
      ...valid,
      custom_questions: [
        { title: "Dietary needs", value: "vegan" },
        { title: "Seats", value: "2" },
      ],
    });
  });

  it("leaves out custom_questions when no answer is given", () => {
    expect(parse({ ...valid, custom_questions: [{ title: "Role", value: " " }] })).toEqual(valid);
  });
});

describe("formatChoices", () => {
  it("quotes choices holding a comma or a space", () => {
    expect(formatChoices(["en-US", "500-1,000", "No timeframe"])).toBe('en-US, "500-1,000", "No timeframe"');
  });
});
