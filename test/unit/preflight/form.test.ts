import { describe, expect, it } from "vitest";
import { createRowChecker, describeColumns, inputNeeds } from "../../../src/preflight/form.js";
import type { RegistrantBody } from "../../../src/registrant/schema.js";
import type { RegistrationQuestions } from "../../../src/zoom/client.js";

/** A webinar form with a bit of everything: two standard fields, a required short question, two single-choice ones. */
const form: RegistrationQuestions = {
  questions: [
    { field_name: "city", required: true },
    { field_name: "org", required: false },
    { field_name: "no_of_employees", required: true },
  ],
  custom_questions: [
    { title: "Dietary needs", type: "short", required: true, answers: [] },
    { title: "T-shirt size", type: "single_radio", required: true, answers: ["S", "M", "L"] },
    { title: "Newsletter", type: "single", required: false, answers: ["Yes", "No"] },
    { title: "Topics", type: "multiple", required: false, answers: ["APIs", "SDKs"] },
  ],
};

const complete: RegistrantBody = {
  email: "ada@example.com",
  first_name: "Ada",
  city: "London",
  no_of_employees: "1-20",
  custom_questions: [
    { title: "Dietary needs", value: "none" },
    { title: "T-shirt size", value: "M" },
  ],
};

const check = createRowChecker(form, { hostEmail: "Host@Example.com" });

function withAnswers(...answers: { title: string; value: string }[]): RegistrantBody {
  return { ...complete, custom_questions: answers };
}

describe("createRowChecker", () => {
  it("finds nothing wrong with a row that answers everything the form requires", () => {
    expect(check(complete)).toEqual([]);
  });

  it.each<[string, RegistrantBody, string[]]>([
    ["a required standard field left out", { ...complete, city: undefined as unknown as string }, ["city: missing; the event's registration form requires it"]],
    ["a required standard field left blank", { ...complete, city: "  " }, ["city: missing; the event's registration form requires it"]],
    [
      "a required custom question left out",
      withAnswers({ title: "T-shirt size", value: "S" }),
      ['question "Dietary needs": missing; the event requires an answer (column "question: Dietary needs")'],
    ],
    [
      "a required custom question answered blank",
      withAnswers({ title: "Dietary needs", value: " " }, { title: "T-shirt size", value: "S" }),
      ['question "Dietary needs": missing; the event requires an answer (column "question: Dietary needs")'],
    ],
    [
      "a single-choice answer not among the answers",
      withAnswers({ title: "Dietary needs", value: "none" }, { title: "T-shirt size", value: "XXL" }),
      ['question "T-shirt size": "XXL" is not one of its answers: S, M, L'],
    ],
    [
      "a single-choice answer in the wrong case, with the spelling to use",
      withAnswers({ title: "Dietary needs", value: "none" }, { title: "T-shirt size", value: "S" }, { title: "Newsletter", value: "yes" }),
      ['question "Newsletter": "yes" is not one of its answers: Yes, No (write it "Yes")'],
    ],
    [
      "a question the event does not have",
      withAnswers({ title: "Dietary needs", value: "none" }, { title: "T-shirt size", value: "S" }, { title: "Company size", value: "12" }),
      ['question "Company size": the event has no such question; its questions are "Dietary needs", "T-shirt size", "Newsletter", "Topics"'],
    ],
    [
      "a question title spelled differently from the event's",
      withAnswers({ title: "dietary-needs", value: "none" }, { title: "T-shirt size", value: "S" }),
      [
        'question "dietary-needs": the event has no such question; did you mean "Dietary needs"?',
        'question "Dietary needs": missing; the event requires an answer (column "question: Dietary needs")',
      ],
    ],
    ["the host's own email, whatever its case", { ...complete, email: "host@EXAMPLE.com" }, ["email: the event's host cannot register for their own event (Zoom code 3027)"]],
  ])("marks %s", (_what, body, reasons) => {
    expect(check(body)).toEqual(reasons);
  });

  it("leaves a multiple-choice answer unchecked: Zoom does not document how several answers are written", () => {
    expect(check(withAnswers(...(complete.custom_questions ?? []), { title: "Topics", value: "APIs;Webhooks" }))).toEqual([]);
  });

  it("gives every reason of a row at once", () => {
    const reasons = check({ email: "host@example.com", first_name: "Host" });
    expect(reasons).toHaveLength(5);
    expect(reasons.map((reason) => reason.split(":")[0])).toEqual(["email", "city", "no_of_employees", 'question "Dietary needs"', 'question "T-shirt size"']);
  });

  it("says the event asks no custom questions when a row answers one anyway", () => {
    const bare = createRowChecker({ questions: [], custom_questions: [] }, { hostEmail: undefined });
    expect(bare({ email: "ada@example.com", first_name: "Ada", custom_questions: [{ title: "Diet", value: "none" }] })).toEqual([
      'question "Diet": the event has no such question; the event asks no custom questions',
    ]);
  });

  it("checks no host when Zoom did not say who hosts", () => {
    const noHost = createRowChecker({ questions: [], custom_questions: [] }, { hostEmail: undefined });
    expect(noHost({ email: "host@example.com", first_name: "Host" })).toEqual([]);
  });
});

describe("inputNeeds", () => {
  it("lists the columns the input must carry and those it may, as zoomreg reads them", () => {
    const needs = inputNeeds(form);
    expect(describeColumns(needs.required)).toBe("email, first_name, city, no_of_employees, question: Dietary needs, question: T-shirt size (one of S, M, L)");
    expect(describeColumns(needs.optional)).toBe("last_name, org, question: Newsletter (one of Yes, No), question: Topics");
  });

  it("lists last_name as required when the form requires it, and only once", () => {
    const needs = inputNeeds({ questions: [{ field_name: "last_name", required: true }], custom_questions: [] });
    expect(needs.required.map((column) => column.column)).toEqual(["email", "first_name", "last_name"]);
    expect(needs.optional).toEqual([]);
  });

  it("needs only email and first_name for an event without a form", () => {
    expect(inputNeeds({ questions: [], custom_questions: [] })).toEqual({ required: [{ column: "email" }, { column: "first_name" }], optional: [{ column: "last_name" }] });
  });
});
