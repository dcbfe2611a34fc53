import { pino, type Logger } from "pino";
import { describe, expect, it } from "vitest";
import { lazyLogger } from "../../../src/engine/logging.js";

/** A pino logger writing its lines into `lines`, and how many times it was made. */
function counting(level: "info" | "warn"): { create: () => Logger; lines: string[]; made: () => number } {
  const lines: string[] = [];
  let made = 0;
  return {
    lines,
    made: () => made,
    create: () => {
      made += 1;
      return pino({ level, base: null }, { write: (line: string) => void lines.push(line) });
    },
  };
}

describe("lazyLogger", () => {
  it("never makes the logger for lines below its level", () => {
    const real = counting("warn");
    const logger = lazyLogger("warn", real.create);
    logger.info({ rows: 2 }, "listed the event's registrants");
    logger.debug("details");
    expect([real.made(), real.lines, logger.level]).toEqual([0, [], "warn"]);
  });

  it("makes it once, at the first line at its level, and writes every line from then on", () => {
    const real = counting("warn");
    const logger = lazyLogger("warn", real.create);
    logger.warn({ attempt: 1 }, "retrying");
    logger.error("stopping");
    logger.info("quiet");
    expect(real.made()).toBe(1);
    expect(real.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["retrying", "stopping"]);
  });

  it("makes it for anything but a log call, such as a child", () => {
    const real = counting("info");
    const child = lazyLogger("info", real.create).child({ run: 1 });
    child.info("from the child");
    expect([real.made(), JSON.parse(real.lines[0] ?? "{}")]).toEqual([1, { level: 30, run: 1, msg: "from the child", time: expect.any(Number) as number }]);
  });
});
