import { describe, expect, it } from "vitest";
import { defaultLogLevel } from "../../../src/cli/logger.js";

describe("defaultLogLevel", () => {
  it.each([
    ["nothing asked, on a terminal", undefined, false, true, "info"],
    ["nothing asked, off a terminal (cron, CI)", undefined, false, false, "warn"],
    ["-q on a terminal", undefined, true, true, "warn"],
    ["--log-level info off a terminal", "info", false, false, "info"],
    ["--log-level debug with -q", "debug", true, true, "debug"],
    ["--log-level silent on a terminal", "silent", false, true, "silent"],
  ] as const)("logs at the level for %s", (_label, asked, quiet, terminal, expected) => {
    expect(defaultLogLevel(asked, { quiet, terminal })).toBe(expected);
  });
});
