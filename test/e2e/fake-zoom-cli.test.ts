import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { root, runCli, tempDir } from "./harness.js";

/** `zoomreg fake-zoom` as a user runs it: the built CLI (npm run build first), in the background. */
const bin = join(root, "bin", "zoomreg.js");
const fullScenario = join(root, "fixtures", "scenarios", "full.json");

interface Served {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function serve(args: readonly string[], cwd = tempDir()): Served {
  const child = spawn(process.execPath, [bin, "fake-zoom", "--port", "0", ...args], { cwd, env: { PATH: process.env.PATH ?? "" } });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `export NAME=value` lines, as `source` would read them (values here need no unquoting). */
function parseExports(text: string): Record<string, string> | undefined {
  const variables: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(/^export (ZOOM_\w+)=(\S+)$/gm)) if (name !== undefined && value !== undefined) variables[name] = value;
  return Object.keys(variables).length === 5 ? variables : undefined;
}

async function fetchToken(env: Record<string, string>): Promise<number> {
  const basic = Buffer.from(`${env.ZOOM_CLIENT_ID}:${env.ZOOM_CLIENT_SECRET}`).toString("base64");
  const answer = await request(`${env.ZOOM_OAUTH_URL}?grant_type=account_credentials&account_id=${env.ZOOM_ACCOUNT_ID}`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}` },
  });
  await answer.body.dump();
  return answer.statusCode;
}

describe("zoomreg fake-zoom", () => {
  it("prints working variables with --print-env, serves, and exits 0 on SIGTERM", async () => {
    const served = serve(["--print-env"]);
    const env = await until("the export lines", () => parseExports(served.stdout()));
    expect(await fetchToken(env)).toBe(200);
    served.child.kill("SIGTERM");
    expect(await served.exited).toBe(0);
    expect(served.stdout().trim().split("\n")).toHaveLength(5);
  });

  it("writes the variables to --write-env, readable by its owner only", async () => {
    const dir = tempDir();
    const served = serve(["--write-env", "fake.env"], dir);
    const envPath = join(dir, "fake.env");
    const env = await until("the env file", () => (existsSync(envPath) ? parseExports(readFileSync(envPath, "utf8")) : undefined));
    expect([await fetchToken(env), statSync(envPath).mode & 0o777]).toEqual([200, 0o600]);
    served.child.kill("SIGINT");
    expect(await served.exited).toBe(0);
  });

  it("serves a scenario with the plan and faults given on the command line", async () => {
    const served = serve(["--scenario", fullScenario, "--plan", "business", "--seed", "3", "--fail-rate", "0", "--print-env"]);
    const env = await until("the export lines", () => parseExports(served.stdout()));
    expect(await fetchToken(env)).toBe(200);
    const ledger = await request(`${env.ZOOM_API_URL?.replace(/\/v2$/, "")}/__fake/ledger`);
    expect(((await ledger.body.json()) as { totals: { tokensIssued: number } }).totals.tokensIssued).toBe(1);
    expect(served.stderr()).toMatch(/scenario: .*full\.json \(4 events\); rate limits: Light 80\/s, Medium 60\/s, Heavy 40\/s/);
    served.child.kill("SIGTERM");
    expect(await served.exited).toBe(0);
  });

  it("refuses a port already in use in one line naming it and the fix, with exit 2", async () => {
    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = occupier.address() as AddressInfo;
      const run = await runCli(["fake-zoom", "--port", String(port)]);
      expect([run.code, run.stderr.trim().split("\n")]).toEqual([2, [`zoomreg: --port ${port}: 127.0.0.1:${port} is already in use: stop what listens there or choose another port (--port 0 picks a free one)`]]);
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it("refuses a broken scenario in one line with exit 2", async () => {
    const run = await runCli(["fake-zoom", "--scenario", join(root, "package.json")]);
    expect([run.code, run.stderr.trim().split("\n")]).toEqual([2, [expect.stringMatching(/^zoomreg: scenario .*package\.json: unknown keys? /) as string]]);
  });
});
