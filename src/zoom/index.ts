export { ZoomClient } from "./client.js";
export type { AddBatchResult, AddRegistrantResult, BatchRegistrantResult, EventInfo, EventKind, EventRef, ListRegistrantsResult, ListedRegistrant, RateLimitLabel, RegistrantAction, ZoomClientOptions } from "./client.js";
export { classifyFailure, isRegistrantGone } from "./classify.js";
export type { FailureKind } from "./classify.js";
export { nextUtcMidnightMs, parseRetryAfter } from "./retry-after.js";
export { errorFromAnswer, perSecondLimitOf, rateLimitScope } from "./answer.js";
