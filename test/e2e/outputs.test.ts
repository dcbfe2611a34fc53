import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultEventIds, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { addRequests, fakeEnv, readCsv, root, runCli, freshFakeZoomEachTest } from "./harness.js";

const webinar = defaultEventIds.webinar;
const header = "email,first_name,last_name";
const rows = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i}@example.com,P${i},Q${i}`);

let zoom: RunningFakeZoom;
let dir: string;
freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));

const push = (args: string[]) => runCli(["push", ...args], { env: fakeEnv(zoom), cwd: dir });

describe("files a cron job can trust", () => {
  it("keeps every row before a broken line: their join_urls in the output, their outcomes in the ledger, exit 2", async () => {
    // Line 203 opens a quote that is never closed: the rows on lines 2 to 202 come before it.
    const lines = [header, ...rows(299)];
    lines[202] = 'broken@example.com,"Unclosed,Q';
    writeFileSync(join(dir, "people.csv"), `${lines.join("\n")}\n`);
    const run = await push(["people.csv", "--webinar", webinar, "--out", "out.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/line 203: a quoted cell starting on this row is never closed; the 201 rows before it are done \(201 registered\) and their join_urls are in .*out\.csv/);
    const out = readCsv(join(dir, "out.csv"));
    expect(out).toHaveLength(201);
    expect(out.every((row) => row.status === "registered" && row.join_url?.startsWith("https://") === true)).toBe(true);
    const ledger = readFileSync(join(dir, `zoomreg-webinar-${webinar}.state.ndjson`), "utf8");
    expect(ledger.match(/"t":"done"/g)).toHaveLength(201);
  });

  it("leaves the last output byte for byte when a re-run fails before its first row", async () => {
    writeFileSync(join(dir, "people.csv"), `${[header, ...rows(20)].join("\n")}\n`);
    expect((await push(["people.csv", "--webinar", webinar, "--out", "out.csv"])).code).toBe(0);
    const before = readFileSync(join(dir, "out.csv"));
    writeFileSync(join(dir, "no-email.csv"), "name,company\nAda,Acme\n");
    const rerun = await push(["no-email.csv", "--webinar", webinar, "--out", "out.csv"]);
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toMatch(/no email column/);
    expect(readFileSync(join(dir, "out.csv")).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith(".zoomreg-tmp"))).toEqual([]);
  });

  it("refuses an --out that names the input, and leaves the input as it was", async () => {
    const input = `${[header, ...rows(3)].join("\n")}\n`;
    writeFileSync(join(dir, "people.csv"), input);
    const run = await push(["people.csv", "--webinar", webinar, "--out", "people.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out .*people\.csv is the same file as the input/);
    expect(readFileSync(join(dir, "people.csv"), "utf8")).toBe(input);
    expect(addRequests(zoom)).toBe(0);
  });

  it("names --out, not the state file beside it, when --out's folder does not exist, and sends nothing", async () => {
    writeFileSync(join(dir, "people.csv"), `${[header, ...rows(3)].join("\n")}\n`);
    const run = await push(["people.csv", "--webinar", webinar, "--out", "missing/out.csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`zoomreg: --out ${join(dir, "missing", "out.csv")}: the folder ${join(dir, "missing")} does not exist: create it (mkdir -p ${join(dir, "missing")}), or give --out a path in a folder you can write to\n`);
    expect(addRequests(zoom)).toBe(0);
  });

  it("keeps the last complete output through a kill -9, and the next run removes the killed run's temporary file", async () => {
    writeFileSync(join(dir, "people.csv"), `${[header, ...rows(5)].join("\n")}\n`);
    expect((await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never"])).code).toBe(0);
    const complete = readFileSync(join(dir, "out.csv"));
    writeFileSync(join(dir, "people.csv"), `${[header, ...rows(400)].join("\n")}\n`);
    const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), "push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--batch", "never", "--rate", "50"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...fakeEnv(zoom) },
      stdio: "ignore",
    });
    for (let i = 0; i < 400 && addRequests(zoom) < 30; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("close", resolve));
    expect(readFileSync(join(dir, "out.csv")).equals(complete)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith(".zoomreg-tmp"))).toHaveLength(1);

    const resumed = await push(["people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "1000"]);
    expect(resumed.code).toBe(0);
    expect(readCsv(join(dir, "out.csv"))).toHaveLength(400);
    expect(readdirSync(dir).filter((name) => name.endsWith(".zoomreg-tmp"))).toEqual([]);
    expect(existsSync(join(dir, "out.csv.rejects.csv"))).toBe(false);
  });
});

describe("memory that stays flat", () => {
  it("sends a lone batchable row before 3,000 rows sent one by one within the first tenth of the adds", async () => {
    const order: string[] = [];
    const recording = await startFakeZoom({
      port: 0,
      interceptors: [
        {
          beforeRoute: (exchange) => {
            if (exchange.route.name === "addRegistrant" || exchange.route.name === "batchAddRegistrants") order.push(exchange.route.name);
            return undefined;
          },
        },
      ],
    });
    try {
      // The org column makes every row after the first a single add; the first goes in a batch alone.
      const lines = ["email,first_name,last_name,org", "lone@example.com,Lone,Row,", ...Array.from({ length: 3000 }, (_, i) => `p${i}@example.com,P${i},Q${i},Acme`)];
      writeFileSync(join(dir, "people.csv"), `${lines.join("\n")}\n`);
      const run = await runCli(["push", "people.csv", "--webinar", webinar, "--out", "out.csv", "--rate", "600"], { env: fakeEnv(recording), cwd: dir });
      expect(run.code).toBe(0);
      expect(order.filter((name) => name === "batchAddRegistrants")).toHaveLength(1);
      expect(order.indexOf("batchAddRegistrants")).toBeLessThan(300);
      expect(readCsv(join(dir, "out.csv"))[0]).toMatchObject({ email: "lone@example.com", status: "registered" });
    } finally {
      await recording.close();
    }
  });
});
