import { describe, expect, it } from "vitest";
import { LeadingLineSkipper } from "../../../src/input/skip-lines.js";

describe("LeadingLineSkipper", () => {
  /** What is left after skipping, the text fed in pieces of `size` bytes. */
  function skip(text: string, count: number, size: number): { rest: string; first: string; done: boolean } {
    const skipper = new LeadingLineSkipper(count);
    const bytes = Buffer.from(text);
    const rest: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) {
      const piece = bytes.subarray(at, at + size);
      rest.push(skipper.done ? piece : skipper.push(piece));
    }
    return { rest: Buffer.concat(rest).toString(), first: skipper.first(), done: skipper.done };
  }

  it.each([
    { name: "one line", text: "Report: attendees\nemail,first_name\n", count: 1, rest: "email,first_name\n", first: "Report: attendees" },
    { name: "three lines with CRLF", text: "Attendees\r\nFilter: all\r\n\r\nemail\r\n", count: 3, rest: "email\r\n", first: "Attendees" },
    { name: "nothing", text: "email\n", count: 0, rest: "email\n", first: "" },
    { name: "a first line in UTF-8", text: "Teilnehmer: Zoë\nemail\n", count: 1, rest: "email\n", first: "Teilnehmer: Zoë" },
  ])("skips $name", ({ text, count, rest, first }) => {
    for (const size of [1, 2, 5, 1 << 20]) expect(skip(text, count, size), `pieces of ${size}`).toEqual({ rest, first, done: true });
  });

  it("skips everything of a file shorter than the lines asked for, and is not done", () => {
    expect(skip("only\n", 3, 2)).toEqual({ rest: "", first: "only", done: false });
  });

  it("keeps only the start of a very long first line", () => {
    expect(skip(`${"x".repeat(5000)}\nemail\n`, 1, 64).first).toBe("x".repeat(200));
  });
});
