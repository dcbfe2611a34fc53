/**
 * The fake's answers checked against Zoom's OpenAPI response schemas. The ONE place that loads them:
 * for now straight from Zoom's document in /work/shared; swapping to the committed extract is
 * `export { responseErrors } from "../../contract/openapi.js";` (same signature).
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const openApiPath = "/work/shared/zoom-api/zoom-meeting-api.openapi.json";

interface OpenApiOperation {
  operationId?: string;
  responses?: Record<string, { content?: { "application/json"?: { schema?: object } } }>;
}

let operations: Map<string, OpenApiOperation> | undefined;

function operationById(operationId: string): OpenApiOperation {
  if (operations === undefined) {
    const doc = JSON.parse(readFileSync(openApiPath, "utf8")) as { paths: Record<string, Record<string, OpenApiOperation>> };
    operations = new Map();
    for (const item of Object.values(doc.paths)) {
      for (const operation of Object.values(item)) {
        if (typeof operation === "object" && operation.operationId !== undefined) operations.set(operation.operationId, operation);
      }
    }
  }
  const found = operations.get(operationId);
  if (found === undefined) throw new Error(`operation ${operationId} is not in ${openApiPath}`);
  return found;
}

// strict: false because Zoom's document carries OpenAPI-only keywords (`example`, `x-*`) and unknown
// formats (`format: "string"`); see /work/shared/zoom-api/README.md.
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** ajv's error text, or undefined when `body` satisfies the response schema of `operationId` for `status`. */
export function responseErrors(operationId: string, status: number, body: unknown): string | undefined {
  const key = `${operationId} ${status}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    const schema = operationById(operationId).responses?.[String(status)]?.content?.["application/json"]?.schema;
    if (schema === undefined) throw new Error(`${operationId} has no JSON schema for ${status}`);
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate(body) ? undefined : ajv.errorsText(validate.errors);
}
