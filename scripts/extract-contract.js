#!/usr/bin/env node
// Regenerates contract/zoom-openapi-extract.json from Zoom's OpenAPI document, so that a clone outside
// this environment (without ../shared/zoom-api/) still runs the contract tests.
//   node scripts/extract-contract.js [path/to/zoom-meeting-api.openapi.json]
// Keeps only the operations zoomreg and its fake speak, and drops `description`/`example` (Markdown
// prose, megabytes of it) but no validation keyword.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = process.argv[2] ?? join(root, "..", "shared", "zoom-api", "zoom-meeting-api.openapi.json");
const target = join(root, "contract", "zoom-openapi-extract.json");

const operations = [
  "meetingRegistrantCreate",
  "webinarRegistrantCreate",
  "addBatchRegistrants",
  "addBatchWebinarRegistrants",
  "meetingRegistrants",
  "webinarRegistrants",
  "meetingRegistrantStatus",
  "webinarRegistrantStatus",
  "meetingRegistrantsQuestionsGet",
  "webinarRegistrantsQuestionsGet",
  "meetingRegistrantGet",
  "webinarRegistrantGet",
  "meetingregistrantdelete",
  "deleteWebinarRegistrant",
  "meeting",
  "webinar",
];

const doc = JSON.parse(readFileSync(source, "utf8"));
const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    // `description` and `example` are prose; inside `properties` a key is a field name, keep it.
    if ((key === "description" || key === "example") && typeof inner !== "object") continue;
    if (key === "example" || key === "examples") continue;
    out[key] = strip(inner);
  }
  return out;
};

const extract = {
  source: "Zoom Meeting API OpenAPI 3.0 (shared/zoom-api/zoom-meeting-api.openapi.json)",
  info: { title: doc.info?.title, version: doc.info?.version },
  operations: {},
};
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    if (!operations.includes(operation?.operationId)) continue;
    const responses = {};
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const schema = response?.content?.["application/json"]?.schema;
      responses[status] = schema === undefined ? null : strip(schema);
    }
    extract.operations[operation.operationId] = {
      method: method.toUpperCase(),
      path,
      parameters: strip(operation.parameters ?? []),
      request: strip(operation.requestBody?.content?.["application/json"]?.schema ?? null),
      responses,
      scopes: operation["x-extensions"] ?? null,
    };
  }
}
const missing = operations.filter((id) => !(id in extract.operations));
if (missing.length > 0) {
  console.error(`extract-contract: operations not found in ${source}: ${missing.join(", ")}`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, JSON.stringify(extract, null, 1) + "\n");
console.log(`wrote ${target} (${Object.keys(extract.operations).length} operations)`);
