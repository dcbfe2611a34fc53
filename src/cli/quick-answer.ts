import { topLevelHelp } from "./top-level-help.js";
import { version } from "../version.js";

/**
 * What `zoomreg --version` and `zoomreg --help` alone print, or undefined for anything else. Answered
 * before commander, pino or the process's signal handlers load: each costs a few milliseconds of a
 * start-up that a bare Node takes ~35 ms for (issue 19).
 */
export function quickAnswer(argv: readonly string[], stdout: { isTTY?: boolean; columns?: number }): string | undefined {
  if (argv.length !== 1) return undefined;
  const [only] = argv;
  if (only === "--version" || only === "-V") return `${version}\n`;
  // commander's width: the terminal's columns, else 80.
  if (only === "--help" || only === "-h") return topLevelHelp(stdout.isTTY === true ? stdout.columns : undefined);
  return undefined;
}
