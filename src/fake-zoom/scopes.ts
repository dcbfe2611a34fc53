/**
 * The scopes each operation accepts, copied from Zoom's OpenAPI document (`x-extensions` of each
 * operation: `x-granular-scopes` and `x-macro-scopes`, as in contract/zoom-openapi-extract.json; a
 * unit test keeps the two equal). A table rather than a read of the extract at run time, so the fake
 * needs no file beside the code. A token holding any one of an operation's scopes may call it.
 */

export interface OperationScopes {
  /** Zoom's current, fine-grained scopes; the 4711 message names these. */
  granular: readonly string[];
  /** The classic scopes older apps still hold (`x-macro-scopes`). */
  classic: readonly string[];
}

export const operationScopes: Readonly<Record<string, OperationScopes>> = Object.freeze({
  meetingRegistrantCreate: { granular: ["meeting:write:registrant", "meeting:write:registrant:admin"], classic: ["meeting:write:admin", "meeting:write"] },
  webinarRegistrantCreate: { granular: ["webinar:write:registrant", "webinar:write:registrant:admin"], classic: ["webinar:write:admin", "webinar:write"] },
  addBatchRegistrants: { granular: ["meeting:write:batch_registrants", "meeting:write:batch_registrants:admin"], classic: ["meeting:write", "meeting:write:admin"] },
  addBatchWebinarRegistrants: { granular: ["webinar:write:batch_registrants", "webinar:write:batch_registrants:admin"], classic: ["webinar:write", "webinar:write:admin"] },
  meetingRegistrants: { granular: ["meeting:read:list_registrants", "meeting:read:list_registrants:admin"], classic: ["meeting:read:admin", "meeting:read"] },
  webinarRegistrants: { granular: ["webinar:read:list_registrants", "webinar:read:list_registrants:admin"], classic: ["webinar:read:admin", "webinar:read"] },
  meetingRegistrantStatus: { granular: ["meeting:update:registrant_status", "meeting:update:registrant_status:admin"], classic: ["meeting:write:admin", "meeting:write"] },
  webinarRegistrantStatus: { granular: ["webinar:update:registrant_status", "webinar:update:registrant_status:admin"], classic: ["webinar:write:admin", "webinar:write"] },
  meetingRegistrantsQuestionsGet: {
    granular: ["meeting:read:list_registration_questions", "meeting:read:list_registration_questions:admin"],
    classic: ["meeting:read", "meeting:read:admin"],
  },
  webinarRegistrantsQuestionsGet: {
    granular: ["webinar:read:list_registration_questions", "webinar:read:list_registration_questions:admin"],
    classic: ["webinar:read:admin", "webinar:read"],
  },
  meetingRegistrantGet: { granular: ["meeting:read:registrant", "meeting:read:registrant:admin"], classic: ["meeting:read:admin", "meeting:read"] },
  webinarRegistrantGet: { granular: ["webinar:read:registrant", "webinar:read:registrant:admin"], classic: ["webinar:read:admin", "webinar:read"] },
  meetingregistrantdelete: { granular: ["meeting:delete:registrant", "meeting:delete:registrant:admin"], classic: ["meeting:write:admin", "meeting:write"] },
  deleteWebinarRegistrant: { granular: ["webinar:delete:registrant", "webinar:delete:registrant:admin"], classic: ["webinar:write:admin", "webinar:write"] },
  meeting: { granular: ["meeting:read:meeting", "meeting:read:meeting:admin"], classic: ["meeting:read", "meeting:read:admin"] },
  webinar: { granular: ["webinar:read:webinar", "webinar:read:webinar:admin"], classic: ["webinar:read:admin", "webinar:read"] },
});

/**
 * What a default app is granted: the `:admin` granular scope of every operation the fake serves (an
 * account-level S2S app acts on every user's events, hence `:admin`).
 */
export function allGrantedScopes(): string[] {
  return Object.values(operationScopes).map((scopes) => scopes.granular.find((scope) => scope.endsWith(":admin")) ?? scopes.granular[0] ?? "");
}

/** True when `granted` holds any scope the operation accepts; operations not in the table need none. */
export function hasScopeFor(operationId: string, granted: ReadonlySet<string>): boolean {
  const scopes = operationScopes[operationId];
  if (scopes === undefined) return true;
  return scopes.granular.some((scope) => granted.has(scope)) || scopes.classic.some((scope) => granted.has(scope));
}

/** Zoom's 4711 wording, which lists the granular scopes (e.g. github.com/lanec/zoom-batch-downloader/issues/34). */
export function missingScopesMessage(operationId: string): string {
  const scopes = operationScopes[operationId]?.granular ?? [];
  return `Invalid access token, does not contain scopes:[${scopes.join(", ")}].`;
}
