import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * Zoom's OpenAPI schemas, from the committed extract (scripts/extract-contract.js regenerates it from
 * shared/zoom-api/), so the contract tests run in any clone.
 */
interface Operation {
  method: string;
  path: string;
  request: object | null;
  responses: Record<string, object | null>;
}
const extract = JSON.parse(readFileSync(new URL("../../contract/zoom-openapi-extract.json", import.meta.url), "utf8")) as {
  operations: Record<string, Operation>;
};

// strict: false because Zoom's document carries OpenAPI-only keywords (`example`, `x-*`, `deprecated`)
// and unknown formats (`format: "string"`); see docs/zoom-facts.md.
const ajv = new Ajv({ strict: false, allErrors: true });
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
addFormats(ajv);

const cache = new Map<string, ValidateFunction>();

function compiled(key: string, schema: object | null | undefined): ValidateFunction {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  if (schema === null || schema === undefined) throw new Error(`no schema in the extract for ${key}`);
  const validate = ajv.compile(schema);
  cache.set(key, validate);
  return validate;
}

export function operation(operationId: string): Operation {
  const found = extract.operations[operationId];
  if (found === undefined) throw new Error(`operation ${operationId} is not in contract/zoom-openapi-extract.json`);
  return found;
}

/** Returns ajv's error text, or undefined when `body` satisfies the operation's request schema. */
export function requestErrors(operationId: string, body: unknown): string | undefined {
  const validate = compiled(`${operationId} request`, operation(operationId).request);
  return validate(body) ? undefined : ajv.errorsText(validate.errors);
}

/** Returns ajv's error text, or undefined when `body` satisfies the response schema for `status`. */
export function responseErrors(operationId: string, status: number, body: unknown): string | undefined {
  const validate = compiled(`${operationId} ${status}`, operation(operationId).responses[String(status)]);
  return validate(body) ? undefined : ajv.errorsText(validate.errors);
}
