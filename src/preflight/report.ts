/**
 * How `zoomreg check` shows its report: one line per check with an `ok`, `FAIL`, `WARN` or `skip`
 * mark, the fix under each failure or warning, and a last line that says whether a push is ready
 * (text); or one object (`--json`) for scripts. Pure: the time is passed in.
 */
import { relativeTime } from "./bearer-token.js";
import type { AccessCheck, CheckReport } from "./check.js";
import { approvalDescription, eventLabel, registrationOff, typeDescription } from "./event.js";
import { describeColumns } from "./form.js";

type Mark = "ok" | "FAIL" | "WARN" | "skip";

const line = (mark: Mark, text: string): string => `${mark.padEnd(4)}  ${text}`;
const detail = (text: string): string => `      ${text}`;

export function renderCheckText(report: CheckReport, nowMs: number): string[] {
  const lines: string[] = [];
  const problemIn = (area: string): boolean => report.problems.some((problem) => problem.area === area);
  const { credentials, event } = report;

  const who = credentials.scheme === "s2s" ? `Server-to-Server OAuth app ${credentials.identity}` : `JWT app (API key ${credentials.identity})`;
  if (!credentials.tokenObtained) {
    // Refused, or Zoom's token endpoint out of reach: either way there is no token, and this says why.
    const problem = report.problems.find((candidate) => candidate.area === "credentials" || candidate.area === "unavailable");
    lines.push(line("FAIL", `credentials: ${who}: ${problem?.message ?? "no token"}`));
    if (problem !== undefined) lines.push(detail(`fix: ${problem.fix}`));
  } else {
    const expiry = credentials.expiresAtMs === undefined ? "" : ` (expires ${relativeTime(credentials.expiresAtMs, nowMs)})`;
    const how = credentials.scheme === "s2s" ? "token obtained" : "token signed here; Zoom retired JWT apps on 2023-09-08";
    lines.push(line(problemIn("credentials") ? "FAIL" : "ok", `credentials: ${who}, ${how}${expiry}`));
    if (credentials.scopes !== undefined) lines.push(detail(`scopes granted: ${credentials.scopes.length === 0 ? "none" : credentials.scopes.join(", ")}`));
    const refused = report.problems.find((candidate) => candidate.area === "credentials");
    if (refused !== undefined) lines.push(detail(`${refused.message}`), detail(`fix: ${refused.fix}`));
  }

  for (const check of report.access) lines.push(...accessLines(check));

  const eventProblem = report.problems.find((problem) => problem.area === "event" && !problem.message.startsWith("could not tell"));
  const facts = report.facts;
  const summary = facts === undefined ? undefined : eventSummary(report);
  if (eventProblem !== undefined) {
    lines.push(line("FAIL", eventProblem.message));
    if (summary !== undefined) lines.push(detail(summary));
    lines.push(detail(`fix: ${eventProblem.fix}`));
  } else if (summary !== undefined) {
    lines.push(line("ok", summary));
  } else if (report.access.length > 0) {
    lines.push(line("skip", `${eventLabel(event)}: not read`));
  }
  for (const warning of report.warnings) lines.push(line("WARN", warning.message), detail(warning.fix));

  const { form, needs } = report;
  if (form !== undefined && needs !== undefined) {
    const requiredFields = form.questions.filter((question) => question.required).length;
    const requiredQuestions = form.custom_questions.filter((question) => question.required).length;
    lines.push(
      line(
        "ok",
        `registration form: ${count(form.questions.length, "standard field")} (${requiredFields} required), ${count(form.custom_questions.length, "custom question")} (${requiredQuestions} required)`,
      ),
      detail(`the input must carry: ${describeColumns(needs.required)}`),
    );
    if (needs.optional.length > 0) lines.push(detail(`it may also carry: ${describeColumns(needs.optional)}`));
  } else if (report.access.length > 0) {
    lines.push(line("skip", "registration form: not read"));
  }

  if (report.problems.length === 0) {
    const warnings = report.warnings.length + report.access.filter((check) => check.optional && check.result.state === "missing-scope").length;
    const warned = warnings === 0 ? "" : `, ${count(warnings, "warning")} above`;
    lines.push(`ready${warned}: zoomreg push <file> --${event.kind} ${event.id}`);
    return lines;
  }
  const unavailable = report.problems.find((problem) => problem.area === "unavailable");
  if (unavailable !== undefined && report.problems.length === 1) {
    lines.push(`not ready (exit ${report.exitCode}): Zoom is unreachable or failing; ${unavailable.fix}`);
    return lines;
  }
  lines.push(`not ready (exit ${report.exitCode}): fix what is marked FAIL and run zoomreg check again`);
  // Several missing scopes: one line to add them all at once, since each change needs the app activated again.
  const scopes = report.problems.find((problem) => problem.area === "scopes");
  if (scopes !== undefined && report.access.filter((check) => check.result.state === "missing-scope").length > 1) lines.push(detail(`in one go: ${scopes.fix}`));
  return lines;
}

function accessLines(check: AccessCheck): string[] {
  const { result } = check;
  switch (result.state) {
    case "ok":
      return [line("ok", `may ${check.description} (${check.scope})`)];
    case "skipped":
      return [line("skip", `${check.description}: ${result.reason}`)];
    case "refused":
      return [line("FAIL", `may not ${check.description}: the token was refused`)];
    case "unknown":
      return [line("FAIL", `could not tell whether the credentials may ${check.description}: ${result.message}`)];
    case "unavailable":
      return [line("FAIL", `could not tell whether the credentials may ${check.description}: ${result.message}`)];
    case "missing-scope": {
      const named = result.zoomScopes.length === 0 ? result.zoomMessage : `Zoom says the token lacks one of ${result.zoomScopes.join(", ")}`;
      const fix = detail(`fix: add ${check.scope} (or the classic ${check.classicScope}) to the app's scopes, then activate it again`);
      if (!check.optional) return [line("FAIL", `may not ${check.description}: ${named}`), fix];
      return [line("WARN", `may not ${check.description}: ${named}; ${optionalWhy(check)}`), fix];
    }
  }
}

/** What a push without this optional call cannot do. */
function optionalWhy(check: AccessCheck): string {
  switch (check.operation) {
    case "updateStatus":
      return "a status column, --prune and people coming back need it (check --prune or --status makes this a FAIL)";
    case "readRegistrant":
      return "approved rows then get their join_url on the next run, not at once";
    default:
      return "someone Zoom will not approve again cannot be re-admitted without it";
  }
}

/** `meeting 85746065 "Launch": scheduled meeting (type 2), registration on (approved automatically), not over, starts ..., host ...`. */
function eventSummary(report: CheckReport): string | undefined {
  const facts = report.facts;
  if (facts === undefined) return undefined;
  const parts = [
    typeDescription(facts.ref.kind, facts.type),
    registrationOff(facts) ? "registration off" : `registration on (${approvalDescription(facts.approvalType)})`,
    overDescription(report),
  ];
  if (facts.startTime !== undefined) parts.push(`starts ${facts.startTime}`);
  if (facts.hostEmail !== undefined) parts.push(`host ${facts.hostEmail}`);
  return `${eventLabel(facts.ref, facts.topic)}: ${parts.join(", ")}`;
}

/** What is known of "over": Zoom's 3038 says it is; a refused empty add says Zoom still takes registrations, which past the schedule is not "not over". */
function overDescription(report: Pick<CheckReport, "over" | "pastScheduledEnd">): string {
  if (report.over === true) return "over";
  if (report.over === undefined) return "over: not known";
  return report.pastScheduledEnd ? "past its scheduled end, Zoom still takes registrations" : "not over";
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The report as one JSON-able object: what scripts and monitoring read. */
export function checkJson(report: CheckReport): Record<string, unknown> {
  const { credentials, facts } = report;
  return {
    ok: report.problems.length === 0,
    exitCode: report.exitCode,
    event: report.event,
    credentials: {
      scheme: credentials.scheme,
      identity: credentials.identity,
      tokenObtained: credentials.tokenObtained,
      expiresAt: credentials.expiresAtMs === undefined ? null : new Date(credentials.expiresAtMs).toISOString(),
      scopes: credentials.scopes ?? null,
    },
    access: report.access.map((check) => ({
      operation: check.operation,
      description: check.description,
      scope: check.scope,
      classicScope: check.classicScope,
      ...check.result,
    })),
    details:
      facts === undefined
        ? null
        : {
            topic: facts.topic ?? null,
            type: facts.type,
            typeDescription: typeDescription(facts.ref.kind, facts.type),
            approvalType: facts.approvalType ?? null,
            registration: registrationOff(facts) ? "off" : "on",
            over: report.over ?? null,
            startTime: facts.startTime ?? null,
            scheduledEnd: facts.scheduledEndMs === undefined ? null : new Date(facts.scheduledEndMs).toISOString(),
            pastScheduledEnd: report.pastScheduledEnd,
            hostEmail: facts.hostEmail ?? null,
          },
    form: report.form ?? null,
    input: report.needs ?? null,
    problems: report.problems,
    warnings: report.warnings,
  };
}
