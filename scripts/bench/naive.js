#!/usr/bin/env node
// The usual script, for the benchmark's baseline: what people write before they meet Zoom's limits.
// Read the whole CSV, split it on newlines and commas, get a Server-to-Server token, then add the
// people one awaited fetch at a time. No retries, no pacing, no streaming: a 429 or a dropped
// connection loses that row. Written the plain way on purpose; zoomreg is what it is compared with.
//   node scripts/bench/naive.js <file.csv> <webinarId> <out.txt>   (ZOOM_* from the environment)
/* global fetch, console, process, performance, Buffer */
import { readFileSync, writeFileSync } from "node:fs";

const [file = "", webinarId = "", outPath = ""] = process.argv.slice(2);
const startedMs = performance.now();

const lines = readFileSync(file, "utf8").trim().split("\n");
const header = (lines.shift() ?? "").split(",");
const people = lines.map((line) => {
  const cells = line.split(",");
  /** @type {Record<string, string>} */
  const person = {};
  header.forEach((name, index) => (person[name] = cells[index] ?? ""));
  return person;
});

const basic = Buffer.from(`${process.env.ZOOM_CLIENT_ID}:${process.env.ZOOM_CLIENT_SECRET}`).toString("base64");
const tokenAnswer = await fetch(`${process.env.ZOOM_OAUTH_URL}?grant_type=account_credentials&account_id=${process.env.ZOOM_ACCOUNT_ID}`, {
  method: "POST",
  headers: { Authorization: `Basic ${basic}` },
});
const { access_token: token } = /** @type {{access_token: string}} */ (await tokenAnswer.json());

const joinUrls = [];
let registered = 0;
let failed = 0;
/** @type {Record<string, number>} */
const statuses = {};
for (const person of people) {
  const answer = await fetch(`${process.env.ZOOM_API_URL}/webinars/${webinarId}/registrants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(person),
  });
  const body = /** @type {{join_url?: string, message?: string}} */ (await answer.json());
  statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  if (answer.ok) {
    registered += 1;
    joinUrls.push(`${person.email},${body.join_url ?? ""}`);
  } else {
    failed += 1;
    console.error(`${person.email}: ${answer.status} ${body.message ?? ""}`);
  }
}
writeFileSync(outPath, `${joinUrls.join("\n")}\n`);

// The benchmark's part, not the usual script's: one JSON line, shaped like zoomreg's --json summary.
const usage = process.resourceUsage();
console.log(
  JSON.stringify({
    counts: { registered, failed },
    statuses,
    durationMs: Math.round(performance.now() - startedMs),
    resources: { cpuUserMs: Math.round(usage.userCPUTime / 1000), cpuSystemMs: Math.round(usage.systemCPUTime / 1000), peakRssMb: Math.round(usage.maxRSS / 1024) },
  }),
);
