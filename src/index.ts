/**
 * zoomreg from code (issue 13): `import { push } from "zoomreg"`. The fake Zoom for tests is its own
 * entry, `zoomreg/fake-zoom`, so that importing push() never loads it.
 */
export { push, summaryOf, type PushStoppedError } from "./engine/push.js";
export { planLimits, pushDefaults, type PlanName, type EventOfRecord, type PushApiOptions, type PushEnv, type PushRecords } from "./engine/options.js";
export type { DryRunSummary, EventRunSummary, PushResult, PushRunSummary, ResourcesUsed } from "./engine/summary.js";
export type { EventOutputRow, OutputRow, RowStatus } from "./output/index.js";
export type { StatusCounts } from "./push/run-push.js";
export type { EventKind, EventRef } from "./zoom/index.js";
export type { RegistrantField } from "./registrant/index.js";
export {
  ApiError,
  AuthError,
  ConfigError,
  InputError,
  InterruptedError,
  NetworkError,
  QuotaGuardError,
  RateLimitError,
  RowValidationError,
  ZoomregError,
  ZoomUnavailableError,
  type FailureDomain,
} from "./errors.js";
