#!/usr/bin/env node
// How many requests a second the fake Zoom serves (npm run build first; `npm run bench` calls this).
//   node scripts/bench-fake.js [--seconds 5] [--concurrency 32] [--route add|get|list] [--adapter node|msw]
// The fake runs in a child process and the undici client in this one, so neither steals the other's
// event loop; both processes' CPU is reported, with the machine's load average, because on a small
// machine the client (~0.5 ms of CPU a request here) is as expensive as the server. Loopback only,
// bounded in time and concurrency. Prints one JSON object:
//   {requestsPerSecond, requests, durationMs, concurrency, route, statuses, errors, latencyMs: {p50, p99, max},
//    serverCpuPercent, clientCpuPercent, loadAverage1m: {before, after}, cpus}
import { fork } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Pool, request } from "undici";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};

if (args.includes("--serve")) {
  await serve(flag("adapter", "node"));
} else {
  await bench({
    seconds: Math.min(60, Math.max(1, Number(flag("seconds", "5")))),
    concurrency: Math.min(256, Math.max(1, Number(flag("concurrency", "32")))),
    route: flag("route", "add"),
    adapter: flag("adapter", "node"),
  });
}

/** The child: a fake Zoom with the built-in scenario, answering CPU questions over IPC. */
async function serve(adapter) {
  const { startFakeZoom, startMswFakeZoom } = await import("../dist/fake-zoom/index.js");
  const zoom = await (adapter === "msw" ? startMswFakeZoom : startFakeZoom)({ port: 0, host: "127.0.0.1" });
  process.on("message", async (message) => {
    if (message === "cpu") process.send({ cpu: process.cpuUsage(), peaks: zoom.fake.ledger().totals.peakRequestsPerSecondByLabel });
    if (message === "stop") {
      await zoom.close();
      process.exit(0);
    }
  });
  process.send({ url: zoom.url, credentials: zoom.fake.credentials });
}

async function bench({ seconds, concurrency, route, adapter }) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", "--adapter", adapter], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  // Never outlive the measurement by much, whatever happens.
  const guard = setTimeout(() => child.kill("SIGKILL"), (seconds + 30) * 1000);
  guard.unref();
  const ask = (message) =>
    new Promise((resolve) => {
      child.once("message", resolve);
      if (message !== undefined) child.send(message);
    });
  const { url, credentials } = await ask();

  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64");
  const tokenAnswer = await request(`${url}/oauth/token?grant_type=account_credentials&account_id=${credentials.accountId}`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}` },
  });
  const { access_token: accessToken } = await tokenAnswer.body.json();
  const headers = { authorization: `Bearer ${accessToken}`, "content-type": "application/json" };
  // The default webinar: no capacity limit (a meeting holds 4,999), so every add registers someone new.
  const webinar = "/v2/webinars/81234567890";
  let sequence = 0;
  const nextRequest = () => {
    sequence += 1;
    if (route === "get") return { method: "GET", path: webinar, headers };
    if (route === "list") return { method: "GET", path: `${webinar}/registrants?page_size=30`, headers };
    return { method: "POST", path: `${webinar}/registrants`, headers, body: JSON.stringify({ email: `bench-${sequence}@example.com`, first_name: "Bench" }) };
  };

  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const statuses = {};
  let errors = 0;
  let requests = 0;
  // A bounded sample of latencies (every 4th request up to 200,000), enough for p99.
  const latencies = [];
  const loadBefore = loadavg()[0];
  const serverCpuBefore = (await ask("cpu")).cpu;
  const clientCpuBefore = process.cpuUsage();
  const startedMs = performance.now();
  const deadlineMs = startedMs + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadlineMs) {
      const sentMs = performance.now();
      try {
        const answer = await pool.request(nextRequest());
        await answer.body.dump();
        statuses[answer.statusCode] = (statuses[answer.statusCode] ?? 0) + 1;
      } catch {
        errors += 1;
      }
      requests += 1;
      if (requests % 4 === 0 && latencies.length < 200_000) latencies.push(performance.now() - sentMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const durationMs = performance.now() - startedMs;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverAnswer = await ask("cpu");
  const serverCpuMs = (serverAnswer.cpu.user - serverCpuBefore.user + serverAnswer.cpu.system - serverCpuBefore.system) / 1000;
  await pool.close();
  child.send("stop");

  latencies.sort((a, b) => a - b);
  const percentile = (p) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2));
  console.log(
    JSON.stringify({
      requestsPerSecond: Math.round((requests / durationMs) * 1000),
      requests,
      durationMs: Math.round(durationMs),
      concurrency,
      route,
      adapter,
      statuses,
      errors,
      latencyMs: { p50: percentile(0.5), p99: percentile(0.99), max: percentile(1) },
      serverCpuPercent: Math.round((serverCpuMs / durationMs) * 100),
      clientCpuPercent: Math.round(((clientCpu.user + clientCpu.system) / 1000 / durationMs) * 100),
      serverPeakRequestsPerSecond: serverAnswer.peaks,
      loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) },
      cpus: cpus().length,
    }),
  );
}
