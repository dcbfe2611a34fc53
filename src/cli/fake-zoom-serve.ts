// `zoomreg fake-zoom`'s work: the fake and its options. Loaded only when that command runs (see
// fake-zoom-command.ts), so that a push never loads the fake's modules.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  parseLatencySpec,
  parseScenarioText,
  resolveRateLimits,
  startFakeZoom,
  startMswFakeZoom,
  type FakeFaults,
  type RatePlanChoice,
  type RunningFakeZoom,
  type ScenarioOptions,
} from "../fake-zoom/index.js";
import { ConfigError } from "../errors.js";
import { ExitCode } from "../engine/exit-codes.js";
import type { CliIo } from "./io.js";

export interface FakeZoomFlags {
  port: string;
  host: string;
  msw?: boolean;
  scenario?: string;
  plan?: RatePlanChoice;
  seed?: string;
  latency?: string;
  failRate?: string;
  dropRate?: string;
  printEnv?: boolean;
  writeEnv?: string;
}

/** Serves the fake Zoom until the process is signalled, then closes it and exits 0. */
export async function fakeZoomCommand(flags: FakeZoomFlags, io: CliIo): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`--port ${flags.port}: expected a port number from 0 to 65535`, { hint: "use --port 0 to pick a free one" });
  }
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(flags.host)) {
    throw new ConfigError(`--host ${flags.host}: the fake Zoom binds loopback addresses only`, { hint: "use 127.0.0.1 (the default)" });
  }
  const scenarioText = flags.scenario === undefined ? undefined : readScenario(resolve(io.cwd, flags.scenario), flags.scenario);
  const options = fakeZoomOptions(flags, scenarioText);
  const start = flags.msw === true ? startMswFakeZoom : startFakeZoom;
  const server = await start({ ...options, port, host: flags.host }).catch((error: unknown) => {
    throw listenError(error, flags.host, port);
  });
  try {
    const envLines = exportLines(server);
    if (flags.writeEnv !== undefined) writeEnvFile(resolve(io.cwd, flags.writeEnv), envLines);
    const banner = describeServer(server, options, flags.scenario);
    if (flags.printEnv === true) {
      io.stderr.write(banner);
      io.stdout.write(`${envLines.join("\n")}\n`);
    } else {
      io.stdout.write(`${banner}Point zoomreg (or any client) at it:\n${envLines.map((line) => `  ${line}`).join("\n")}\n`);
    }
    await new Promise<void>((resolveWait) => {
      if (io.signal.aborted) resolveWait();
      io.signal.addEventListener("abort", () => resolveWait(), { once: true });
    });
  } finally {
    await server.close();
  }
  return ExitCode.ok;
}

/**
 * The fake's options: the scenario (or the built-in default), then the flags over it. Pure, so the
 * precedence is tested without a server.
 */
export function fakeZoomOptions(flags: Omit<FakeZoomFlags, "port" | "host">, scenarioText: string | undefined): ScenarioOptions {
  const options: ScenarioOptions = scenarioText === undefined ? {} : parseScenarioText(scenarioText, flags.scenario ?? "scenario");
  if (flags.seed !== undefined) {
    const seed = Number(flags.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ConfigError(`--seed ${flags.seed}: expected a whole number from 0 to 4294967295`);
    options.seed = seed;
  }
  if (flags.plan !== undefined) {
    const limits = resolveRateLimits(flags.plan);
    if (limits === undefined) delete options.rateLimits;
    else options.rateLimits = limits;
  }
  const faults: FakeFaults = { ...options.faults };
  if (flags.latency !== undefined) faults.latency = parseLatencySpec(flags.latency);
  if (flags.failRate !== undefined) {
    const rate = shareFlag("--fail-rate", flags.failRate);
    faults.serverErrorRates = { "500": rate / 2, "503": rate / 2 };
  }
  if (flags.dropRate !== undefined) {
    const rate = shareFlag("--drop-rate", flags.dropRate);
    faults.dropRates = { beforeExecuting: rate / 2, afterExecuting: rate / 2 };
  }
  if (Object.keys(faults).length > 0) options.faults = faults;
  return options;
}

/** The lines that point zoomreg at the fake: `export NAME=value`, quoted for a POSIX shell when needed. */
export function exportLines(server: Pick<RunningFakeZoom, "apiUrl" | "oauthUrl" | "fake">): string[] {
  const { accountId, clientId, clientSecret } = server.fake.credentials;
  // These credentials are the fake's, made up and public: printing them is the point.
  const variables: [string, string][] = [
    ["ZOOM_API_URL", server.apiUrl],
    ["ZOOM_OAUTH_URL", server.oauthUrl],
    ["ZOOM_ACCOUNT_ID", accountId],
    ["ZOOM_CLIENT_ID", clientId],
    ["ZOOM_CLIENT_SECRET", clientSecret],
  ];
  return variables.map(([name, value]) => `export ${name}=${shellQuoted(value)}`);
}

/**
 * A port or address the system refuses is the user's to change, not a bug: one line naming it and
 * the fix (exit 2). Anything else goes on as it came.
 */
export function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  switch (code) {
    case "EADDRINUSE":
      return new ConfigError(`--port ${port}: ${address} is already in use`, { cause: error, hint: "stop what listens there or choose another port (--port 0 picks a free one)" });
    case "EACCES":
      return new ConfigError(`--port ${port}: not permitted to listen on ${address} (EACCES)`, {
        cause: error,
        hint: "ports below 1024 need privileges: choose another (--port 0 picks a free one)",
      });
    case "EADDRNOTAVAIL":
      return new ConfigError(`--host ${host}: no such address on this machine (EADDRNOTAVAIL)`, { cause: error, hint: "use 127.0.0.1 (the default)" });
    default:
      return error;
  }
}

function shellQuoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function shareFlag(flag: string, text: string): number {
  const share = Number(text);
  if (text.trim() === "" || !Number.isFinite(share) || share < 0 || share > 1) throw new ConfigError(`${flag} ${text}: expected a share from 0 to 1, e.g. 0.05`);
  return share;
}

function readScenario(path: string, shown: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`--scenario ${shown}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Written whole to a temporary name, then renamed: a `source` that races the write never reads half a file. */
function writeEnvFile(path: string, lines: readonly string[]): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${lines.join("\n")}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  } catch (error) {
    throw new ConfigError(`--write-env ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function describeServer(server: RunningFakeZoom, options: ScenarioOptions, scenarioPath: string | undefined): string {
  const { apiKey, apiSecret } = server.fake.credentials;
  const events = options.events?.length;
  const limits = options.rateLimits;
  const perSecond = limits === undefined ? "none" : Object.entries(limits.perSecond).map(([label, rate]) => `${label} ${rate}/s`).join(", ") || "none per second";
  const faults = describeFaults(options.faults);
  return [
    `fake Zoom listening on ${server.url} (stop with Ctrl-C)`,
    `  scenario: ${scenarioPath ?? "built-in"}${events === undefined ? "" : ` (${events} events)`}; rate limits: ${perSecond}; faults: ${faults}`,
    `  JWT apps: ZOOM_API_KEY=${apiKey} ZOOM_API_SECRET=${apiSecret}`,
    `  ledger: GET ${server.url}/__fake/ledger   reset: POST ${server.url}/__fake/reset   clock: GET|POST ${server.url}/__fake/clock`,
    "",
  ].join("\n");
}

function describeFaults(faults: FakeFaults | undefined): string {
  if (faults === undefined) return "none";
  const percent = (share: number | undefined) => `${Number(((share ?? 0) * 100).toFixed(3))}%`;
  const parts: string[] = [];
  if (faults.latency !== undefined) parts.push(`${faults.latency.distribution} latency`);
  if (faults.serverErrorRates !== undefined) parts.push(`500 ${percent(faults.serverErrorRates["500"])}, 503 ${percent(faults.serverErrorRates["503"])}`);
  if (faults.dropRates !== undefined) parts.push(`drops ${percent(faults.dropRates.beforeExecuting)} before / ${percent(faults.dropRates.afterExecuting)} after executing`);
  if (faults.slow !== undefined) parts.push(`slow ${percent(faults.slow.rate)} (+${faults.slow.delayMs} ms)`);
  return parts.length === 0 ? "none" : parts.join(", ");
}
