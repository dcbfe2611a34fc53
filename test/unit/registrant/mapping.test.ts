import { describe, expect, it } from "vitest";
import { createRowMapper, fieldAliases, inferMapping, isQuestionColumn, normaliseColumnName, splitFullName } from "../../../src/registrant/mapping.js";
import type { RegistrantField } from "../../../src/registrant/schema.js";

describe("normaliseColumnName", () => {
  it.each([
    ["E-mail Address", "emailaddress"],
    ["email_address", "emailaddress"],
    [" First  Name ", "firstname"],
    ["No. of Employees", "noofemployees"],
    ["Prénom", "prénom"],
  ])("normalises %j to %j", (name, key) => {
    expect(normaliseColumnName(name)).toBe(key);
  });
});

describe("inferMapping", () => {
  it.each<[string, RegistrantField]>([
    ["Email", "email"],
    ["E-mail", "email"],
    ["email_address", "email"],
    ["Email Address", "email"],
    ["MAIL", "email"],
    ["First Name", "first_name"],
    ["firstname", "first_name"],
    ["given_name", "first_name"],
    ["Forename", "first_name"],
    ["first", "first_name"],
    ["first_name", "first_name"],
    ["Last Name", "last_name"],
    ["lastname", "last_name"],
    ["Surname", "last_name"],
    ["family_name", "last_name"],
    ["last", "last_name"],
    ["Company", "org"],
    ["Organization", "org"],
    ["Organisation", "org"],
    ["org", "org"],
    ["Job Title", "job_title"],
    ["Title", "job_title"],
    ["Position", "job_title"],
    ["Phone", "phone"],
    ["Telephone", "phone"],
    ["Mobile", "phone"],
    ["Zip", "zip"],
    ["Postcode", "zip"],
    ["Postal Code", "zip"],
    ["Country", "country"],
    ["State", "state"],
    ["Region", "state"],
    ["Province", "state"],
    ["City", "city"],
    ["Town", "city"],
    ["Address", "address"],
    ["Street", "address"],
    ["Comments", "comments"],
    ["comment", "comments"],
    ["Questions & Comments", "comments"],
    ["Industry", "industry"],
    ["Language", "language"],
    ["No of employees", "no_of_employees"],
    ["Employees", "no_of_employees"],
    ["no_of_employees", "no_of_employees"],
    ["Purchasing Time Frame", "purchasing_time_frame"],
    ["role_in_purchase_process", "role_in_purchase_process"],
  ])("maps the column %j to %s", (column, field) => {
    expect(inferMapping([column]).fields).toEqual({ [field]: column });
  });

  // The host sees comments in Zoom: a column reaches it only under Zoom's name (issue 12).
  it.each([["Role"], ["Salutation"], ["Favourite colour"], ["Email 2"], ["Notes"], ["note"], ["Remarks"], ["Internal notes"]])("leaves the column %j unmapped", (column) => {
    expect(inferMapping([column])).toEqual({ fields: {}, questions: [], unmapped: [column] });
  });

  it.each([
    ["question: Dietary needs", "Dietary needs"],
    ["Question:Dietary needs", "Dietary needs"],
    ["QUESTION :  Dietary needs  ", "Dietary needs"],
    ["q: T-shirt size (EU)", "T-shirt size (EU)"],
    ["Q:How did you hear about us?", "How did you hear about us?"],
  ])("reads %j as an answer to the custom question %j", (column, title) => {
    expect(inferMapping([column]).questions).toEqual([{ title, column }]);
  });

  it("leaves a question column without a title unmapped", () => {
    expect(inferMapping(["question:  "])).toEqual({ fields: {}, questions: [], unmapped: ["question:  "] });
  });

  it("keeps the first of two columns answering the same question", () => {
    expect(inferMapping(["question: Role", "q: role"])).toEqual({ fields: {}, questions: [{ title: "Role", column: "question: Role" }], unmapped: ["q: role"] });
  });

  it("answers a known event question from a column named like it, with the event's spelling", () => {
    expect(inferMapping(["Email", "dietary-needs"], { questionTitles: ["Dietary needs"] }).questions).toEqual([{ title: "Dietary needs", column: "dietary-needs" }]);
  });

  it("prefers a standard field over a known event question of the same name", () => {
    expect(inferMapping(["Company"], { questionTitles: ["Company"] })).toEqual({ fields: { org: "Company" }, questions: [], unmapped: [] });
  });

  it("keeps the first of several columns for the same field and lists the others as unmapped", () => {
    expect(inferMapping(["E-mail", "Name", "Email", "Company", "Organisation"])).toMatchObject({
      fields: { email: "E-mail", org: "Company" },
      unmapped: ["Email", "Organisation"],
    });
  });

  it("maps a typical export's header", () => {
    expect(inferMapping(["E-mail", "First Name", "Last Name", "Company", "Job Title", "question: Dietary needs", "Internal ID"])).toEqual({
      fields: { email: "E-mail", first_name: "First Name", last_name: "Last Name", org: "Company", job_title: "Job Title" },
      questions: [{ title: "Dietary needs", column: "question: Dietary needs" }],
      unmapped: ["Internal ID"],
    });
  });

  it("uses a full-name column when there is no first or last name column", () => {
    expect(inferMapping(["Email", "Full Name"])).toEqual({ fields: { email: "Email" }, questions: [], fullName: "Full Name", unmapped: [] });
  });

  it.each([[["Email", "Name", "First Name"]], [["Email", "Name", "Surname"]]])("leaves a full-name column unmapped next to a name column in %j", (columns) => {
    const mapping = inferMapping(columns);
    expect(mapping.fullName).toBeUndefined();
    expect(mapping.unmapped).toEqual(["Name"]);
  });

  it("reads a custom_questions key as Zoom's list of answers", () => {
    expect(inferMapping(["email", "custom_questions"])).toEqual({ fields: { email: "email" }, questions: [], customQuestions: "custom_questions", unmapped: [] });
  });
});

describe("splitFullName", () => {
  it.each([
    ["Ann Lee", { first_name: "Ann", last_name: "Lee" }],
    ["  Ada   King Lovelace ", { first_name: "Ada King", last_name: "Lovelace" }],
    ["Cher", { first_name: "Cher" }],
    ["John Smith, Jr.", { first_name: "John", last_name: "Smith, Jr." }],
    ["Martin Luther King III", { first_name: "Martin Luther", last_name: "King III" }],
    ["Zoë Ångström", { first_name: "Zoë", last_name: "Ångström" }],
    ["山田太郎", { first_name: "山田太郎" }],
  ])("splits %j", (name, parts) => {
    expect(splitFullName(name)).toEqual(parts);
  });
});

describe("createRowMapper", () => {
  it("returns the same mapping for records with the same keys", () => {
    const mapper = createRowMapper();
    expect(mapper.mappingFor({ Email: "a", "First Name": "b" })).toBe(mapper.mappingFor({ Email: "c", "First Name": "d" }));
  });

  it("maps records with different keys separately", () => {
    const mapper = createRowMapper();
    expect(mapper.mappingFor({ email: "a", first_name: "b" }).fields).toEqual({ email: "email", first_name: "first_name" });
    expect(mapper.mappingFor({ mail: "a", given_name: "b", org: "c" }).fields).toEqual({ email: "mail", first_name: "given_name", org: "org" });
  });

  it("passes the event's question titles on", () => {
    expect(createRowMapper({ questionTitles: ["Role"] }).mappingFor({ role: "CTO" }).questions).toEqual([{ title: "Role", column: "role" }]);
  });
});

describe("fieldAliases and isQuestionColumn", () => {
  it("names the field itself first, then its aliases", () => {
    expect(fieldAliases("comments")).toEqual(["comments", "comments", "comment", "questions and comments", "questions & comments"]);
    expect(fieldAliases("city")).toEqual(["city", "city", "town"]);
  });

  it.each([
    ["question: Dietary needs", true],
    ["Q:Size", true],
    ["Questions and comments", false],
    ["Dietary needs", false],
  ])("%j answers a question by its name: %s", (column, expected) => {
    expect(isQuestionColumn(column)).toBe(expected);
  });
});

describe("inferMapping with stated mappings", () => {
  const messyHeader = ["Contact", "Given Name", "Surname/Family", "E-mail", "Diet", "Notes", "Internal ID"];

  it("maps the stated columns and infers the rest", () => {
    const mapping = inferMapping(messyHeader, {
      overrides: { fields: { email: "Contact", last_name: "Surname/Family" }, questions: [{ title: "Dietary needs", column: "Diet" }] },
    });
    expect(mapping).toEqual({
      fields: { email: "Contact", first_name: "Given Name", last_name: "Surname/Family" },
      questions: [{ title: "Dietary needs", column: "Diet" }],
      unmapped: ["E-mail", "Notes", "Internal ID"],
    });
  });

  it("sends a notes column to comments only when stated (--map comments=Notes)", () => {
    expect(inferMapping(["Email", "Notes"]).fields).toEqual({ email: "Email" });
    expect(inferMapping(["Email", "Notes"], { overrides: { fields: { comments: "Notes" }, questions: [] } }).fields).toEqual({ comments: "Notes", email: "Email" });
  });

  it("lists the column the aliases would have used for an overridden field as unmapped", () => {
    expect(inferMapping(["Email", "Work Email", "First Name"], { overrides: { fields: { email: "Work Email" }, questions: [] } })).toEqual({
      fields: { email: "Work Email", first_name: "First Name" },
      questions: [],
      unmapped: ["Email"],
    });
  });

  it.each([
    { name: "a field", columns: ["Email", "Title"], overrides: { fields: { last_name: "Title" }, questions: [] }, fields: { email: "Email", last_name: "Title" } },
    { name: "a question", columns: ["Email", "Title"], overrides: { fields: {}, questions: [{ title: "Honorific", column: "Title" }] }, fields: { email: "Email" } },
  ])("keeps a column stated for $name out of the aliases", ({ columns, overrides, fields }) => {
    const mapping = inferMapping(columns, { overrides });
    expect(mapping.fields).toEqual(fields);
    expect(mapping.unmapped).toEqual([]);
  });

  it("lets a stated question replace a question column of the same title", () => {
    expect(inferMapping(["Email", "question: Dietary needs", "Diet"], { overrides: { fields: {}, questions: [{ title: "dietary needs", column: "Diet" }] } })).toEqual({
      fields: { email: "Email" },
      questions: [{ title: "dietary needs", column: "Diet" }],
      unmapped: ["question: Dietary needs"],
    });
  });

  it("spells a stated question as the event does when the event's titles are known", () => {
    const mapping = inferMapping(["Email", "Diet"], { questionTitles: ["Dietary Needs?"], overrides: { fields: {}, questions: [{ title: "dietary needs", column: "Diet" }] } });
    expect(mapping.questions).toEqual([{ title: "Dietary Needs?", column: "Diet" }]);
  });

  it("does not split a full-name column when a name field is stated", () => {
    expect(inferMapping(["Email", "Name", "Nickname"], { overrides: { fields: { first_name: "Nickname" }, questions: [] } })).toEqual({
      fields: { email: "Email", first_name: "Nickname" },
      questions: [],
      unmapped: ["Name"],
    });
  });

  it("takes the top-level column of a dotted path out of the aliases", () => {
    expect(inferMapping(["contact", "name", "id"], { overrides: { fields: { email: "contact.email", first_name: "name.given", last_name: "name.family" }, questions: [] } })).toEqual({
      fields: { email: "contact.email", first_name: "name.given", last_name: "name.family" },
      questions: [],
      unmapped: ["id"],
    });
  });

  it("takes a column named with dots out of the aliases as written", () => {
    expect(inferMapping(["contact.email", "contact", "first_name"], { overrides: { fields: { email: "contact.email" }, questions: [] } }).unmapped).toEqual(["contact"]);
  });
});

describe("createRowMapper with stated mappings", () => {
  const overrides = { fields: { email: "contact.email" }, questions: [{ title: "Dietary needs", column: "diet" }] };

  it("checks the stated columns against the first record", () => {
    const mapper = createRowMapper({ overrides });
    expect(() => mapper.mappingFor({ contact: { phone: "1" }, diet: "vegan" })).toThrow(/mapping email=contact\.email: the input has no column "contact\.email"; found "contact\.phone", "diet"/);
  });

  it("checks only the first record: later records may lack a stated column", () => {
    const mapper = createRowMapper({ overrides });
    expect(mapper.mappingFor({ contact: { email: "a@x.io" }, diet: "vegan" }).fields).toEqual({ email: "contact.email" });
    expect(mapper.mappingFor({ contact: {}, first_name: "Ann" }).fields).toEqual({ email: "contact.email", first_name: "first_name" });
  });

  it("maps with the stated columns", () => {
    expect(createRowMapper({ overrides }).mappingFor({ contact: { email: "a@x.io" }, diet: "vegan", first_name: "Ann" })).toEqual({
      fields: { email: "contact.email", first_name: "first_name" },
      questions: [{ title: "Dietary needs", column: "diet" }],
      unmapped: [],
    });
  });
});
