/**
 * The scopes each Zoom call of zoomreg needs, and what to tell the user when Zoom answers 4711 ("the
 * token lacks scopes", docs/zoom-facts.md "Errors"). Copied from the `x-extensions` of each operation in
 * Zoom's OpenAPI document (contract/zoom-openapi-extract.json; a unit test keeps the two equal).
 */
import { AuthError } from "../errors.js";
import type { EventKind } from "../zoom/client.js";

/**
 * The calls a push makes, in the order it makes them: the first five on every run, the status change
 * with a status column, --prune or a re-admission, the registrant read after an approval (its
 * join_url), the delete when Zoom will not approve a removed registrant again (issue 17).
 */
export type ZoomOperation = "readEvent" | "readQuestions" | "listRegistrants" | "addRegistrant" | "batchAdd" | "updateStatus" | "readRegistrant" | "deleteRegistrant";

export const zoomOperations: readonly ZoomOperation[] = ["readEvent", "readQuestions", "listRegistrants", "addRegistrant", "batchAdd", "updateStatus", "readRegistrant", "deleteRegistrant"];

/** The calls only desired state needs (a status column, --prune, people who come back): a push that only adds never makes them. */
export const desiredStateOperations: readonly ZoomOperation[] = ["updateStatus", "readRegistrant", "deleteRegistrant"];

export interface OperationScopes {
  /** Zoom's operation id in the OpenAPI document. */
  operationId: string;
  /** Zoom's current scopes; the `:admin` one is what an account-level Server-to-Server app needs. */
  granular: readonly string[];
  /** The classic scopes older apps hold instead. */
  classic: readonly string[];
}

export const operationScopes: Readonly<Record<EventKind, Readonly<Record<ZoomOperation, OperationScopes>>>> = {
  meeting: {
    readEvent: { operationId: "meeting", granular: ["meeting:read:meeting", "meeting:read:meeting:admin"], classic: ["meeting:read", "meeting:read:admin"] },
    readQuestions: {
      operationId: "meetingRegistrantsQuestionsGet",
      granular: ["meeting:read:list_registration_questions", "meeting:read:list_registration_questions:admin"],
      classic: ["meeting:read", "meeting:read:admin"],
    },
    listRegistrants: {
      operationId: "meetingRegistrants",
      granular: ["meeting:read:list_registrants", "meeting:read:list_registrants:admin"],
      classic: ["meeting:read:admin", "meeting:read"],
    },
    addRegistrant: {
      operationId: "meetingRegistrantCreate",
      granular: ["meeting:write:registrant", "meeting:write:registrant:admin"],
      classic: ["meeting:write:admin", "meeting:write"],
    },
    batchAdd: {
      operationId: "addBatchRegistrants",
      granular: ["meeting:write:batch_registrants", "meeting:write:batch_registrants:admin"],
      classic: ["meeting:write", "meeting:write:admin"],
    },
    updateStatus: {
      operationId: "meetingRegistrantStatus",
      granular: ["meeting:update:registrant_status", "meeting:update:registrant_status:admin"],
      classic: ["meeting:write:admin", "meeting:write"],
    },
    readRegistrant: { operationId: "meetingRegistrantGet", granular: ["meeting:read:registrant", "meeting:read:registrant:admin"], classic: ["meeting:read:admin", "meeting:read"] },
    deleteRegistrant: {
      operationId: "meetingregistrantdelete",
      granular: ["meeting:delete:registrant", "meeting:delete:registrant:admin"],
      classic: ["meeting:write:admin", "meeting:write"],
    },
  },
  webinar: {
    readEvent: { operationId: "webinar", granular: ["webinar:read:webinar", "webinar:read:webinar:admin"], classic: ["webinar:read:admin", "webinar:read"] },
    readQuestions: {
      operationId: "webinarRegistrantsQuestionsGet",
      granular: ["webinar:read:list_registration_questions", "webinar:read:list_registration_questions:admin"],
      classic: ["webinar:read:admin", "webinar:read"],
    },
    listRegistrants: {
      operationId: "webinarRegistrants",
      granular: ["webinar:read:list_registrants", "webinar:read:list_registrants:admin"],
      classic: ["webinar:read:admin", "webinar:read"],
    },
    addRegistrant: {
      operationId: "webinarRegistrantCreate",
      granular: ["webinar:write:registrant", "webinar:write:registrant:admin"],
      classic: ["webinar:write:admin", "webinar:write"],
    },
    batchAdd: {
      operationId: "addBatchWebinarRegistrants",
      granular: ["webinar:write:batch_registrants", "webinar:write:batch_registrants:admin"],
      classic: ["webinar:write", "webinar:write:admin"],
    },
    updateStatus: {
      operationId: "webinarRegistrantStatus",
      granular: ["webinar:update:registrant_status", "webinar:update:registrant_status:admin"],
      classic: ["webinar:write:admin", "webinar:write"],
    },
    readRegistrant: { operationId: "webinarRegistrantGet", granular: ["webinar:read:registrant", "webinar:read:registrant:admin"], classic: ["webinar:read:admin", "webinar:read"] },
    deleteRegistrant: {
      operationId: "deleteWebinarRegistrant",
      granular: ["webinar:delete:registrant", "webinar:delete:registrant:admin"],
      classic: ["webinar:write:admin", "webinar:write"],
    },
  },
};

/** What each call does, as the user reads it: "the credentials may not <this>". */
export function operationDescription(operation: ZoomOperation, kind: EventKind): string {
  switch (operation) {
    case "readEvent":
      return `read the ${kind}`;
    case "readQuestions":
      return `read the ${kind}'s registration questions`;
    case "listRegistrants":
      return `list the ${kind}'s registrants`;
    case "addRegistrant":
      return `add registrants to the ${kind}`;
    case "batchAdd":
      return `batch-add registrants to the ${kind}`;
    case "updateStatus":
      return `approve, cancel or deny the ${kind}'s registrants`;
    case "readRegistrant":
      return `read a registrant of the ${kind}`;
    case "deleteRegistrant":
      return `delete a registrant of the ${kind}`;
  }
}

/** The scope to add: the `:admin` granular one, since a Server-to-Server app acts for the whole account. */
export function recommendedScope(operation: ZoomOperation, kind: EventKind): string {
  const { granular } = operationScopes[kind][operation];
  return granular.find((scope) => scope.endsWith(":admin")) ?? granular[0] ?? "";
}

/** The classic scope an older app may hold instead (the `:admin` one, for the same reason). */
export function classicScope(operation: ZoomOperation, kind: EventKind): string {
  const { classic } = operationScopes[kind][operation];
  return classic.find((scope) => scope.endsWith(":admin")) ?? classic[0] ?? "";
}

/** Every scope a push may need on this kind of event, one per call, in call order (desired state's last). */
export function neededScopes(kind: EventKind): string[] {
  return zoomOperations.map((operation) => recommendedScope(operation, kind));
}

/** The scope a token lacks for this call, when its granted scopes are known (S2S) and hold none that will do; else undefined. */
export function missingScope(granted: readonly string[] | undefined, operation: ZoomOperation, kind: EventKind): string | undefined {
  return granted === undefined || grantsOperation(granted, operation, kind) ? undefined : recommendedScope(operation, kind);
}

/**
 * True when the granted scopes let the app make this call (any granular or classic one will do).
 * Used with the S2S token response's `scope` (space separated) when the token provider keeps it.
 */
export function grantsOperation(granted: readonly string[], operation: ZoomOperation, kind: EventKind): boolean {
  const { granular, classic } = operationScopes[kind][operation];
  return [...granular, ...classic].some((scope) => granted.includes(scope));
}

/** 4700 (the token is invalid for this call) and 4711 (it lacks scopes): a fresh token has the same scopes. */
const SCOPE_CODES: ReadonlySet<number> = new Set([4700, 4711]);

export function isScopeError(error: unknown): error is AuthError {
  return error instanceof AuthError && error.code !== undefined && SCOPE_CODES.has(error.code);
}

/**
 * The scopes listed in Zoom's 4711 message, `Invalid access token, does not contain
 * scopes:[meeting:read:meeting, meeting:read:meeting:admin].` (github.com/lanec/zoom-batch-downloader/issues/34);
 * empty when the message lists none.
 */
export function scopesInMessage(message: string): string[] {
  const listed = /scopes\s*:?\s*\[([^\]]*)\]/i.exec(message)?.[1];
  if (listed === undefined) return [];
  return listed
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter((scope) => scope !== "");
}

/** How to add a scope, in one line: where, which one, and the step people forget (activating again). */
export function addScopeHint(scopes: readonly string[], classic: readonly string[] = []): string {
  const alternative = classic.length === 0 ? "" : `; an older app may hold the classic ${classic.join(", ")} instead`;
  return `add ${scopes.join(", ")} to the Server-to-Server OAuth app's scopes (marketplace.zoom.us > Manage > your app > Scopes${alternative}), then activate the app again`;
}

/**
 * Zoom's 4711 for one call, said in plain words: what the credentials may not do, the scopes Zoom
 * named, and the scope to add. Other errors come back unchanged.
 */
export function explainScopeError(error: unknown, operation: ZoomOperation, kind: EventKind): unknown {
  if (!isScopeError(error)) return error;
  const zoomSaid = error.cause instanceof Error && "zoomMessage" in error.cause ? String(error.cause.zoomMessage) : error.message;
  const listed = scopesInMessage(zoomSaid);
  const named = listed.length === 0 ? "" : `: Zoom says the token lacks one of ${listed.join(", ")}`;
  return new AuthError(`the credentials may not ${operationDescription(operation, kind)} (code ${error.code ?? "?"})${named}`, error.status, error.code, {
    cause: error,
    hint: addScopeHint([recommendedScope(operation, kind)], [classicScope(operation, kind)]),
  });
}
