import type { TokenFlags } from "./token-command.js";
// bearer-token.ts itself, not preflight's index: that would load the HTTP client at start-up.
import { decodeBearerToken, relativeTime, tokenInfoOf, type DecodedToken, type TokenInfo } from "../preflight/bearer-token.js";
import { systemClock } from "../shared/clock.js";
import { retryRead } from "../preflight/read-retry.js";
import type { Credentials } from "../network/credentials.js";
import { ExitCode } from "../engine/exit-codes.js";
import type { CliIo } from "./io.js";
import { openZoomSession } from "../network/zoom-session.js";

const tokenTimeoutMs = 30_000;

export async function tokenCommand(flags: TokenFlags, io: CliIo, version: string): Promise<number> {
  const session = openZoomSession(io.env, { connections: 1, timeoutMs: tokenTimeoutMs, userAgent: `zoomreg/${version}` });
  try {
    // Retried like every read: a 5xx, a network failure or a per-second 429 of the token endpoint is tried
    // again, and Zoom failing through every retry ends in exit 5.
    const token = await retryRead(() => session.tokens.getToken(io.signal), { clock: systemClock, random: Math.random, signal: io.signal });
    const info = tokenInfoOf(session.tokens);
    const decoded = decodeBearerToken(token);
    const expiresAtMs = info?.expiresAtMs ?? (decoded.format === "jwt" ? decoded.expiresAtMs : undefined);
    const nowMs = systemClock.now();
    if (flags.decode === true) {
      const described = flags.json === true ? JSON.stringify(decodedJson(session.credentials, decoded, info, expiresAtMs)) : decodedText(session.credentials, decoded, info, expiresAtMs, nowMs).join("\n");
      // The claims never hold the signing secret; this keeps it so should a token ever echo it.
      io.stdout.write(`${withoutSecrets(described, session.credentials)}\n`);
      return ExitCode.ok;
    }
    if (flags.json === true) {
      io.stdout.write(
        `${JSON.stringify({ access_token: token, token_type: "bearer", scheme: session.credentials.scheme, expires_at: expiresAtMs === undefined ? null : new Date(expiresAtMs).toISOString() })}\n`,
      );
    } else {
      io.stdout.write(`${token}\n`);
      // Only to a person at a terminal: `$(zoomreg token)` and pipes get the token alone.
      if (io.stdout.isTTY === true) {
        const until = expiresAtMs === undefined ? "until it expires" : `until ${new Date(expiresAtMs).toISOString()} (${relativeTime(expiresAtMs, nowMs)})`;
        io.stderr.write(`zoomreg: this token opens the account's API ${until}; keep it out of logs and shell history\n`);
      }
    }
    return ExitCode.ok;
  } finally {
    await session.close();
  }
}

function schemeLine(credentials: Credentials): string {
  return credentials.scheme === "s2s" ? `Server-to-Server OAuth app ${credentials.clientId}` : `JWT app, API key ${credentials.apiKey} (Zoom retired JWT apps on 2023-09-08)`;
}

/** Seconds-since-epoch claims, shown with their time as well. */
const timeClaims: ReadonlySet<string> = new Set(["exp", "iat", "nbf", "auth_time"]);

export function decodedText(credentials: Credentials, decoded: DecodedToken, info: TokenInfo | undefined, expiresAtMs: number | undefined, nowMs: number): string[] {
  const lines = [`scheme: ${schemeLine(credentials)}`];
  if (decoded.format === "jwt") {
    lines.push(`format: JWT, header ${JSON.stringify(decoded.header)}; the signature is not shown`, "claims:");
    for (const [name, value] of Object.entries(decoded.claims)) {
      const time = timeClaims.has(name) && typeof value === "number" ? ` (${new Date(value * 1000).toISOString()})` : "";
      lines.push(`  ${name}: ${typeof value === "string" ? value : JSON.stringify(value)}${time}`);
    }
  } else {
    lines.push(`format: opaque (${decoded.length} characters, not a JWT): it carries nothing readable; what is known comes from the token endpoint`);
  }
  lines.push(
    expiresAtMs === undefined
      ? "expires: not known (the token endpoint's expires_in is not kept by this version)"
      : `expires: ${new Date(expiresAtMs).toISOString()} (${relativeTime(expiresAtMs, nowMs)})`,
  );
  if (info?.scopes !== undefined) lines.push(`scopes: ${info.scopes.length === 0 ? "none" : info.scopes.join(" ")}`);
  return lines;
}

export function decodedJson(credentials: Credentials, decoded: DecodedToken, info: TokenInfo | undefined, expiresAtMs: number | undefined): Record<string, unknown> {
  return {
    scheme: credentials.scheme,
    identity: credentials.scheme === "s2s" ? credentials.clientId : credentials.apiKey,
    format: decoded.format,
    ...(decoded.format === "jwt" ? { header: decoded.header, claims: decoded.claims } : { length: decoded.length }),
    expiresAt: expiresAtMs === undefined ? null : new Date(expiresAtMs).toISOString(),
    scopes: info?.scopes ?? null,
  };
}

function withoutSecrets(text: string, credentials: Credentials): string {
  const secret = credentials.scheme === "s2s" ? credentials.clientSecret : credentials.apiSecret;
  return secret === "" ? text : text.split(secret).join("[redacted]");
}
