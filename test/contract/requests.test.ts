import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type FakeRequest, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { fakeEnv, runCli, tempDir } from "../e2e/harness.js";
import { requestErrors } from "./openapi.js";

/**
 * Every add-registrant body the real CLI sends must satisfy Zoom's own request schema
 * (contract/zoom-openapi-extract.json, from shared/zoom-api/zoom-meeting-api.openapi.json).
 */
const fullRow = {
  Email: "ada@example.com",
  "First Name": "Ada",
  "Last Name": "Lovelace",
  Address: "12 St James's Square",
  City: "London",
  State: "London",
  Zip: "SW1Y 4JH",
  Country: "GB",
  Phone: "+44 20 7946 0000",
  Comments: "Notes, with a comma",
  Industry: "Computing",
  "Job Title": "Analyst",
  Company: "Analytical Engines",
  "No of employees": "1-20",
  "Purchasing time frame": "within a month",
  "Role in purchase process": "decision maker",
  Language: "en-us",
  "question: Dietary needs": "none",
};

let zoom: RunningFakeZoom | undefined;
afterEach(async () => {
  await zoom?.close();
  zoom = undefined;
});

async function sentBodies(kind: "meeting" | "webinar", rows: Record<string, string>[], extraArgs: string[] = [], route = "addRegistrant"): Promise<FakeRequest[]> {
  const seen: FakeRequest[] = [];
  zoom = await startFakeZoom({
    port: 0,
    interceptors: [
      {
        beforeRoute: (exchange) => {
          if (exchange.route.name === route) seen.push(exchange.request);
          return undefined;
        },
      },
    ],
  });
  const dir = tempDir();
  writeFileSync(join(dir, "people.ndjson"), rows.map((row) => JSON.stringify(row)).join("\n"));
  const id = kind === "meeting" ? defaultEventIds.meeting : defaultEventIds.webinar;
  const run = await runCli(["push", "people.ndjson", `--${kind}`, id, "--out", "out.csv", ...extraArgs], { env: fakeEnv(zoom), cwd: dir });
  expect(run.stderr).toBe("");
  return seen;
}

describe("requests zoomreg sends, against Zoom's OpenAPI document", () => {
  it("sends a meeting add body with every optional field that satisfies meetingRegistrantCreate", async () => {
    const bodies = await sentBodies("meeting", [fullRow, { Email: "b@example.com", "First Name": "B" }], ["--auto-approve", "--log-level", "warn", "--batch", "never"]);
    expect(bodies).toHaveLength(2);
    for (const request of bodies) expect(requestErrors("meetingRegistrantCreate", JSON.parse(request.body))).toBeUndefined();
  });

  it("sends a webinar add body that satisfies webinarRegistrantCreate", async () => {
    const bodies = await sentBodies("webinar", [fullRow], ["--log-level", "warn"]);
    expect(bodies).toHaveLength(1);
    for (const request of bodies) expect(requestErrors("webinarRegistrantCreate", JSON.parse(request.body))).toBeUndefined();
  });

  it.each([
    ["meeting", "addBatchRegistrants", ["--confirmation-email"]],
    ["webinar", "addBatchWebinarRegistrants", []],
  ] as const)("sends a %s batch body that satisfies %s", async (kind, operationId, flags) => {
    const rows = Array.from({ length: 3 }, (_, i) => ({ Email: `p${i}@example.com`, "First Name": `P${i}`, "Last Name": `Q${i}` }));
    const bodies = await sentBodies(kind, rows, ["--auto-approve", "--log-level", "warn", ...flags], "batchAddRegistrants");
    expect(bodies).toHaveLength(1);
    for (const request of bodies) expect(requestErrors(operationId, JSON.parse(request.body))).toBeUndefined();
  });

  it("sends Zoom's exact enum spellings whatever the case of the input", async () => {
    const [request] = await sentBodies("meeting", [fullRow], ["--log-level", "warn"]);
    expect(JSON.parse(request?.body ?? "{}")).toMatchObject({
      purchasing_time_frame: "Within a month",
      role_in_purchase_process: "Decision Maker",
      language: "en-US",
      custom_questions: [{ title: "Dietary needs", value: "none" }],
    });
  });

  it("sends status changes (a cancel, then an approval back) whose bodies satisfy meetingRegistrantStatus", async () => {
    const seen: FakeRequest[] = [];
    zoom = await startFakeZoom({ port: 0, interceptors: [{ beforeRoute: (exchange) => void (exchange.route.name === "updateRegistrantStatus" && seen.push(exchange.request)) }] });
    const dir = tempDir();
    const push = (status: string) => {
      writeFileSync(join(dir, "people.csv"), `email,first_name,status\nada@example.com,Ada,${status}\n`);
      return runCli(["push", "people.csv", "--meeting", defaultEventIds.meeting, "--out", "out.csv"], { env: fakeEnv(zoom as RunningFakeZoom), cwd: dir });
    };
    for (const status of ["registered", "cancelled", "registered"]) expect((await push(status)).code).toBe(0);
    expect(seen.map((request) => (JSON.parse(request.body) as { action: string }).action)).toEqual(["cancel", "approve"]);
    for (const request of seen) expect(requestErrors("meetingRegistrantStatus", JSON.parse(request.body))).toBeUndefined();
  });

  it("would catch a body that breaks the schema", () => {
    expect(requestErrors("meetingRegistrantCreate", { email: "ada@example.com" })).toMatch(/first_name/);
    expect(requestErrors("meetingRegistrantCreate", { email: "ada@example.com", first_name: "A", language: "english" })).toMatch(/language/);
  });
});
