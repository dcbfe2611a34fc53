/**
 * fixtures/messy/ is the README's walkthrough: a CRM export whose headers the aliases half understand,
 * fixed by its zoomreg.config.json. These tests hold the fixture to what the README says about it.
 */
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/engine/config.js";
import { mergeFlags } from "../../../src/cli/config-flags.js";
import { readRecords } from "../../../src/input/read.js";
import type { InputFormat } from "../../../src/input/format.js";
import { describeMapping } from "../../../src/registrant/describe-mapping.js";
import { createRowMapper } from "../../../src/registrant/mapping.js";
import type { MappingOptions } from "../../../src/registrant/mapping.js";
import { parseMappingOverrides } from "../../../src/registrant/overrides.js";
import { validateRecord } from "../../../src/registrant/validate.js";
import { parseScenarioText } from "../../../src/fake-zoom/index.js";

const folder = fileURLToPath(new URL("../../../fixtures/messy/", import.meta.url));

async function mapAll(file: string, format: InputFormat, options: MappingOptions): Promise<{ description: string[]; invalid: Record<number, string>; valid: string[] }> {
  const mapper = createRowMapper(options);
  const result: { description: string[]; invalid: Record<number, string>; valid: string[] } = { description: [], invalid: {}, valid: [] };
  for await (const record of readRecords(createReadStream(`${folder}${file}`), format, file)) {
    const mapping = mapper.mappingFor(record.fields);
    if (result.description.length === 0) result.description = describeMapping(mapping);
    const validation = validateRecord(record.fields, mapping);
    if (validation.ok) result.valid.push(validation.registrant.email);
    else result.invalid[record.position] = validation.reasons.join("; ");
  }
  return result;
}

describe("the messy export of the README walkthrough", () => {
  it("is not understood without a mapping: no column is taken for email", async () => {
    const { description } = await mapAll("export.csv", "csv", {});
    expect(description).toContain("email       <- nothing: required, add --map email=<column>");
  });

  it("maps every field and question with its config file, and only the mistyped email is invalid", async () => {
    const flags = mergeFlags(loadConfig(undefined, folder), { map: [], question: [] }, new Set());
    const { description, invalid, valid } = await mapAll("export.csv", "csv", { overrides: parseMappingOverrides(flags) });
    expect(description).toEqual([
      'email       <- "Contact"',
      'first_name  <- "Given Name"',
      'last_name   <- "Surname/Family"',
      'org         <- "Company Name"',
      'question "Dietary needs" <- "Diet"',
      'question "T-shirt size" <- "T-Shirt"',
      'unmapped: "Internal ID", "Signed up", "Internal notes"',
      'visible to the host in Zoom: email (from column "Contact"), first_name (from column "Given Name"), last_name (from column "Surname/Family"), org (from column "Company Name"), question "Dietary needs" (from column "Diet"), question "T-shirt size" (from column "T-Shirt")',
    ]);
    expect(invalid).toEqual({ 6: 'email: "(at)" in place of "@" (ada(at)example.com): write "@"' });
    expect(valid).toHaveLength(6);
  });

  it("has a nested NDJSON twin that maps through dotted paths", async () => {
    const overrides = parseMappingOverrides({
      map: ["email=contact.email", "first_name=name.given", "last_name=name.family"],
      question: ["Dietary needs=answers.diet", "T-shirt size=answers.shirt"],
    });
    const { description, invalid, valid } = await mapAll("export.ndjson", "ndjson", { overrides });
    expect(description).toContain('unmapped: "id"');
    expect(invalid).toEqual({});
    expect(valid).toEqual(["zoe.angstrom@example.com", "jose.nunez@example.com", "grace.hopper@example.com"]);
  });

  it("comes with a fake Zoom scenario whose webinar requires both questions", () => {
    const scenario = parseScenarioText(readFileSync(`${folder}scenario.json`, "utf8"), "scenario.json");
    const webinar = scenario.events?.find((event) => event.id === "81234567890");
    expect(webinar?.registrationQuestions?.custom_questions.map((question) => [question.title, question.required])).toEqual([
      ["Dietary needs", true],
      ["T-shirt size", true],
    ]);
  });
});
