import type { Command } from "commander";
import type { CredentialsSummary } from "../preflight/index.js";
import { systemClock } from "../shared/clock.js";
import type { CliIo } from "./io.js";
import { defaultApiUrl } from "../network/credentials.js";
import { eventFromFlags } from "./event-flags.js";
import { loadNetwork } from "../network/load-network.js";
import { describeProxyRoutes, proxyRoutes } from "../network/proxy.js";

export interface CheckFlags {
  meeting?: string;
  webinar?: string;
  json?: boolean;
  /** The push will prune, or read a status column: a missing status scope fails the check. */
  prune?: boolean;
  status?: boolean;
}

/** One request at a time, each given this long: a check is a handful of Light calls. */
const checkTimeoutMs = 30_000;

/** Adds `zoomreg check` to the program; `setExitCode` receives the command's exit code. */
export function registerCheckCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command("check")
    .description("Check the credentials, their scopes, the event and its registration questions before a push; registers nobody.")
    .option("--meeting <id|link>", "the meeting to check: its id, or the link from its invitation")
    .option("--webinar <id|link>", "the webinar to check: its id, or the link from its invitation")
    .option("--prune", "the push will run with --prune: the status scope it needs is checked as required")
    .option("--status", "the push reads a status column: the status scope it needs is checked as required")
    .option("--json", "print the report as one JSON object")
    .addHelpText(
      "after",
      `
Tries each call a push makes, in order: get a token, read the event, read its registration questions,
list its registrants, add and batch-add, change a status, read and delete one registrant. The adds
are sent with an empty body, which Zoom refuses without registering anyone: its answer says whether
the credentials may add (code 4711 names the missing scopes) and whether the event still takes
registrations (registration off, over, missing). The status change names nobody and the read and
delete name an id nobody holds, so nothing changes; their scopes are warnings unless --prune or
--status says the push will change statuses.
The first line says how Zoom is reached: directly, or through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured).

Examples:
  $ zoomreg check --meeting 85746065
  $ zoomreg check --webinar 81234567890 --json | jq .input
  $ zoomreg check --meeting 85746065 --prune

Every call is retried on Zoom's 5xx answers, network failures and per-second 429s before it counts.

Exit codes: 0 ready to push, 2 a problem with the event (the fix is printed), 3 the credentials or their
scopes (the scopes to add are printed), 5 Zoom unreachable or failing through every retry (nothing was
changed: run zoomreg check again later).`,
    )
    .action(async (flags: CheckFlags) => {
      setExitCode(await checkCommand(flags, io, program.version() ?? "0.0.0"));
    });
}

export async function checkCommand(flags: CheckFlags, io: CliIo, version: string): Promise<number> {
  const event = eventFromFlags(flags);
  const { checkJson, openZoomSession, renderCheckText, runCheck } = await loadNetwork();
  const session = openZoomSession(io.env, { connections: 2, timeoutMs: checkTimeoutMs, userAgent: `zoomreg/${version}` });
  try {
    const { credentials } = session;
    // Identifiers only: the client id and the API key name the app; the secrets never leave the session.
    const summary: CredentialsSummary =
      credentials.scheme === "s2s" ? { scheme: "s2s", identity: credentials.clientId } : { scheme: "jwt", identity: credentials.apiKey };
    const changesStatuses = flags.prune === true || flags.status === true;
    const report = await runCheck({ client: session.client, tokens: session.tokens, credentials: summary, clock: systemClock, random: Math.random, signal: io.signal, changesStatuses }, event);
    // The route to Zoom first: behind a proxy, the checks after it pass or fail through it.
    const apiUrl = credentials.apiUrl ?? session.tokens.apiBaseUrl() ?? defaultApiUrl;
    const routes = proxyRoutes(session.proxy, credentials.scheme === "s2s" ? [credentials.oauthUrl, apiUrl] : [apiUrl]);
    const text = flags.json === true ? JSON.stringify({ ...checkJson(report), network: routes }) : [describeProxyRoutes(routes), ...renderCheckText(report, systemClock.now())].join("\n");
    io.stdout.write(`${text}\n`);
    return report.exitCode;
  } finally {
    await session.close();
  }
}
