import { describe, expect, it } from "vitest";
import { runCheck, type CheckReport } from "../../../src/preflight/check.js";
import { checkJson, renderCheckText } from "../../../src/preflight/report.js";
import type { TokenProvider } from "../../../src/auth/token-provider.js";
import type { EventRef } from "../../../src/zoom/client.js";
import { ApiError } from "../../../src/errors.js";
import { StubClient, scopeError, zoomError } from "./helpers.js";
import { SkippingClock } from "../../helpers/skipping-clock.js";

const WEBINAR: EventRef = { kind: "webinar", id: "81234567890" };
const nowMs = Date.parse("2030-01-01T00:00:00Z");
const provider: TokenProvider & { tokenInfo(): { scopes: string[]; expiresAtMs: number } } = {
  scheme: "s2s",
  getToken: () => Promise.resolve("fake_s2s.opaque"),
  invalidate: () => undefined,
  apiBaseUrl: () => undefined,
  tokenInfo: () => ({ scopes: ["webinar:read:webinar:admin", "webinar:write:registrant:admin"], expiresAtMs: nowMs + 3_600_000 }),
};

async function report(client: StubClient, tokens: TokenProvider = provider): Promise<CheckReport> {
  return runCheck({ client, tokens, credentials: { scheme: "s2s", identity: "client-1" }, clock: new SkippingClock(nowMs), random: () => 0.5 }, WEBINAR);
}

const webinarInfo = {
  type: 5,
  approvalType: 1,
  registrationType: 1,
  topic: "All hands",
  raw: { type: 5, topic: "All hands", host_email: "host@example.com", start_time: "2030-01-15T17:00:00Z", duration: 60 },
};
const form = {
  questions: [{ field_name: "city", required: true }],
  custom_questions: [{ title: "T-shirt size", type: "single_dropdown", required: true, answers: ["S", "M"] }],
};

describe("renderCheckText", () => {
  it("marks every check ok and says the push is ready", async () => {
    const lines = renderCheckText(await report(new StubClient({ getEvent: { value: webinarInfo }, getRegistrationQuestions: { value: form } })), nowMs);
    expect(lines).toEqual([
      "ok    credentials: Server-to-Server OAuth app client-1, token obtained (expires in 60 min)",
      "      scopes granted: webinar:read:webinar:admin, webinar:write:registrant:admin",
      "ok    may read the webinar (webinar:read:webinar:admin)",
      "ok    may read the webinar's registration questions (webinar:read:list_registration_questions:admin)",
      "ok    may list the webinar's registrants (webinar:read:list_registrants:admin)",
      "ok    may add registrants to the webinar (webinar:write:registrant:admin)",
      "ok    may batch-add registrants to the webinar (webinar:write:batch_registrants:admin)",
      "ok    may approve, cancel or deny the webinar's registrants (webinar:update:registrant_status:admin)",
      "ok    may read a registrant of the webinar (webinar:read:registrant:admin)",
      "ok    may delete a registrant of the webinar (webinar:delete:registrant:admin)",
      'ok    webinar 81234567890 "All hands": webinar (type 5), registration on (approved by the host), not over, starts 2030-01-15T17:00:00Z, host host@example.com',
      "ok    registration form: 1 standard field (1 required), 1 custom question (1 required)",
      "      the input must carry: email, first_name, city, question: T-shirt size (one of S, M)",
      "      it may also carry: last_name",
      "ready: zoomreg push <file> --webinar 81234567890",
    ]);
  });

  it("puts the fix under each failure and one line to add every missing scope at once", async () => {
    const client = new StubClient({
      getEvent: { value: webinarInfo },
      getRegistrationQuestions: { error: scopeError(["webinar:read:list_registration_questions", "webinar:read:list_registration_questions:admin"]) },
      listRegistrants: { error: scopeError(["webinar:read:list_registrants", "webinar:read:list_registrants:admin"]) },
    });
    const lines = renderCheckText(await report(client), nowMs);
    expect(lines).toContain(
      "FAIL  may not read the webinar's registration questions: Zoom says the token lacks one of webinar:read:list_registration_questions, webinar:read:list_registration_questions:admin",
    );
    expect(lines).toContain("      fix: add webinar:read:list_registrants:admin (or the classic webinar:read:admin) to the app's scopes, then activate it again");
    expect(lines).toContain("skip  registration form: not read");
    expect(lines.at(-2)).toBe("not ready (exit 3): fix what is marked FAIL and run zoomreg check again");
    expect(lines.at(-1)).toMatch(/^ {6}in one go: add webinar:read:list_registration_questions:admin, webinar:read:list_registrants:admin to /);
  });

  it("shows an event problem with what Zoom said of the event and the fix", async () => {
    const client = new StubClient({ getEvent: { value: webinarInfo }, addRegistrant: { error: zoomError(400, 3038, "Webinar is over, you cannot register now.") } });
    const lines = renderCheckText(await report(client), nowMs);
    const failure = lines.findIndex((line) => line.startsWith("FAIL"));
    expect(lines.slice(failure, failure + 3)).toEqual([
      'FAIL  webinar 81234567890 "All hands" is over: Zoom takes no more registrations for it (code 3038)',
      '      webinar 81234567890 "All hands": webinar (type 5), registration on (approved by the host), over, starts 2030-01-15T17:00:00Z, host host@example.com',
      "      fix: schedule a new webinar (or occurrence) and push to its id",
    ]);
    expect(lines.at(-1)).toBe("not ready (exit 2): fix what is marked FAIL and run zoomreg check again");
  });

  it("warns of a webinar that started in 2020 instead of calling it 'not over', and stays ready (exit 0)", async () => {
    const past = { ...webinarInfo, raw: { ...webinarInfo.raw, start_time: "2020-01-15T17:00:00Z" } };
    const checked = await report(new StubClient({ getEvent: { value: past }, getRegistrationQuestions: { value: form } }));
    const lines = renderCheckText(checked, nowMs);
    expect(checked.exitCode).toBe(0);
    expect(lines.join("\n")).not.toMatch(/not over/);
    const event = lines.findIndex((text) => text.startsWith('ok    webinar 81234567890 "All hands"'));
    expect(lines.slice(event, event + 3)).toEqual([
      'ok    webinar 81234567890 "All hands": webinar (type 5), registration on (approved by the host), past its scheduled end, Zoom still takes registrations, starts 2020-01-15T17:00:00Z, host host@example.com',
      'WARN  webinar 81234567890 "All hands" started at 2020-01-15T17:00:00Z and was scheduled to end at 2020-01-15T18:00:00Z; Zoom refuses registrations once it has ended (code 3038)',
      "      Zoom still takes registrations for it (the empty add got no 3038); if the webinar has ended, schedule a new one and push to its id",
    ]);
    expect(lines.at(-1)).toBe("ready, 1 warning above: zoomreg push <file> --webinar 81234567890");
  });

  it("prints FAIL for Zoom unreachable or failing and exits 5 when the token endpoint keeps answering 503", async () => {
    const unavailable = new ApiError({ method: "POST", path: "https://zoom.us/oauth/token", status: 503, code: undefined, zoomMessage: "Service Unavailable", trackingId: undefined });
    const checked = await report(new StubClient(), { ...provider, getToken: () => Promise.reject(unavailable) });
    expect(checked.exitCode).toBe(5);
    expect(renderCheckText(checked, nowMs)).toEqual([
      "FAIL  credentials: Server-to-Server OAuth app client-1: Zoom is unreachable or failing: POST https://zoom.us/oauth/token failed: 503 Service Unavailable (after 5 attempts)",
      "      fix: nothing was changed: run zoomreg check again later",
      "not ready (exit 5): Zoom is unreachable or failing; nothing was changed: run zoomreg check again later",
    ]);
  });

  it("prints FAIL for the read Zoom keeps failing and skips the calls after it (exit 5)", async () => {
    const client = new StubClient({ getEvent: { error: zoomError(502, undefined, "Bad Gateway", "/webinars/81234567890") } });
    const lines = renderCheckText(await report(client), nowMs);
    expect(lines.slice(2)).toEqual([
      "FAIL  could not tell whether the credentials may read the webinar: Zoom is unreachable or failing: GET /webinars/81234567890 failed: 502 Bad Gateway (after 5 attempts)",
      "skip  read the webinar's registration questions: Zoom is unreachable or failing",
      "skip  list the webinar's registrants: Zoom is unreachable or failing",
      "skip  add registrants to the webinar: Zoom is unreachable or failing",
      "skip  batch-add registrants to the webinar: Zoom is unreachable or failing",
      "skip  approve, cancel or deny the webinar's registrants: Zoom is unreachable or failing",
      "skip  read a registrant of the webinar: Zoom is unreachable or failing",
      "skip  delete a registrant of the webinar: Zoom is unreachable or failing",
      "skip  webinar 81234567890: not read",
      "skip  registration form: not read",
      "not ready (exit 5): Zoom is unreachable or failing; nothing was changed: run zoomreg check again later",
    ]);
  });
});

describe("checkJson", () => {
  it("gives scripts the verdict, each call's outcome, the event and the input it needs", async () => {
    const json = checkJson(await report(new StubClient({ getEvent: { value: webinarInfo }, getRegistrationQuestions: { value: form } })));
    expect(json).toMatchObject({
      ok: true,
      exitCode: 0,
      event: WEBINAR,
      credentials: { scheme: "s2s", identity: "client-1", tokenObtained: true, expiresAt: "2030-01-01T01:00:00.000Z" },
      details: { registration: "on", over: false, hostEmail: "host@example.com" },
      input: { required: [{ column: "email" }, { column: "first_name" }, { column: "city" }, { column: "question: T-shirt size", answers: ["S", "M"] }] },
      problems: [],
    });
    expect((json.access as { state: string }[]).map((check) => check.state)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"]);
  });

  it("gives the scheduled end and the warning, with ok still true", async () => {
    const past = { ...webinarInfo, raw: { ...webinarInfo.raw, start_time: "2020-01-15T17:00:00Z" } };
    const json = checkJson(await report(new StubClient({ getEvent: { value: past } })));
    expect(json).toMatchObject({ ok: true, exitCode: 0, details: { over: false, scheduledEnd: "2020-01-15T18:00:00.000Z", pastScheduledEnd: true } });
    expect(json.warnings).toEqual([expect.objectContaining({ message: expect.stringMatching(/^webinar 81234567890 "All hands" started at 2020-01-15T17:00:00Z/) as string })]);
  });
});
