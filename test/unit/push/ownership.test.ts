import { describe, expect, it } from "vitest";
import type { OutputRow } from "../../../src/output/index.js";
import { ownedBy, ownedRegistration } from "../../../src/push/ownership.js";
import { countOwnedOnEvent, pruneCandidates } from "../../../src/push/prune.js";
import { itemRow } from "../../../src/push/rows.js";
import type { DoneLine } from "../../../src/state/index.js";

const line = (email: string, status: OutputRow["status"], registrantId: string, owned?: string): DoneLine<OutputRow> => ({
  t: "done",
  email,
  atMs: 0,
  final: true,
  bodyHash: "h",
  ...(owned === undefined ? {} : { owned }),
  row: itemRow({ line: 2, body: { email, first_name: "P" } }, status, { registrant_id: registrantId }),
});

describe("ownedRegistration: what zoomreg added itself", () => {
  it.each<[string, DoneLine<OutputRow>, string | undefined]>([
    ["an add of this version, recorded as owned", line("a@x.org", "registered", "r1", "r1"), "r1"],
    ["an approval of an owned registration", line("a@x.org", "approved", "r1", "r1"), "r1"],
    ["a cancellation of an owned registration", line("a@x.org", "cancelled", "r1", "r1"), "r1"],
    ["an approval of someone else's registration", line("a@x.org", "approved", "r1", ""), undefined],
    ["a registration found on Zoom's list", line("a@x.org", "existing", "r1", ""), undefined],
    ["an old state file's registered row", line("a@x.org", "registered", "r1"), "r1"],
    ["an old state file's pending row", line("a@x.org", "pending_approval", "r1"), "r1"],
    ["an old state file's approval, which it cannot tell", line("a@x.org", "approved", "r1"), undefined],
    ["an old state file's existing row", line("a@x.org", "existing", "r1"), undefined],
    ["an old state file's failed row", line("a@x.org", "failed", ""), undefined],
  ])("for %s: %s", (_what, done, owned) => {
    expect(ownedRegistration(done)).toBe(owned);
  });
});

describe("ownedBy: what a new outcome says", () => {
  it.each<[string, string, string | undefined, boolean, string]>([
    ["zoomreg's add made it", "r2", undefined, true, "r2"],
    ["it is the registration zoomreg owned", "r1", "r1", false, "r1"],
    ["it is another registration than zoomreg's", "r9", "r1", false, ""],
    ["it was only found or approved", "r1", undefined, false, ""],
    ["there is no registration", "", "r1", true, ""],
  ])("when %s: %j", (_what, registrantId, owns, added, owned) => {
    expect(ownedBy({ registrant_id: registrantId }, owns, added)).toBe(owned);
  });
});

describe("what the prune guard counts and cancels", () => {
  const earlier = [
    line("ours@x.org", "registered", "r-ours", "r-ours"),
    line("ours-approved@x.org", "approved", "r-oa", "r-oa"),
    line("approved-only@x.org", "approved", "r-ao", ""),
    line("found@x.org", "existing", "r-found", ""),
    line("ours-denied@x.org", "registered", "r-od", "r-od"),
    line("ours-replaced@x.org", "registered", "r-old", "r-old"),
    line("ours-gone@x.org", "registered", "r-gone", "r-gone"),
    line("legacy@x.org", "pending_approval", "r-legacy"),
  ];
  const listed = new Map([
    ["ours@x.org", { registrantId: "r-ours", joinUrl: "", status: "approved" }],
    ["ours-approved@x.org", { registrantId: "r-oa", joinUrl: "", status: "approved" }],
    ["approved-only@x.org", { registrantId: "r-ao", joinUrl: "", status: "approved" }],
    ["found@x.org", { registrantId: "r-found", joinUrl: "", status: "approved" }],
    ["ours-denied@x.org", { registrantId: "r-od", joinUrl: "", status: "denied" }],
    ["ours-replaced@x.org", { registrantId: "r-new", joinUrl: "", status: "approved" }],
    ["legacy@x.org", { registrantId: "r-legacy", joinUrl: "", status: "pending" }],
  ]);

  it("counts zoomreg's own registrations that Zoom lists as approved or pending, whatever else the state file holds", () => {
    expect(countOwnedOnEvent(earlier, listed)).toBe(3);
  });

  it("cancels only those, less whoever the input names, in order of email", () => {
    expect(pruneCandidates(earlier, listed, (email) => email === "ours@x.org").map((candidate) => [candidate.email, candidate.registrantId])).toEqual([
      ["legacy@x.org", "r-legacy"],
      ["ours-approved@x.org", "r-oa"],
    ]);
  });
});
