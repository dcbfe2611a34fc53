import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/errors.js";
import { explainScopeError, grantsOperation, neededScopes, operationScopes, scopesInMessage, zoomOperations } from "../../../src/preflight/scopes.js";
import { scopeError, zoomError } from "./helpers.js";

interface ExtractOperation {
  scopes: { "x-granular-scopes"?: string[]; "x-macro-scopes"?: string[] };
}
const extract = JSON.parse(readFileSync(new URL("../../../contract/zoom-openapi-extract.json", import.meta.url), "utf8")) as { operations: Record<string, ExtractOperation> };

describe("operationScopes", () => {
  const rows = (["meeting", "webinar"] as const).flatMap((kind) => zoomOperations.map((operation) => ({ kind, operation, scopes: operationScopes[kind][operation] })));

  it.each(rows)("copies the scopes of the $kind's $operation from Zoom's OpenAPI document", ({ scopes }) => {
    const documented = extract.operations[scopes.operationId]?.scopes;
    expect(documented, `${scopes.operationId} is in the extract`).toBeDefined();
    expect([...scopes.granular].sort()).toEqual([...(documented?.["x-granular-scopes"] ?? [])].sort());
    expect([...scopes.classic].sort()).toEqual([...(documented?.["x-macro-scopes"] ?? [])].sort());
  });

  it("asks an account-level app for the :admin scope of every call a push makes", () => {
    expect(neededScopes("webinar")).toEqual([
      "webinar:read:webinar:admin",
      "webinar:read:list_registration_questions:admin",
      "webinar:read:list_registrants:admin",
      "webinar:write:registrant:admin",
      "webinar:write:batch_registrants:admin",
      "webinar:update:registrant_status:admin",
      "webinar:read:registrant:admin",
      "webinar:delete:registrant:admin",
    ]);
  });

  it.each([
    { granted: ["meeting:write:registrant:admin"], allowed: true },
    { granted: ["meeting:write:registrant"], allowed: true },
    { granted: ["meeting:write:admin"], allowed: true },
    { granted: ["meeting:read:admin", "webinar:write:admin"], allowed: false },
    { granted: [], allowed: false },
  ])("reads $granted as allowing a meeting add: $allowed", ({ granted, allowed }) => {
    expect(grantsOperation(granted, "addRegistrant", "meeting")).toBe(allowed);
  });
});

describe("scopesInMessage", () => {
  it.each([
    { message: "Invalid access token, does not contain scopes:[meeting:read:meeting, meeting:read:meeting:admin].", scopes: ["meeting:read:meeting", "meeting:read:meeting:admin"] },
    { message: "Invalid access token, does not contain scopes: [ webinar:write:registrant ]", scopes: ["webinar:write:registrant"] },
    { message: "Invalid access token, does not contain scopes:[].", scopes: [] },
    { message: "Invalid access token.", scopes: [] },
  ])("reads $scopes from '$message'", ({ message, scopes }) => {
    expect(scopesInMessage(message)).toEqual(scopes);
  });
});

describe("explainScopeError", () => {
  it("says what the credentials may not do, the scopes Zoom named, and the scope to add", () => {
    const explained = explainScopeError(scopeError(["webinar:read:list_registration_questions", "webinar:read:list_registration_questions:admin"]), "readQuestions", "webinar");
    expect(explained).toBeInstanceOf(AuthError);
    const error = explained as AuthError;
    expect(error.message).toBe(
      "the credentials may not read the webinar's registration questions (code 4711): Zoom says the token lacks one of webinar:read:list_registration_questions, webinar:read:list_registration_questions:admin",
    );
    expect(error.hint).toMatch(/^add webinar:read:list_registration_questions:admin to the Server-to-Server OAuth app's scopes .*classic webinar:read:admin.*, then activate the app again$/);
    expect(error.code).toBe(4711);
  });

  it.each([
    { what: "a refused token (401)", error: new AuthError("refused", 401, 124) },
    { what: "an API error", error: zoomError(404, 3001, "Meeting does not exist: 1.") },
    { what: "a programming error", error: new TypeError("x is undefined") },
  ])("passes $what through unchanged", ({ error }) => {
    expect(explainScopeError(error, "readEvent", "meeting")).toBe(error);
  });
});
