import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultFakeCredentials, startFakeZoom, type FakeZoomOptions, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, runCli, tempDir } from "./harness.js";

/**
 * The preflight of `zoomreg push` (issue 6): before the first add, push reads the event and its
 * registration form; it refuses events that take no registrations (exit 2) and credentials that may
 * not read them (exit 3), and marks `invalid` the rows Zoom would refuse. `--no-preflight` skips it.
 */

const WEBINAR = "81234567890";
const LIMITED_APP = { clientId: "limited-app", clientSecret: "limited-app-secret", scopes: ["webinar:read:webinar:admin", "webinar:write:registrant:admin", "webinar:read:list_registrants:admin"] };

const scenario: FakeZoomOptions = {
  apps: [
    { clientId: defaultFakeCredentials.clientId, clientSecret: defaultFakeCredentials.clientSecret, scopes: ["webinar:read:webinar:admin", "webinar:read:list_registration_questions:admin", "webinar:read:list_registrants:admin", "webinar:write:registrant:admin", "webinar:write:batch_registrants:admin", "meeting:read:meeting:admin", "meeting:read:list_registration_questions:admin", "meeting:read:list_registrants:admin", "meeting:write:registrant:admin", "meeting:write:batch_registrants:admin"] },
    LIMITED_APP,
  ],
  events: [
    {
      kind: "webinar",
      id: WEBINAR,
      type: 5,
      topic: "Webinar with two required questions",
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-15T17:00:00Z",
      registrationQuestions: {
        questions: [{ field_name: "city", required: false }],
        custom_questions: [
          { title: "Dietary needs", type: "short", required: true },
          { title: "T-shirt size", type: "single", required: true, answers: ["S", "M", "L"] },
        ],
      },
    },
    { kind: "meeting", id: "11111111", type: 2, topic: "Closed meeting", approvalType: 2, hostEmail: "host@example.com", startTime: "2030-01-15T17:00:00Z" },
    // Its scheduled end has passed, so the preflight asks Zoom, which answers 3038.
    { kind: "meeting", id: "22222222", type: 2, topic: "Ended meeting", approvalType: 0, hostEmail: "host@example.com", startTime: "2020-01-15T17:00:00Z", over: true },
    // Its scheduled end has passed too, but Zoom still takes registrations: the push goes on.
    { kind: "meeting", id: "44444444", type: 2, topic: "Late meeting", approvalType: 0, hostEmail: "host@example.com", startTime: "2020-01-15T17:00:00Z" },
  ],
};

const people = [
  "email,first_name,question: Dietary needs,question: T-shirt size",
  "ada@example.com,Ada,none,M",
  "bob@example.com,Bob,,M",
  "cy@example.com,Cy,vegan,XXL",
  "host@example.com,Host,none,S",
  "",
].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
beforeEach(async () => {
  zoom = await startFakeZoom({ ...scenario, port: 0 });
  dir = tempDir();
  writeFileSync(join(dir, "people.csv"), people);
});
afterEach(async () => {
  await zoom.close();
});

const push = (args: string[], env = fakeEnv(zoom)) => runCli(["push", "people.csv", "--out", "out.csv", "--log-level", "warn", ...args], { env, cwd: dir });

describe("zoomreg push: preflight refusals", () => {
  it.each([
    { what: "registration is off", event: "11111111", message: /^zoomreg: meeting 11111111 "Closed meeting" does not take registrations: registration is off \(approval type 2\): in Zoom, edit the meeting, tick Registration: Required/ },
    { what: "the event is over", event: "22222222", message: /^zoomreg: meeting 22222222 "Ended meeting" is over: Zoom takes no more registrations for it \(code 3038\)/ },
    { what: "the event does not exist", event: "33333333", message: /^zoomreg: meeting 33333333 does not exist \(Zoom: 404 code 3001 Meeting does not exist: 33333333\.\): check the id/ },
  ])("refuses to start when $what: one line, exit 2, nothing sent, no file written", async ({ event, message }) => {
    const run = await push(["--meeting", event]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(zoom.fake.ledger().events[`meeting:${event}`] ?? {}).toEqual({});
    expect(existsSync(join(dir, "out.csv"))).toBe(false);
  });

  it("goes on when the scheduled end has passed but Zoom still takes registrations", async () => {
    writeFileSync(join(dir, "plain.csv"), "email,first_name\nada@example.com,Ada\n");
    const run = await runCli(["push", "plain.csv", "--meeting", "44444444", "--out", "out.csv", "--log-level", "warn"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(["registered"]);
  });

  it("refuses credentials that may not read the event's form, naming the scope Zoom reports (exit 3)", async () => {
    const env = { ...fakeEnv(zoom), ZOOM_CLIENT_ID: LIMITED_APP.clientId, ZOOM_CLIENT_SECRET: LIMITED_APP.clientSecret };
    const run = await push(["--webinar", WEBINAR], env);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^zoomreg: the credentials may not read the webinar's registration questions \(code 4711\): Zoom says the token lacks one of webinar:read:list_registration_questions, webinar:read:list_registration_questions:admin: add webinar:read:list_registration_questions:admin to the Server-to-Server OAuth app's scopes/);
    expect(addRequests(zoom)).toBe(0);
  });
});

describe("zoomreg push: rows the preflight marks invalid", () => {
  it("sends the good row and marks the others invalid, naming the question, the answers or the host", async () => {
    const run = await push(["--webinar", WEBINAR]);
    expect(run.code).toBe(1);
    const rows = new Map(readCsv(join(dir, "out.csv")).map((row) => [row.email, row]));
    expect(rows.get("ada@example.com")?.status).toBe("registered");
    expect(rows.get("bob@example.com")).toMatchObject({ status: "invalid", error_message: 'question "Dietary needs": missing; the event requires an answer (column "question: Dietary needs")' });
    expect(rows.get("cy@example.com")).toMatchObject({ status: "invalid", error_message: 'question "T-shirt size": "XXL" is not one of its answers: S, M, L' });
    expect(rows.get("host@example.com")).toMatchObject({ status: "invalid", error_message: "email: the event's host cannot register for their own event (Zoom code 3027)" });
    expect(Object.keys(zoom.fake.ledger().events[`webinar:${WEBINAR}`] ?? {})).toEqual(["ada@example.com"]);
    expect(addRequests(zoom)).toBe(1);
  });

  it("lists the marked rows in the rejects file with their line numbers", async () => {
    await push(["--webinar", WEBINAR]);
    const rejects = readCsv(join(dir, "out.csv.rejects.csv"));
    expect(rejects.map((row) => [row.line, row.status])).toEqual([
      ["3", "invalid"],
      ["4", "invalid"],
      ["5", "invalid"],
    ]);
    expect(rejects[1]?.reason).toMatch(/T-shirt size/);
  });

  it("answers a question from a column named like it, without the question: prefix", async () => {
    writeFileSync(join(dir, "bare.csv"), "email,first_name,Dietary needs,T-shirt size\nada@example.com,Ada,none,S\n");
    const run = await runCli(["push", "bare.csv", "--webinar", WEBINAR, "--out", "out.csv", "--log-level", "warn"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "out.csv"))[0]?.status).toBe("registered");
  });
});

describe("zoomreg push --no-preflight", () => {
  it("sends without reading the form: Zoom refuses the host's row itself (3027) and the row fails", async () => {
    writeFileSync(join(dir, "host.csv"), "email,first_name,question: Dietary needs,question: T-shirt size\nhost@example.com,Host,none,S\n");
    const run = await runCli(["push", "host.csv", "--webinar", WEBINAR, "--out", "out.csv", "--no-preflight", "--batch", "never", "--log-level", "warn"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).toBe(1);
    expect(readCsv(join(dir, "out.csv"))[0]).toMatchObject({ status: "failed", error_code: "3027" });
    expect(zoom.fake.ledger().totals.requestsByRoute["GET /v2/webinars/{webinarId}/registrants/questions"]).toBeUndefined();
  });

  it("starts on an event whose registration is off, and Zoom refuses the add", async () => {
    writeFileSync(join(dir, "one.csv"), "email,first_name\nada@example.com,Ada\n");
    const run = await runCli(["push", "one.csv", "--meeting", "11111111", "--out", "out.csv", "--no-preflight", "--batch", "never", "--log-level", "warn"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).not.toBe(0);
    expect(addRequests(zoom)).toBe(1);
  });
});
