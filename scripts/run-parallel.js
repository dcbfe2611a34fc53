#!/usr/bin/env node
// Runs npm scripts side by side and fails if any fails: `npm test`'s typecheck and type-aware lint are
// each single-threaded and take 20-45 s, so on a 2-core CI machine running them together saves about
// as long as the shorter one. Each script's output is held back and printed whole when it ends, so two
// scripts' lines never interleave.
//   node scripts/run-parallel.js typecheck lint build:emit
import { spawn } from "node:child_process";

const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write("usage: node scripts/run-parallel.js <npm script> [<npm script> ...]\n");
  process.exit(2);
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const runs = names.map(
  (name) =>
    new Promise((resolve) => {
      const startedMs = performance.now();
      const child = spawn(npm, ["run", "--silent", name], { stdio: ["ignore", "pipe", "pipe"] });
      const chunks = [];
      child.stdout.on("data", (chunk) => chunks.push(chunk));
      child.stderr.on("data", (chunk) => chunks.push(chunk));
      child.on("error", (error) => resolve({ name, code: 1, output: `${error.message}\n`, seconds: 0 }));
      child.on("close", (code, signal) => {
        const seconds = (performance.now() - startedMs) / 1000;
        resolve({ name, code: code ?? (signal === null ? 1 : 128), output: Buffer.concat(chunks).toString("utf8"), seconds });
      });
    }),
);

let failed = false;
for (const run of await Promise.all(runs)) {
  process.stdout.write(run.output);
  const verdict = run.code === 0 ? "ok" : `FAILED (exit ${run.code})`;
  process.stdout.write(`> ${run.name}: ${verdict} in ${run.seconds.toFixed(1)} s\n`);
  if (run.code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
