#!/usr/bin/env node
// Where a `--cpu-prof` profile spent its time, without opening DevTools: self time per function and
// per package (or project folder), largest first.
//   node scripts/bench/profile-top.js <file.cpuprofile> [--top 25]
/* global process, console */
import { readFileSync } from "node:fs";

/** @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number } }} ProfileNode */
/** @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }} CpuProfile */

const [path, ...rest] = process.argv.slice(2);
if (path === undefined) {
  console.error("usage: node scripts/bench/profile-top.js <file.cpuprofile> [--top 25]");
  process.exit(2);
}
const topIndex = rest.indexOf("--top");
const top = topIndex >= 0 ? Number(rest[topIndex + 1] ?? "25") : 25;
const profile = /** @type {CpuProfile} */ (readJson(path));

/** @type {Map<number, ProfileNode>} */
const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
/** @type {Map<number, number>} self time per node id, µs */
const selfUs = new Map();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

/** @type {Map<string, number>} */
const byFunction = new Map();
/** @type {Map<string, number>} */
const byPlace = new Map();
for (const [id, us] of selfUs) {
  const frame = nodesById.get(id)?.callFrame;
  if (frame === undefined) continue;
  const place = placeOf(frame.url, frame.functionName);
  const name = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}${frame.url === "" ? "" : `:${frame.lineNumber + 1}`}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
}

const print = (/** @type {string} */ title, /** @type {Map<string, number>} */ table, /** @type {number} */ count) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${path}: ${(totalUs / 1000).toFixed(0)} ms profiled`);
print("self time by package / folder", byPlace, 20);
print("self time by function", byFunction, top);

/**
 * @param {string} file
 * @returns {unknown}
 */
function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * @param {string} url
 * @param {string} functionName
 */
function placeOf(url, functionName) {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules !== null) return modules[1] ?? url;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist !== null) return `zoomreg ${dist[1] ?? ""}`;
  if (url.startsWith("node:")) return url.split("/")[0] ?? url;
  return shortUrl(url);
}

/** @param {string} url */
function shortUrl(url) {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, "$1/");
}
