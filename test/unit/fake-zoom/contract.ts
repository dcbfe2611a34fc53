/**
 * The fake's answers checked against Zoom's OpenAPI response schemas, from the committed extract
 * (contract/zoom-openapi-extract.json), so the tests run in a clone without /work/shared.
 */
export { operation, responseErrors } from "../../contract/openapi.js";
