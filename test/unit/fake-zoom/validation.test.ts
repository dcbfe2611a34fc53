import { describe, expect, it } from "vitest";
import { parseJsonObject, validateRegistrantBody } from "../../../src/fake-zoom/validation.js";

const valid = { email: "ada@example.com", first_name: "Ada" };

describe("validateRegistrantBody", () => {
  it.each([
    ["the two required fields", valid],
    ["a 128-character email", { ...valid, email: `${"a".repeat(116)}@example.com` }],
    ["64-character names", { ...valid, first_name: "F".repeat(64), last_name: "L".repeat(64) }],
    ["every enum at an allowed value", { ...valid, no_of_employees: "500-1,000", purchasing_time_frame: "No timeframe", role_in_purchase_process: "Influencer", language: "Tr-TR" }],
    ["empty enum strings, which the add schema allows", { ...valid, no_of_employees: "", purchasing_time_frame: "", role_in_purchase_process: "" }],
    ["a 128-character custom answer", { ...valid, custom_questions: [{ title: "Why?", value: "v".repeat(128) }] }],
    ["nulls for optional fields", { ...valid, last_name: null, city: null }],
    ["an unknown field, which Zoom ignores", { ...valid, favourite_colour: "green" }],
  ])("accepts %s", (_name, body) => {
    expect(validateRegistrantBody("meeting", body).ok).toBe(true);
  });

  it.each([
    ["a missing email", { first_name: "Ada" }, "email"],
    ["an email without a domain", { ...valid, email: "ada@" }, "email"],
    ["a 129-character email", { ...valid, email: `${"a".repeat(117)}@example.com` }, "email"],
    ["a numeric email", { ...valid, email: 42 }, "email"],
    ["a missing first_name", { email: "ada@example.com" }, "first_name"],
    ["a blank first_name", { ...valid, first_name: "  " }, "first_name"],
    ["a 65-character first_name", { ...valid, first_name: "F".repeat(65) }, "first_name"],
    ["a 65-character last_name", { ...valid, last_name: "L".repeat(65) }, "last_name"],
    ["a number of employees from the list schema only", { ...valid, no_of_employees: "101-250" }, "no_of_employees"],
    ["an unknown purchasing time frame", { ...valid, purchasing_time_frame: "Tomorrow" }, "purchasing_time_frame"],
    ["an unknown role", { ...valid, role_in_purchase_process: "Boss" }, "role_in_purchase_process"],
    ["a language in the wrong case", { ...valid, language: "tr-TR" }, "language"],
    ["a non-string city", { ...valid, city: 7 }, "city"],
    ["a custom answer of 129 characters", { ...valid, custom_questions: [{ title: "Why?", value: "v".repeat(129) }] }, "custom_questions[0].value"],
    ["custom questions that are not a list", { ...valid, custom_questions: "no" }, "custom_questions"],
    ["a non-boolean auto_approve", { ...valid, auto_approve: "yes" }, "auto_approve"],
  ])("rejects %s, naming the field", (_name, body, field) => {
    expect(validateRegistrantBody("meeting", body)).toEqual({ ok: false, errors: [{ field, message: "Invalid field." }] });
  });

  it("names every broken field at once", () => {
    const result = validateRegistrantBody("meeting", { email: "nope", last_name: "L".repeat(65) });
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(["email", "first_name", "last_name"]);
  });

  it("counts length in characters, not UTF-16 units", () => {
    expect(validateRegistrantBody("meeting", { ...valid, first_name: "😀".repeat(64) }).ok).toBe(true);
  });

  it("ignores auto_approve on a webinar, where the schema has no such field", () => {
    const result = validateRegistrantBody("webinar", { ...valid, auto_approve: "yes" });
    expect(result.ok && result.value.autoApprove).toBe(false);
  });

  it("keeps source_id on a webinar only", () => {
    const webinar = validateRegistrantBody("webinar", { ...valid, source_id: "s1" });
    const meeting = validateRegistrantBody("meeting", { ...valid, source_id: "s1" });
    expect([webinar.ok && webinar.value.fields.source_id, meeting.ok && meeting.value.fields.source_id]).toEqual(["s1", undefined]);
  });
});

describe("parseJsonObject", () => {
  it.each([
    ["malformed JSON", "{"],
    ["an array", "[]"],
    ["a string", '"x"'],
    ["null", "null"],
    ["an empty body", ""],
  ])("refuses %s", (_name, text) => {
    expect(parseJsonObject(text)).toBeUndefined();
  });

  it("returns an object", () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
  });
});
