import type { Command } from "commander";
import type { CliIo } from "./io.js";

export interface TokenFlags {
  decode?: boolean;
  json?: boolean;
}

/** `zoomreg token`'s arguments, options and help; `setExitCode` receives the command's exit code. */
export function defineTokenCommand(command: Command, io: CliIo, setExitCode: (code: number) => void): void {
  command
    .option("--decode", "print the token's header, claims and expiry instead of the token (never the token or its signature)")
    .option("--json", "print as one JSON object")
    .addHelpText(
      "after",
      `
This is a bearer token for Zoom's REST API, from the Server-to-Server OAuth app (or legacy JWT app) in
ZOOM_* or .env, sent as "Authorization: Bearer <token>". It is not a Meeting SDK signature: that is an
HS256 JWT carrying sdkKey, mn, role and tokenExp, signed with a Meeting SDK app's secret, which lets the
Web or Meeting SDK join a meeting and which the REST API never accepts.

Examples:
  $ curl -H "Authorization: Bearer $(zoomreg token)" "\${ZOOM_API_URL:-https://api.zoom.us/v2}/meetings/85746065"
  $ zoomreg token --decode

The token opens your account's API until it expires: keep it out of logs, tickets and shell history.`,
    )
    .action(async (flags: TokenFlags) => {
      // Loaded when the command runs: `zoomreg --help` and the other commands never pay for it.
      const { tokenCommand } = await import("./token-action.js");
      setExitCode(await tokenCommand(flags, io, command.parent?.version() ?? "0.0.0"));
    });
}
