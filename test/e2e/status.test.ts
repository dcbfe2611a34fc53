import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, freshFakeZoomEachTest, runCli } from "./harness.js";

/** `zoomreg status` (issue 18): inspect an event's state without pushing. */
let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));

const meeting = defaultEventIds.meeting;
const rows = (n: number): string => ["email,first_name,last_name", ...Array.from({ length: n }, (_, i) => `p${i}@example.com,P,${i}`), ""].join("\n");
const status = (...flags: string[]) => runCli(["status", "--meeting", meeting, ...flags], { env: fakeEnv(zoom), cwd: dir });

describe("zoomreg status", () => {
  it("before any push says there is no state file to read (exit 2)", async () => {
    const run = await status();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomreg: no state file at .*zoomreg-meeting-85746065\.state\.ndjson: no push of meeting 85746065 has run with it: run zoomreg status in the folder/m);
  });

  it("after a push says how it ended and who is where, beside Zoom's list, and names who Zoom no longer lists", async () => {
    writeFileSync(join(dir, "people.csv"), rows(5));
    expect((await runCli(["push", "people.csv", "--meeting", meeting], { env: fakeEnv(zoom), cwd: dir })).code).toBe(0);
    zoom.fake.hostChangesRegistrant("meeting", meeting, "p3@example.com", "delete");

    const text = await status();
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^last run: ended \d{4}-\d\d-\d\dT[\d:.]+Z after [\d.]+ s, exit 0; registered 5$/m);
    expect(text.stdout).toContain("people: registered 5\n");
    expect(text.stdout).toContain("Zoom's list: approved 4, pending 0, denied 0; 0 on Zoom that no push recorded here\n");
    expect(text.stdout).toContain("recorded as on the event, not on Zoom's list (the next push adds them again):\n  p3@example.com\n");

    const json = JSON.parse((await status("--json", "--no-zoom")).stdout) as { counts: Record<string, number>; lastRun: { exitCode: number }; zoom: unknown };
    expect(json).toMatchObject({ counts: { registered: 5 }, lastRun: { exitCode: 0 }, zoom: null });
  });

  it("writes with --out the same file, byte for byte, that the push wrote", async () => {
    writeFileSync(join(dir, "people.csv"), rows(40));
    expect((await runCli(["push", "people.csv", "--meeting", meeting, "--out", "joinurls.csv"], { env: fakeEnv(zoom), cwd: dir })).code).toBe(0);
    const run = await runCli(["status", "--meeting", meeting, "--no-zoom", "--out", "again.csv"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "again.csv"), "utf8")).toBe(readFileSync(join(dir, "joinurls.csv"), "utf8"));
  });
});
