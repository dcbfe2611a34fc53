import { describe, expect, it } from "vitest";
import { parseMaxPrune, pruneAllowance, type MaxPrune } from "../../../src/push/prune.js";

describe("parseMaxPrune", () => {
  it.each<[string, MaxPrune]>([
    ["25", { count: 25 }],
    ["0", { count: 0 }],
    ["10%", { percent: 10 }],
    [" 2.5% ", { percent: 2.5 }],
  ])("reads %j", (text, expected) => {
    expect(parseMaxPrune(text)).toEqual(expected);
  });

  it.each([["ten"], ["2.5"], ["150%"], ["-3"], [""]])("refuses %j with an example", (text) => {
    expect(() => parseMaxPrune(text)).toThrow(/expected a whole number of registrants or a percent/);
  });
});

describe("pruneAllowance", () => {
  it.each<[MaxPrune, number, number]>([
    [{ count: 25 }, 1000, 25],
    [{ percent: 10 }, 1000, 100],
    [{ percent: 10 }, 12, 5],
    [{ percent: 10 }, 51, 6],
    [{ percent: 50 }, 0, 5],
  ])("allows %j of %i registrants: %i", (maxPrune, registrants, allowed) => {
    expect(pruneAllowance(maxPrune, registrants)).toBe(allowed);
  });
});
