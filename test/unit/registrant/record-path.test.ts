import { describe, expect, it } from "vitest";
import { columnPaths, lookupPath, pathHeads, valueAt } from "../../../src/registrant/record-path.js";

const nested = {
  contact: { email: "ann@example.com", phone: { mobile: "+1 555 0100" } },
  name: { given: "Ann", family: "Lee" },
  tags: ["vip", "speaker"],
};

describe("lookupPath", () => {
  it.each([
    { path: "contact.email", record: { contact: { email: "a@x.io" } }, value: "a@x.io" },
    { path: "contact.phone.mobile", record: nested, value: "+1 555 0100" },
    { path: "name.given", record: nested, value: "Ann" },
    { path: "tags.1", record: nested, value: "speaker" },
    { path: "E-mail", record: { "E-mail": "b@x.io" }, value: "b@x.io" },
    { path: "a.b.c", record: { "a.b": { c: 1 } }, value: 1 },
    { path: "a.b.c", record: { a: { "b.c": 2 } }, value: 2 },
    { path: "blank", record: { blank: null }, value: null },
  ])("finds $path in $record", ({ path, record, value }) => {
    expect(lookupPath(record, path)).toEqual({ found: true, value });
  });

  it.each([
    { path: "contact.fax", record: nested },
    { path: "contact.email.domain", record: { contact: { email: "a@x.io" } } },
    { path: "missing", record: {} },
    { path: "toString", record: {} },
    { path: "contact.constructor", record: { contact: {} } },
    { path: "a..b", record: { a: { b: 1 } } },
  ])("does not find $path in $record", ({ path, record }) => {
    expect(lookupPath(record, path)).toEqual({ found: false });
  });

  it("prefers a key that holds the dots as written over a nested path", () => {
    expect(lookupPath({ "contact.email": "literal@x.io", contact: { email: "nested@x.io" } }, "contact.email")).toEqual({ found: true, value: "literal@x.io" });
  });

  it("prefers the longest key that exists when several prefixes do", () => {
    expect(lookupPath({ a: { "b.c": "short head" }, "a.b": { c: "long head" } }, "a.b.c")).toEqual({ found: true, value: "long head" });
  });

  it("falls back to a shorter key when the longer one does not lead to the value", () => {
    expect(lookupPath({ "a.b": { d: 1 }, a: { b: { c: "found" } } }, "a.b.c")).toEqual({ found: true, value: "found" });
  });
});

describe("valueAt", () => {
  it("reads a flat column", () => {
    expect(valueAt({ "Given Name": "Ann" }, "Given Name")).toBe("Ann");
  });

  it("reads a nested field through a dotted path", () => {
    expect(valueAt(nested, "name.family")).toBe("Lee");
  });

  it("gives undefined for a path that leads nowhere", () => {
    expect(valueAt(nested, "name.middle")).toBeUndefined();
  });
});

describe("pathHeads", () => {
  it.each([
    ["email", []],
    ["contact.email", ["contact"]],
    ["a.b.c", ["a.b", "a"]],
    [".hidden", []],
  ])("gives the heads of %j longest first", (path, heads) => {
    expect(pathHeads(path)).toEqual(heads);
  });
});

describe("columnPaths", () => {
  it("lists nested fields as dotted paths and arrays as one entry", () => {
    expect(columnPaths(nested)).toEqual(["contact.email", "contact.phone.mobile", "name.given", "name.family", "tags"]);
  });

  it("lists a flat record's columns as they are", () => {
    expect(columnPaths({ "E-mail": "", "Given Name": "" })).toEqual(["E-mail", "Given Name"]);
  });

  it("stops at the limit", () => {
    expect(columnPaths({ a: 1, b: 2, c: 3 }, 2)).toEqual(["a", "b"]);
  });

  it("lists an empty object as a column of its own", () => {
    expect(columnPaths({ meta: {} })).toEqual(["meta"]);
  });
});
