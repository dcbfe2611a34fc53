import { describe, expect, it } from "vitest";
import { eventConcurrency, minEventConcurrency } from "../../../src/engine/run-events.js";

/** Each event's share of --concurrency in a run of many (issue 20): the read-ahead is shared as the limits are. */
describe("eventConcurrency", () => {
  it.each([
    [32, 1, 32],
    [32, 2, 16],
    [32, 3, 11],
    [32, 8, 4],
    [32, 20, minEventConcurrency],
    [32, 0, 32],
    [2, 20, 2],
    [256, 20, 13],
  ])("gives each of the events pushing a share of --concurrency %i: %i events pushing, %i each", (concurrency, pushing, expected) => {
    expect(eventConcurrency(concurrency, pushing)).toBe(expected);
  });
});
