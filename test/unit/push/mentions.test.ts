import { describe, expect, it } from "vitest";
import { Mentions, emailsIn } from "../../../src/push/mentions.js";

describe("emailsIn", () => {
  it.each<[string, string[]]>([
    ["ann@example.org", ["ann@example.org"]],
    ["mailto:Ann@Example.org", ["ann@example.org"]],
    ["Ann Lee <ann@example.org>", ["ann@example.org"]],
    ['"ann@example.org"', ["ann@example.org"]],
    ["ann@example.org.", ["ann@example.org"]],
    ["ann@example.org; bob@example.org", ["ann@example.org", "bob@example.org"]],
    ["no address here", []],
  ])("finds in %j: %j", (text, emails) => {
    expect(emailsIn(text)).toEqual(emails);
  });
});

describe("Mentions", () => {
  it("spares everyone an invalid row names, in any cell or in the text that did not parse", () => {
    const mentions = new Mentions();
    mentions.addAllIn({ position: 3, fields: { email: "mailto:ann@example.org", notes: "cc Bob <bob@example.org>" } });
    mentions.addAllIn({ position: 4, fields: {}, parseError: "not valid JSON", unparsed: '{"email": "cat@example.org",' });
    mentions.addAllIn({ position: 5, fields: { contact: { email: "Dee@Example.org" } } });
    expect(["ann@example.org", "bob@example.org", "cat@example.org", "dee@example.org"].map((email) => mentions.has(email))).toEqual([true, true, true, true]);
    expect(mentions.has("eve@example.org")).toBe(false);
  });
});
