import { describe, expect, it } from "vitest";
import { HashIndex, fnv1a64, withLength } from "../../../src/shared/hash-index.js";

const keys = (count: number, prefix = "person"): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}@example.com`);

describe("HashIndex", () => {
  it("finds nothing in an empty index", () => {
    expect(new HashIndex().find("ann@example.com")).toBe(-1);
  });

  it("numbers keys densely from 0 in the order they are added", () => {
    const index = new HashIndex();
    expect(keys(3).map((key) => index.add(key))).toEqual([0, 1, 2]);
  });

  it("gives a key already held its own entry again", () => {
    const index = new HashIndex();
    index.add("ann@example.com");
    index.add("bob@example.com");
    expect(index.add("ann@example.com")).toBe(0);
    expect(index.size).toBe(2);
  });

  it("tells the owner about each new entry, and only new ones", () => {
    const seen: number[] = [];
    const index = new HashIndex((entry) => seen.push(entry));
    for (const key of ["a", "b", "a", "c"]) index.add(key);
    expect(seen).toEqual([0, 1, 2]);
  });

  it("forgets a deleted key and hands its entry out again", () => {
    const index = new HashIndex();
    for (const key of keys(3)) index.add(key);
    index.delete("person1@example.com");
    expect(index.find("person1@example.com")).toBe(-1);
    expect(index.add("new@example.com")).toBe(1);
  });

  it("ignores the deletion of a key it does not hold", () => {
    const index = new HashIndex();
    index.add("ann@example.com");
    index.delete("bob@example.com");
    expect(index.size).toBe(1);
  });

  it("still finds every other key after deleting every third of 200,000 (probe runs stay intact)", () => {
    const index = new HashIndex();
    const all = keys(200_000);
    for (const key of all) index.add(key);
    all.forEach((key, i) => i % 3 === 0 && index.delete(key));
    const found = all.map((key, i) => (i % 3 === 0 ? index.find(key) === -1 : index.find(key) === i));
    expect(found.every(Boolean)).toBe(true);
    expect(index.size).toBe(200_000 - Math.ceil(200_000 / 3));
  });

  it("lists every entry it holds", () => {
    const index = new HashIndex();
    for (const key of keys(5000)) index.add(key);
    index.delete("person7@example.com");
    const entries = [...index.entries()].sort((a, b) => a - b);
    expect(entries).toHaveLength(4999);
    expect(entries).not.toContain(7);
  });
});

describe("withLength", () => {
  it.each([
    ["keeps a column long enough as it is", 4, 3, 4],
    ["at least doubles a column too short", 4, 5, 8],
    ["grows to the length asked when that is more than double", 4, 20, 20],
  ])("%s", (_name, length, asked, expected) => {
    const column = Float64Array.of(...Array.from({ length }, (_, i) => i + 0.5));
    const grown = withLength(column, asked);
    expect(grown).toBeInstanceOf(Float64Array);
    expect(grown.length).toBe(expected);
    expect([...grown.subarray(0, length)]).toEqual([...column]);
  });
});

describe("fnv1a64", () => {
  it.each([
    ["", [0xcbf29ce4, 0x84222325]],
    ["a", [0xaf63dc4c, 0x8601ec8c]],
    ["foobar", [0x85944171, 0xf73967e8]],
  ] as const)("hashes %j to Fowler-Noll-Vo's published value", (text, expected) => {
    expect(fnv1a64(text)).toEqual(expected);
  });
});
