import type { Command } from "commander";
import { defaultFakeCredentials, startFakeZoom, startMswFakeZoom } from "../fake-zoom/index.js";
import { ConfigError } from "../errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export interface FakeZoomFlags {
  port: string;
  host: string;
  msw?: boolean;
}

/** Adds `zoomreg fake-zoom` to the program; `setExitCode` receives the command's exit code. */
export function registerFakeZoomCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command("fake-zoom")
    .description("Serve a fake Zoom API on 127.0.0.1 for demos, tests and your own CI (never talks to Zoom).")
    .option("--port <n>", "port to listen on (0 picks a free one)", "0")
    .option("--host <address>", "loopback address to bind", "127.0.0.1")
    .option("--msw", "serve through the msw request handlers instead of the plain node:http adapter (slower)")
    .addHelpText(
      "after",
      `
Prints the variables that point zoomreg at it, then serves until stopped:
  $ zoomreg fake-zoom --port 9090 &
  $ export ZOOM_API_URL=http://127.0.0.1:9090/v2 ZOOM_OAUTH_URL=http://127.0.0.1:9090/oauth/token \\
      ZOOM_ACCOUNT_ID=fake-account ZOOM_CLIENT_ID=fake-client-id ZOOM_CLIENT_SECRET=fake-client-secret`,
    )
    .action(async (flags: FakeZoomFlags) => {
      setExitCode(await fakeZoomCommand(flags, io));
    });
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
  const start = flags.msw === true ? startMswFakeZoom : startFakeZoom;
  const server = await start({ port, host: flags.host });
  const credentials = defaultFakeCredentials;
  // These credentials are the fake's public defaults, not secrets: printing them is the point.
  io.stdout.write(
    [
      `# fake Zoom listening on ${server.url} (stop with Ctrl-C)`,
      `export ZOOM_API_URL=${server.apiUrl}`,
      `export ZOOM_OAUTH_URL=${server.oauthUrl}`,
      `export ZOOM_ACCOUNT_ID=${credentials.accountId}`,
      `export ZOOM_CLIENT_ID=${credentials.clientId}`,
      `export ZOOM_CLIENT_SECRET=${credentials.clientSecret}`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await server.close();
  return ExitCode.ok;
}
