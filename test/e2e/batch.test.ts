import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, readCsv, runCli, tempDir } from "./harness.js";

let zoom: RunningFakeZoom;
let dir: string;
beforeEach(async () => {
  zoom = await startFakeZoom({ port: 0 });
  dir = tempDir();
});
afterEach(async () => {
  await zoom.close();
});

const requests = (suffix: string): number =>
  Object.entries(zoom.fake.ledger().totals.requestsByRoute)
    .filter(([route]) => route.startsWith("POST") && route.endsWith(suffix))
    .reduce((sum, [, count]) => sum + count, 0);

const people = (n: number, extra = ""): string =>
  [`email,first_name,last_name${extra === "" ? "" : ",question: Dietary needs"}`, ...Array.from({ length: n }, (_, i) => `p${i}@example.com,P${i},Q${i}${extra === "" ? "" : `,${i % 2 === 0 ? extra : ""}`}`), ""].join("\n");

const push = (args: string[]) => runCli(["push", ...args, "--out", "out.csv"], { env: fakeEnv(zoom), cwd: dir });

describe("batch registration", () => {
  it("registers a scheduled webinar's name-only rows 30 at a time, each row with its own join_url", async () => {
    writeFileSync(join(dir, "people.csv"), people(75));
    const run = await push(["people.csv", "--webinar", defaultEventIds.webinar]);
    expect(run.code).toBe(0);
    expect(requests("/batch_registrants")).toBe(3);
    expect(requests("/registrants")).toBe(0);
    const ledger = zoom.fake.ledger().events[`webinar:${defaultEventIds.webinar}`] ?? {};
    const out = readCsv(join(dir, "out.csv"));
    expect(out).toHaveLength(75);
    for (const row of out) {
      expect(row.status).toBe("registered");
      expect(row.join_url).toBe(ledger[row.email ?? ""]?.joinUrl);
    }
  });

  it("uses single adds for a recurring meeting, where Zoom refuses batches", async () => {
    writeFileSync(join(dir, "people.csv"), people(5));
    const run = await push(["people.csv", "--meeting", defaultEventIds.recurringMeeting]);
    expect(run.code).toBe(0);
    expect(requests("/batch_registrants")).toBe(0);
    expect(requests("/registrants")).toBe(5);
  });

  it("sends rows that answer a custom question alone, and the rest in batches, in one run", async () => {
    writeFileSync(join(dir, "people.csv"), people(10, "vegetarian"));
    const run = await push(["people.csv", "--meeting", defaultEventIds.meeting]);
    expect(run.code).toBe(0);
    expect(requests("/batch_registrants")).toBe(1);
    expect(requests("/registrants")).toBe(5);
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(Array.from({ length: 10 }, () => "registered"));
  });

  it("falls back to single adds when Zoom refuses a batch as a whole, giving the batch's adds back", async () => {
    await zoom.close();
    let refused = 0;
    zoom = await startFakeZoom({
      port: 0,
      interceptors: [
        {
          beforeRoute: (exchange) => {
            if (exchange.route.name !== "batchAddRegistrants" || refused > 0) return undefined;
            refused += 1;
            return { status: 400, headers: { "content-type": "application/json", "x-zm-trackingid": "t" }, body: JSON.stringify({ code: 300, message: "Validation Failed." }) };
          },
        },
      ],
    });
    writeFileSync(join(dir, "people.csv"), people(3));
    const run = await push(["people.csv", "--webinar", defaultEventIds.webinar]);
    expect(run.code).toBe(0);
    expect(refused).toBe(1);
    expect(requests("/registrants")).toBe(3);
    expect(readCsv(join(dir, "out.csv")).map((row) => row.status)).toEqual(["registered", "registered", "registered"]);
    // The refused batch spent nothing: each person has one add counted today in the state file.
    const lines = readFileSync(join(dir, `zoomreg-webinar-${defaultEventIds.webinar}.state.ndjson`), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { t: string });
    expect(lines.filter((line) => line.t === "send").length - lines.filter((line) => line.t === "void").length).toBe(3);
  });

  it("never batches with --batch never", async () => {
    writeFileSync(join(dir, "people.csv"), people(4));
    await push(["people.csv", "--webinar", defaultEventIds.webinar, "--batch", "never"]);
    expect(requests("/batch_registrants")).toBe(0);
    expect(requests("/registrants")).toBe(4);
  });
});
