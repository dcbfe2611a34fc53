import type { CheckFlags } from "./check-command.js";
import { runCheck, type CredentialsSummary } from "../preflight/check.js";
import { checkJson, renderCheckText } from "../preflight/report.js";
import { systemClock } from "../shared/clock.js";
import type { CliIo } from "./io.js";
import { defaultApiUrl } from "../network/credentials.js";
import { eventFromFlags } from "./event-flags.js";
import { openZoomSession } from "../network/zoom-session.js";
import { describeProxyRoutes, proxyRoutes } from "../network/proxy.js";

/** One request at a time, each given this long: a check is a handful of Light calls. */
const checkTimeoutMs = 30_000;

export async function checkCommand(flags: CheckFlags, io: CliIo, version: string): Promise<number> {
  const event = eventFromFlags(flags);
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
