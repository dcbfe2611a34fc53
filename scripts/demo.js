#!/usr/bin/env node
// npm run demo: start the bundled fake Zoom on a free loopback port, push fixtures/registrants.csv to
// one of its meetings with the real CLI, and say where the join_urls and the rejected rows went.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultFakeCredentials, startFakeZoom } from "../dist/fake-zoom/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "out");
mkdirSync(outDir, { recursive: true });
const out = join(outDir, "demo-joinurls.csv");

const fake = await startFakeZoom({ port: 0 });
console.log(`fake Zoom listening on ${fake.url}`);
const args = ["push", join(root, "fixtures", "registrants.csv"), "--meeting", "85746065", "--out", out, "--log-level", "warn"];
console.log(`$ zoomreg ${args.map((a) => relative(root, a) || a).join(" ")}`);
const child = spawn(process.execPath, [join(root, "bin", "zoomreg.js"), ...args], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    ZOOM_API_URL: fake.apiUrl,
    ZOOM_OAUTH_URL: fake.oauthUrl,
    ZOOM_ACCOUNT_ID: defaultFakeCredentials.accountId,
    ZOOM_CLIENT_ID: defaultFakeCredentials.clientId,
    ZOOM_CLIENT_SECRET: defaultFakeCredentials.clientSecret,
  },
});
const code = await new Promise((resolve) => child.on("exit", (exitCode) => resolve(exitCode ?? 1)));
await fake.close();
console.log(`join_urls: ${relative(root, out)}   rejected rows: ${relative(root, `${out}.rejects.csv`)}`);
// The sample file holds invalid and duplicate rows on purpose, so the push exits 1; the demo itself succeeded.
if (code !== 0 && code !== 1) process.exit(code);
