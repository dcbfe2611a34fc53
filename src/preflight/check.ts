/**
 * `zoomreg check`: everything a push would need, tried without registering anyone. The credentials
 * (a token), then each call a push makes, in its order: read the event, read its form, list its
 * registrants, add, batch-add. The two adds are sent with bodies Zoom must refuse (no email), so
 * Zoom's answer says whether the token may make the call (4711 names the scopes it lacks) and whether
 * the event takes registrations (3000 off, 3038 over, 3001 missing), and nobody is registered.
 *
 * Every call is retried as a push's reads are (preflight/read-retry.ts: 5xx, network failures, per-second
 * 429s; the empty adds register nobody, so they may be retried too). Zoom staying unreachable or failing
 * through the retries is a check result of its own (exit 5), and the calls after it are skipped.
 *
 * The answers are read by pure functions (`probeOutcome`, `checkExitCode`); rendering is in
 * report.ts. Other transport failures are not a check result: they propagate (the CLI maps them).
 */
import type { TokenProvider } from "../auth/token-provider.js";
import { ApiError, AuthError, RateLimitError, ZoomUnavailableError } from "../errors.js";
import type { Clock } from "../shared/clock.js";
import type { EventRef, RegistrationQuestions, ZoomClient } from "../zoom/client.js";
import { retryRead } from "./read-retry.js";
import { decodeBearerToken, tokenInfoOf } from "./bearer-token.js";
import {
  eventFacts,
  eventNotFoundError,
  eventOverError,
  eventRefusal,
  isEventNotFound,
  isEventOverAnswer,
  isRegistrationOffAnswer,
  pastScheduledEnd,
  registrationOffError,
  scheduledEndWarning,
  type EventFacts,
} from "./event.js";
import { inputNeeds, type InputNeeds } from "./form.js";
import { emptyAddProbe } from "./preflight.js";
import { addScopeHint, classicScope, desiredStateOperations, isScopeError, operationDescription, recommendedScope, scopesInMessage, zoomOperations, type ZoomOperation } from "./scopes.js";
import { isRegistrantGone } from "../zoom/classify.js";

export type CheckClient = Pick<ZoomClient, "getEvent" | "getRegistrationQuestions" | "listRegistrants" | "addRegistrant" | "addBatchRegistrants" | "updateRegistrantStatus" | "getRegistrant" | "deleteRegistrant">;

/** Who the credentials are, without their secret: the S2S client id or the JWT app's API key. */
export interface CredentialsSummary {
  scheme: "s2s" | "jwt";
  identity: string;
}

export interface CheckDependencies {
  client: CheckClient;
  tokens: TokenProvider;
  credentials: CredentialsSummary;
  clock: Clock;
  /** The retries' jitter, like `Math.random`. */
  random: () => number;
  signal?: AbortSignal;
  /**
   * The push will change statuses (`check --prune`, `check --status`: a status column): then a missing
   * status scope fails the check; otherwise it is a warning, for the day someone comes back (issue 17).
   */
  changesStatuses?: boolean;
}

/** An id no event holds: the probes of the calls on one registrant find nobody, and change nobody. */
export const absentRegistrantId = "zoomreg-check-no-such-registrant";

/** What Zoom's answer to one call says about the event, when it says anything. */
export type EventSignal = "not-found" | "registration-off" | "over" | "open";

export type AccessState =
  /** The token may make the call. */
  | { state: "ok" }
  /** 4700/4711: the token lacks a scope; `zoomScopes` are those Zoom's message lists. */
  | { state: "missing-scope"; zoomScopes: string[]; zoomMessage: string }
  /** 401/124: the token itself is refused. */
  | { state: "refused"; message: string }
  /** Not tried: the push would not make this call. */
  | { state: "skipped"; reason: string }
  /** Zoom answered something that settles nothing (a daily-limit 429, an unexpected code). */
  | { state: "unknown"; message: string }
  /** Zoom stayed unreachable or kept failing through the retries: nothing is known, try again later. */
  | { state: "unavailable"; message: string };

export interface AccessCheck {
  operation: ZoomOperation;
  /** "read the meeting", "add registrants to the webinar". */
  description: string;
  /** The scope to add when it is missing, and the classic one older apps hold instead. */
  scope: string;
  classicScope: string;
  result: AccessState;
  /** A call only some pushes make: its missing scope is a warning, not a failure. */
  optional: boolean;
}

/** `unavailable`: Zoom was unreachable or failing, so the check could not finish (exit 5). */
export type ProblemArea = "credentials" | "scopes" | "event" | "unavailable";

export interface Problem {
  area: ProblemArea;
  message: string;
  fix: string;
}

/** Something a push should know that does not stop it: shown as WARN, the exit code stays 0. */
export interface Warning {
  message: string;
  fix: string;
}

export interface CheckReport {
  event: EventRef;
  credentials: CredentialsSummary & {
    tokenObtained: boolean;
    /** The token's expiry, from the token endpoint or the JWT's `exp`; undefined when not known. */
    expiresAtMs: number | undefined;
    /** Granted scopes from the S2S token response, when the token provider keeps them. */
    scopes: readonly string[] | undefined;
  };
  access: AccessCheck[];
  /** Undefined when the event could not be read. */
  facts: EventFacts | undefined;
  /** From the add probe's answer: true on 3038, false on a validation error, undefined when not known. */
  over: boolean | undefined;
  /** The event's last scheduled end (start plus duration) was past when checked; false when not known. */
  pastScheduledEnd: boolean;
  form: RegistrationQuestions | undefined;
  needs: InputNeeds | undefined;
  problems: Problem[];
  warnings: Warning[];
  exitCode: number;
}

/**
 * Exit codes of `check` (README, "Exit codes"): 3 for credentials and scopes first, since nothing works
 * without them; then 2 for what needs fixing; 5 when Zoom was unreachable or failing and nothing else
 * was found wrong, since then running again later is all there is to do.
 */
export function checkExitCode(problems: readonly Pick<Problem, "area">[]): number {
  if (problems.some((problem) => problem.area === "credentials" || problem.area === "scopes")) return 3;
  if (problems.some((problem) => problem.area !== "unavailable")) return 2;
  return problems.length > 0 ? 5 : 0;
}

/**
 * What one call's outcome says: may the token make it, and what of the event. Reaching an event
 * error (3001, 3000, 3038) or a body error (300) means the token passed: the fake checks scopes
 * before the event, as the 4711 answers people report for events that do exist suggest Zoom does.
 */
export function probeOutcome(operation: ZoomOperation, outcome: { ok: true } | { ok: false; error: unknown }): { access: AccessState; event?: EventSignal } {
  const isAdd = operation === "addRegistrant" || operation === "batchAdd";
  if (outcome.ok) return isAdd ? { access: { state: "ok" }, event: "open" } : { access: { state: "ok" } };
  const { error } = outcome;
  // The probes of one registrant ask for an id nobody holds: "no such registrant" means the token passed.
  if ((operation === "readRegistrant" || operation === "deleteRegistrant") && isRegistrantGone(error)) return { access: { state: "ok" } };
  if (operation === "updateStatus" && error instanceof ApiError && error.code === 300 && error.status === 400) return { access: { state: "ok" } };
  if (error instanceof ZoomUnavailableError) return { access: { state: "unavailable", message: error.message } };
  if (isScopeError(error)) {
    const zoomMessage = error.cause instanceof ApiError ? error.cause.zoomMessage : error.message;
    return { access: { state: "missing-scope", zoomScopes: scopesInMessage(zoomMessage), zoomMessage } };
  }
  if (error instanceof AuthError) return { access: { state: "refused", message: error.message } };
  // A per-second 429 gets here only when the caller did not retry it; a daily limit lasts until 00:00 UTC.
  if (error instanceof RateLimitError) return { access: { state: "unknown", message: `${error.message}: try again ${error.scope === "qps" ? "in a minute" : "after 00:00 UTC"}` } };
  if (isEventNotFound(error)) return { access: { state: "ok" }, event: "not-found" };
  if (isRegistrationOffAnswer(error)) return { access: { state: "ok" }, event: "registration-off" };
  if (isEventOverAnswer(error)) return { access: { state: "ok" }, event: "over" };
  if (error instanceof ApiError && isAdd && error.code === 303) return { access: { state: "skipped", reason: "Zoom takes batches only for scheduled meetings (type 2)" } };
  // The probe's expected answer: the body is refused, so the event still takes registrations.
  if (error instanceof ApiError && isAdd && error.code === 300 && error.status === 400) return { access: { state: "ok" }, event: "open" };
  if (error instanceof ApiError) return { access: { state: "unknown", message: error.message } };
  throw error;
}

export async function runCheck(deps: CheckDependencies, event: EventRef): Promise<CheckReport> {
  const { client, tokens, signal } = deps;
  const options = signal === undefined ? {} : { signal };
  const retry = { clock: deps.clock, random: deps.random, ...options };
  const report: CheckReport = {
    event,
    credentials: { ...deps.credentials, tokenObtained: false, expiresAtMs: undefined, scopes: undefined },
    access: [],
    facts: undefined,
    over: undefined,
    pastScheduledEnd: false,
    form: undefined,
    needs: undefined,
    problems: [],
    warnings: [],
    exitCode: 0,
  };
  const finish = (): CheckReport => {
    report.exitCode = checkExitCode(report.problems);
    return report;
  };

  let token: string;
  try {
    token = await retryRead(() => tokens.getToken(signal), retry);
  } catch (error) {
    if (error instanceof ZoomUnavailableError) report.problems.push(unavailableProblem(error.message));
    else if (error instanceof AuthError) report.problems.push(credentialsProblem(error, deps.credentials.scheme));
    else throw error;
    return finish();
  }
  const info = tokenInfoOf(tokens);
  const decoded = decodeBearerToken(token);
  report.credentials = {
    ...report.credentials,
    tokenObtained: true,
    expiresAtMs: info?.expiresAtMs ?? (decoded.format === "jwt" ? decoded.expiresAtMs : undefined),
    scopes: info?.scopes,
  };

  const signals: EventSignal[] = [];
  let notFound: ApiError | undefined;
  const record = (operation: ZoomOperation, result: AccessState): void => {
    report.access.push({
      operation,
      description: operationDescription(operation, event.kind),
      scope: recommendedScope(operation, event.kind),
      classicScope: classicScope(operation, event.kind),
      result,
      optional: desiredStateOperations.includes(operation) && !(operation === "updateStatus" && deps.changesStatuses === true),
    });
  };
  /** Makes one call and records what its outcome says; the value when it succeeded. */
  const attempt = async <T>(operation: ZoomOperation, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await retryRead(call, retry);
      const { access, event: said } = probeOutcome(operation, { ok: true });
      record(operation, access);
      if (said !== undefined) signals.push(said);
      return value;
    } catch (error) {
      const { access, event: said } = probeOutcome(operation, { ok: false, error });
      record(operation, access);
      if (said !== undefined) signals.push(said);
      if (said === "not-found" && error instanceof ApiError) notFound ??= error;
      return undefined;
    }
  };
  const stoppedBy = (state: "refused" | "unavailable"): boolean => report.access.some((check) => check.result.state === state);

  for (const operation of zoomOperations) {
    if (stoppedBy("refused")) {
      // Every call would be refused the same way: say so once.
      record(operation, { state: "skipped", reason: "the token was refused" });
      continue;
    }
    if (stoppedBy("unavailable")) {
      // Each call would spend its own retries on the same outage: say so once.
      record(operation, { state: "skipped", reason: "Zoom is unreachable or failing" });
      continue;
    }
    switch (operation) {
      case "readEvent": {
        const described = await attempt(operation, () => client.getEvent(event, options));
        if (described !== undefined) report.facts = eventFacts(event, described);
        break;
      }
      case "readQuestions":
        report.form = await attempt(operation, () => client.getRegistrationQuestions(event, options));
        break;
      case "listRegistrants":
        await attempt(operation, () => client.listRegistrants(event, { ...options, pageSize: 1 }));
        break;
      case "addRegistrant": {
        const before = signals.length;
        await attempt(operation, () => client.addRegistrant(event, emptyAddProbe, options));
        const said = signals.slice(before);
        if (said.includes("over")) report.over = true;
        else if (said.includes("open")) report.over = false;
        break;
      }
      case "batchAdd": {
        const batchType = event.kind === "meeting" ? 2 : 5;
        if (report.facts !== undefined && report.facts.type !== batchType) {
          record(operation, { state: "skipped", reason: `Zoom takes batches only for ${event.kind === "meeting" ? "scheduled meetings" : "webinars"} (type ${batchType}); push adds one by one` });
          break;
        }
        await attempt(operation, () => client.addBatchRegistrants(event, { registrants: [] }, options));
        break;
      }
      case "updateStatus":
        // Nobody named: nothing is approved, and no one's status changes are spent.
        await attempt(operation, () => client.updateRegistrantStatus(event, { action: "approve", registrants: [] }, options));
        break;
      case "readRegistrant":
        await attempt(operation, () => client.getRegistrant(event, absentRegistrantId, options));
        break;
      case "deleteRegistrant":
        await attempt(operation, () => client.deleteRegistrant(event, absentRegistrantId, options));
        break;
    }
  }
  if (report.form !== undefined) report.needs = inputNeeds(report.form);

  for (const check of report.access) {
    if (check.result.state === "refused") {
      report.problems.push({ area: "credentials", message: check.result.message, fix: credentialsFix(deps.credentials.scheme) });
      break;
    }
  }
  const missing = report.access.filter((check) => check.result.state === "missing-scope" && !check.optional);
  if (missing.length > 0) {
    const batchOnly = missing.length === 1 && missing[0]?.operation === "batchAdd";
    const classic = [...new Set(missing.map((check) => check.classicScope))];
    report.problems.push({
      area: "scopes",
      message: `the credentials may not ${missing.map((check) => check.description).join(", ")}`,
      fix: `${addScopeHint(missing.map((check) => check.scope), classic)}${batchOnly ? "; or push with --batch never" : ""}`,
    });
  }
  const eventProblem = eventProblemOf(event, report.facts, signals, notFound);
  if (eventProblem !== undefined) report.problems.push(eventProblem);
  if (report.facts !== undefined) {
    const nowMs = deps.clock.now();
    report.pastScheduledEnd = pastScheduledEnd(report.facts, nowMs);
    const warning = report.over === true ? undefined : scheduledEndWarning(report.facts, nowMs);
    if (warning !== undefined) report.warnings.push({ message: warning, fix: scheduledEndFix(event, report.over) });
  }
  const unavailable = report.access.find((check) => check.result.state === "unavailable");
  if (unavailable?.result.state === "unavailable") report.problems.push(unavailableProblem(unavailable.result.message));
  for (const check of report.access) {
    if (check.result.state === "unknown") {
      report.problems.push({
        area: "event",
        message: `could not tell whether the credentials may ${check.description}: ${check.result.message}`,
        fix: "run zoomreg check again; if the answer stays, quote it (with its tracking id from --debug) to Zoom support",
      });
    }
  }
  return finish();
}

/** The one event problem to report, most basic first: missing, wrong type, registration off, over. */
function eventProblemOf(ref: EventRef, facts: EventFacts | undefined, signals: readonly EventSignal[], notFound: ApiError | undefined): Problem | undefined {
  const toProblem = (error: { message: string; hint: string | undefined }): Problem => ({ area: "event", message: error.message, fix: error.hint ?? "" });
  if (notFound !== undefined) return toProblem(eventNotFoundError(ref, notFound));
  const refusal = facts === undefined ? undefined : eventRefusal(facts);
  if (refusal !== undefined) return toProblem(refusal);
  if (signals.includes("registration-off")) return toProblem(registrationOffError(ref, facts?.topic));
  if (signals.includes("over")) return toProblem(eventOverError(ref, facts?.topic));
  return undefined;
}

/** What a warning about the schedule adds: whether Zoom still took the empty add, and what to do if the event has ended. */
function scheduledEndFix(ref: EventRef, over: boolean | undefined): string {
  const zoomSaid = over === false ? "Zoom still takes registrations for it (the empty add got no 3038)" : "whether Zoom still takes registrations is not known";
  return `${zoomSaid}; if the ${ref.kind} has ended, schedule a new one and push to its id`;
}

/** Zoom out of reach: nothing about the setup is known to be wrong, and nothing was changed. */
function unavailableProblem(message: string): Problem {
  return { area: "unavailable", message, fix: "nothing was changed: run zoomreg check again later" };
}

/**
 * The token endpoint's refusal as a problem. Its message already ends with what to check (auth/s2s.ts:
 * "...: check ZOOM_ACCOUNT_ID, ..."); that part becomes the fix rather than being said twice.
 */
export function credentialsProblem(error: AuthError, scheme: "s2s" | "jwt"): Problem {
  if (error.hint !== undefined) return { area: "credentials", message: error.message, fix: error.hint };
  const advice = /^(.*?\)): (check .*)$/.exec(error.message);
  if (advice?.[1] !== undefined && advice[2] !== undefined) return { area: "credentials", message: advice[1], fix: advice[2] };
  return { area: "credentials", message: error.message, fix: credentialsFix(scheme) };
}

function credentialsFix(scheme: "s2s" | "jwt"): string {
  return scheme === "s2s"
    ? "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET against the app's App Credentials, and that the Server-to-Server OAuth app is activated"
    : "check ZOOM_API_KEY and ZOOM_API_SECRET; Zoom retired JWT apps on 2023-09-08: create a Server-to-Server OAuth app and set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET";
}
