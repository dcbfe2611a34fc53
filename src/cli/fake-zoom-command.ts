import { Option, type Command } from "commander";
import type { CliIo } from "./io.js";
import type { FakeZoomFlags } from "./fake-zoom-serve.js";

/** `zoomreg fake-zoom`'s arguments, options and help; `setExitCode` receives the command's exit code. */
export function defineFakeZoomCommand(command: Command, io: CliIo, setExitCode: (code: number) => void): void {
  command
    .option("--port <n>", "port to listen on (0 picks a free one)", "0")
    .option("--host <address>", "loopback address to bind", "127.0.0.1")
    .option("--scenario <file>", "events, apps and scopes, rate limits, faults, seed: a JSON scenario (see docs/fake-zoom.md)")
    .addOption(new Option("--plan <plan>", "enforce Zoom's rate limits of this plan (overrides the scenario's)").choices(["pro", "business", "none"]))
    .option("--seed <n>", "seed of every id, token and fault draw (same seed, same requests: same answers)")
    .option("--latency <spec>", "latency of each answer: uniform:MIN-MAX, normal:MEAN,STDDEV or lognormal:MEDIAN,SIGMA (ms)")
    .option("--fail-rate <share>", "share of /v2 requests answered 500 or 503 without executing (half each), 0..1")
    .option("--drop-rate <share>", "share of /v2 connections dropped unanswered, half before and half after executing, 0..1")
    .option("--print-env", "print only the `export ZOOM_...` lines on stdout (the rest goes to stderr), then serve")
    // Not `--env-file`: Node 20 takes any argument starting with it for its own flag, even after the
    // script name (github.com/nodejs/node/issues/54232), and exits before zoomreg starts.
    .option("--write-env <path>", "also write the `export ZOOM_...` lines to <path> (atomically, mode 0600), then serve")
    .option("--msw", "serve through the msw request handlers instead of the plain node:http adapter (slower)")
    .addHelpText(
      "after",
      `
Serves until SIGINT/SIGTERM, then exits 0. In CI, start it in the background and source the variables:
  $ zoomreg fake-zoom --port 9090 --plan pro --write-env fake.env &
  $ until [ -s fake.env ]; do sleep 0.1; done; . ./fake.env
  $ zoomreg push people.csv --meeting 85746065
  $ curl -s http://127.0.0.1:9090/__fake/ledger       # what it received (also /__fake/reset, /__fake/clock)`,
    )
    .action(async (flags: FakeZoomFlags) => {
      const { fakeZoomCommand } = await import("./fake-zoom-serve.js");
      setExitCode(await fakeZoomCommand(flags, io));
    });
}

