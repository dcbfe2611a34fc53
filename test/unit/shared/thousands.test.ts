import { describe, expect, it } from "vitest";
import { thousands } from "../../../src/shared/thousands.js";

describe("thousands", () => {
  it.each([0, 7, 999, 1000, 12_345, 1_000_000, 987_654_321, -4200, 1234.5])("writes %d as toLocaleString('en-US') does", (value) => {
    expect(thousands(value)).toBe(value.toLocaleString("en-US", { maximumFractionDigits: 20 }));
  });
});
