import { describe, expect, it } from "vitest";
import { DuplicateTracker } from "../../../src/registrant/duplicates.js";

describe("DuplicateTracker", () => {
  it("remembers the first row with an email", () => {
    const tracker = new DuplicateTracker();
    expect(tracker.check("ann@example.com", 2)).toBeUndefined();
  });

  it.each([["ann@example.com"], ["ANN@Example.COM"], ["  ann@example.com\t"]])("points %j back at the first row with that address", (email) => {
    const tracker = new DuplicateTracker();
    tracker.check("ann@example.com", 2);
    expect(tracker.check(email, 9)).toBe(2);
  });

  it("keeps pointing at the first row after several duplicates", () => {
    const tracker = new DuplicateTracker();
    tracker.check("ann@example.com", 2);
    tracker.check("ann@example.com", 5);
    expect(tracker.check("ann@example.com", 9)).toBe(2);
  });

  it("tells different addresses apart", () => {
    const tracker = new DuplicateTracker();
    tracker.check("ann@example.com", 2);
    expect(tracker.check("ann+zoom@example.com", 3)).toBeUndefined();
  });

  it("does not treat blank emails as duplicates of each other", () => {
    const tracker = new DuplicateTracker();
    tracker.check(" ", 2);
    expect(tracker.check("", 3)).toBeUndefined();
  });
});

describe("DuplicateTracker at scale", () => {
  it("tells 200,000 distinct emails apart and finds each one's first line again", () => {
    const tracker = new DuplicateTracker();
    for (let i = 0; i < 200_000; i += 1) expect(tracker.check(`person${i}@example.com`, i + 2)).toBeUndefined();
    for (let i = 0; i < 200_000; i += 997) expect(tracker.check(`PERSON${i}@example.com`, 999_999)).toBe(i + 2);
  });
});
