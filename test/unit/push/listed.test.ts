import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListedRegistrants } from "../../../src/push/listed.js";
import { SpillFile } from "../../../src/state/spill-file.js";

const registrant = (id: string, status = "approved") => ({ registrantId: id, joinUrl: `https://zoom.us/w/1?tk=${id}`, status });

describe("ListedRegistrants", () => {
  it.each(["approved", "pending", "denied"])("gives back a %s registration the ledger does not hold, whole", (status) => {
    const listed = new ListedRegistrants();
    listed.set("ann@example.com", registrant("r1", status), false);
    expect(listed.get("ann@example.com")).toEqual(registrant("r1", status));
  });

  it("knows nobody it was not given", () => {
    const listed = new ListedRegistrants();
    listed.set("ann@example.com", registrant("r1"), false);
    expect([listed.has("bob@example.com"), listed.get("bob@example.com")]).toEqual([false, undefined]);
  });

  it("takes the registrant id and join_url of a registration the ledger holds from the ledger's row", () => {
    const listed = new ListedRegistrants();
    listed.set("ann@example.com", registrant("r1", "pending"), true);
    expect(listed.get("ann@example.com", { registrant_id: "r1", join_url: "https://zoom.us/w/1?tk=r1" })).toEqual({ registrantId: "r1", joinUrl: "https://zoom.us/w/1?tk=r1", status: "pending" });
  });

  it("keeps the later of two listings of one person", () => {
    const listed = new ListedRegistrants();
    listed.set("ann@example.com", registrant("r1", "approved"), true);
    listed.set("ann@example.com", registrant("r2", "denied"), false);
    expect([listed.size, listed.get("ann@example.com")]).toEqual([1, registrant("r2", "denied")]);
  });

  it("keeps the registrations the ledger does not hold in the spill file it is given", () => {
    const spill = SpillFile.open(join(mkdtempSync(join(tmpdir(), "zoomreg-listed-")), "state.ndjson"));
    const listed = new ListedRegistrants(spill);
    for (let i = 0; i < 1_000; i += 1) listed.set(`p${i}@example.com`, registrant(`r${i}`), false);
    const got = [listed.get("p0@example.com"), listed.get("p999@example.com")];
    spill.close();
    expect(got).toEqual([registrant("r0"), registrant("r999")]);
  });

  it("holds 200,000 people and finds each again", () => {
    const listed = new ListedRegistrants();
    for (let i = 0; i < 200_000; i += 1) listed.set(`p${i}@example.com`, registrant(`r${i}`), i % 2 === 0);
    const wrong = [];
    for (let i = 0; i < 200_000; i += 1) {
      const got = listed.get(`p${i}@example.com`, { registrant_id: `r${i}`, join_url: "u" });
      if (got?.registrantId !== `r${i}` || got.joinUrl !== (i % 2 === 0 ? "u" : `https://zoom.us/w/1?tk=r${i}`)) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });
});
