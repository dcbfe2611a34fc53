// Preloaded into a benchmarked process (`node --import <this file's URL> ...`): records how long each
// registrant add took as that process saw it, from undici's dispatch to the answer's headers, through
// undici's diagnostics channels. zoomreg (undici's Agent) and Node's own fetch (the naive baseline)
// both publish on them, so the two are measured alike and neither needs code for it. The samples go
// to the file named by ZOOMREG_BENCH_LATENCY_FILE when the process exits (zoomreg calls process.exit).
/* global process, performance */
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";

/** @typedef {{ method: string, path: string }} UndiciRequest */

/** Bounded: a run never keeps more than this many samples per kind. */
const maxSamplesPerKind = 200_000;
/** @type {WeakMap<object, number>} */
const startedMs = new WeakMap();
/** @type {{ single: number[], batch: number[] }} */
const samplesMs = { single: [], batch: [] };
/** @type {{ single: Record<string, number>, batch: Record<string, number> }} */
const statuses = { single: {}, batch: {} };

/** @param {UndiciRequest} request */
function kindOf(request) {
  if (request.method !== "POST") return undefined;
  const path = request.path.split("?")[0] ?? "";
  if (path.endsWith("/batch_registrants")) return "batch";
  if (path.endsWith("/registrants")) return "single";
  return undefined;
}

subscribe("undici:request:create", (message) => {
  const { request } = /** @type {{ request: UndiciRequest }} */ (message);
  if (kindOf(request) !== undefined) startedMs.set(request, performance.now());
});

subscribe("undici:request:headers", (message) => {
  const { request, response } = /** @type {{ request: UndiciRequest, response: { statusCode: number } }} */ (message);
  const kind = kindOf(request);
  const started = startedMs.get(request);
  if (kind === undefined || started === undefined) return;
  startedMs.delete(request);
  if (samplesMs[kind].length < maxSamplesPerKind) samplesMs[kind].push(performance.now() - started);
  statuses[kind][response.statusCode] = (statuses[kind][response.statusCode] ?? 0) + 1;
});

process.on("exit", () => {
  const path = process.env.ZOOMREG_BENCH_LATENCY_FILE;
  if (path !== undefined) writeFileSync(path, JSON.stringify({ samplesMs, statuses }));
});
