export { preflight, emptyAddProbe } from "./preflight.js";
export type { PreflightClient, PreflightOptions, PreflightResult } from "./preflight.js";
export { runCheck, probeOutcome, checkExitCode } from "./check.js";
export type { AccessCheck, AccessState, CheckClient, CheckDependencies, CheckReport, CredentialsSummary, EventSignal, Problem, ProblemArea, Warning } from "./check.js";
export { renderCheckText, checkJson } from "./report.js";
export {
  eventFacts,
  eventLabel,
  eventRefusal,
  eventNotFoundError,
  eventOverError,
  registrationOffError,
  isEventNotFound,
  isEventOverAnswer,
  isRegistrationOffAnswer,
  isRegistrable,
  pastScheduledEnd,
  scheduledEndWarning,
  isRecurring,
  registrableTypes,
  typeDescription,
} from "./event.js";
export type { EventFacts } from "./event.js";
export { createRowChecker, inputNeeds, describeColumns, questionColumn } from "./form.js";
export type { InputColumn, InputNeeds, RowChecker } from "./form.js";
export { desiredStateOperations, explainScopeError, isScopeError, missingScope, neededScopes, operationScopes, recommendedScope, scopesInMessage, zoomOperations } from "./scopes.js";
export type { OperationScopes, ZoomOperation } from "./scopes.js";
export { decodeBearerToken, relativeTime, tokenInfoOf } from "./bearer-token.js";
export type { DecodedToken, TokenInfo } from "./bearer-token.js";
