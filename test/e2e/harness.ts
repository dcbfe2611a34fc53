import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { defaultFakeCredentials, startFakeZoom, type RunningFakeZoom } from "../../src/fake-zoom/index.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "zoomreg.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`npm test` builds before vitest) as a user would: a child process, its own
 * working directory, only the environment given (no inherited ZOOM_* variables, no stray .env).
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? tempDir(),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => undefined); // the CLI may exit before reading stdin
    child.stdin.end(options.stdin ?? "");
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "zoomreg-e2e-"));
}

/**
 * One run-lock folder per test file (each file has its own module instance), so no test leaves locks
 * in the user's state folder. (Fakes on different ports hold different locks: the API host is part of the key.)
 */
export const lockDir = mkdtempSync(join(tmpdir(), "zoomreg-e2e-locks-"));

/** The variables that point the CLI at a running fake, for either authentication scheme. */
export function fakeEnv(zoom: RunningFakeZoom, scheme: "s2s" | "jwt" = "s2s"): Record<string, string> {
  const c = defaultFakeCredentials;
  const credentials =
    scheme === "s2s"
      ? { ZOOM_API_URL: zoom.apiUrl, ZOOM_OAUTH_URL: zoom.oauthUrl, ZOOM_ACCOUNT_ID: c.accountId, ZOOM_CLIENT_ID: c.clientId, ZOOM_CLIENT_SECRET: c.clientSecret }
      : { ZOOM_API_URL: zoom.apiUrl, ZOOM_API_KEY: c.apiKey, ZOOM_API_SECRET: c.apiSecret };
  return { ...credentials, ZOOMREG_LOCK_DIR: lockDir };
}

/** Parses the CSV the CLI writes (RFC 4180, CRLF, quoted cells) into objects keyed by header. */
export function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, "utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ""])));
}

/** How many adds the fake received, over every event. */
export function addRequests(zoom: RunningFakeZoom): number {
  return Object.entries(zoom.fake.ledger().totals.requestsByRoute)
    .filter(([route]) => route.endsWith("/registrants") && route.startsWith("POST"))
    .reduce((sum, [, count]) => sum + count, 0);
}

/**
 * A fresh fake Zoom on a loopback port and an empty working folder for every test of the file, closed
 * after each: `let zoom, dir; freshFakeZoomEachTest((fresh) => ({ zoom, dir } = fresh));`.
 */
export function freshFakeZoomEachTest(take: (fresh: { zoom: RunningFakeZoom; dir: string }) => void): void {
  let current: RunningFakeZoom | undefined;
  beforeEach(async () => {
    current = await startFakeZoom({ port: 0 });
    take({ zoom: current, dir: tempDir() });
  });
  afterEach(async () => {
    await current?.close();
  });
}
