import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEventIds, defaultFakeEvents, startFakeZoom, type FakeZoomEvent, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, runCli, tempDir } from "./harness.js";

/**
 * Event ids as people have them (issue 12): the `--meeting 123` every tutorial shows, and the link
 * pasted from an invitation. The fake gets a meeting 123 of its own here; its defaults stay as they are.
 */

const tutorialMeeting: FakeZoomEvent = {
  kind: "meeting",
  id: "123",
  type: 2,
  topic: "Tutorial meeting",
  approvalType: 0,
  hostEmail: "host@example.com",
  startTime: "2030-01-15T17:00:00Z",
};

const people = ["email,first_name,last_name", "ada@example.com,Ada,Lovelace", "grace@example.com,Grace,Hopper", ""].join("\n");

let zoom: RunningFakeZoom;
let dir: string;
beforeEach(async () => {
  zoom = await startFakeZoom({ port: 0, events: [...defaultFakeEvents(), tutorialMeeting] });
  dir = tempDir();
  writeFileSync(join(dir, "meeting.csv"), people);
});
afterEach(async () => {
  await zoom.close();
});

const registeredIn = (kind: string, id: string): string[] => Object.keys(zoom.fake.ledger().events[`${kind}:${id}`] ?? {}).sort();

describe("zoomreg push: event ids as people have them", () => {
  it("runs the tutorials' `zoomreg push meeting.csv --meeting 123` and registers the rows", async () => {
    const run = await runCli(["push", "meeting.csv", "--meeting", "123"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.stderr).not.toMatch(/error|not a Zoom/i);
    expect(run.code).toBe(0);
    expect(registeredIn("meeting", "123")).toEqual(["ada@example.com", "grace@example.com"]);
    const rows = readCsv(join(dir, "joinurls-meeting-123.csv"));
    expect(rows.map((row) => [row.email, row.status])).toEqual([
      ["ada@example.com", "registered"],
      ["grace@example.com", "registered"],
    ]);
  });

  it.each([
    { what: "a meeting link pasted from an invitation", flag: "--meeting", value: "https://us02web.zoom.us/j/123?pwd=aBcD.1", kind: "meeting", id: "123" },
    { what: "an id as the invitation spells it", flag: "--meeting", value: "Meeting ID: 857 4606 5", kind: "meeting", id: defaultEventIds.meeting },
    { what: "a webinar link", flag: "--webinar", value: `https://acme.zoom.us/w/${defaultEventIds.webinar}?tk=xyz`, kind: "webinar", id: defaultEventIds.webinar },
  ])("registers the rows for $what", async ({ flag, value, kind, id }) => {
    const run = await runCli(["push", "meeting.csv", flag, value, "--out", "out.csv"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).toBe(0);
    expect(registeredIn(kind, id)).toEqual(["ada@example.com", "grace@example.com"]);
  });

  it.each([
    { what: "a personal room link", args: ["--meeting", "https://zoom.us/my/jane.doe"], message: /^zoomreg: --meeting "https:\/\/zoom\.us\/my\/jane\.doe" is a personal meeting room link: .*: Zoom takes registrations only for scheduled meetings/ },
    { what: "a webinar link given to --meeting", args: ["--meeting", "https://zoom.us/w/81234567890"], message: /^zoomreg: --meeting ".*" is a webinar link \(\/w\/\): .*: use --webinar 81234567890/ },
    { what: "a letter in the id", args: ["--meeting", "857 46O6 5"], message: /^zoomreg: --meeting "857 46O6 5" is not a Zoom meeting id: read as "85746O65", which has "O" where a digit belongs: / },
  ])("refuses $what in one line, exit 2, nothing sent", async ({ args, message }) => {
    const run = await runCli(["push", "meeting.csv", ...args, "--out", "out.csv"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(addRequests(zoom)).toBe(0);
    expect(existsSync(join(dir, "out.csv"))).toBe(false);
  });

  it("checks the event a pasted link names", async () => {
    const run = await runCli(["check", "--meeting", "https://us02web.zoom.us/j/123?pwd=aBcD.1"], { env: fakeEnv(zoom), cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("ready: zoomreg push <file> --meeting 123");
  });
});
