import { isUtf8 } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  detectEncoding,
  firstInvalidUtf8,
  incompleteUtf8Tail,
  isGzip,
  looksLikeUtf8,
  parseEncodingName,
  utf16FromNulPattern,
} from "../../../src/input/sniff.js";
import type { EncodingRequest, EncodingVerdict } from "../../../src/input/sniff.js";

const bytes = (...values: number[]): Buffer => Buffer.from(values);
const utf16be = (text: string): Buffer => Buffer.from(text, "utf16le").swap16();
const BOM_UTF8 = bytes(0xef, 0xbb, 0xbf);
const BOM_LE = bytes(0xff, 0xfe);
const BOM_BE = bytes(0xfe, 0xff);
const csv = "email,first_name\nrene@example.com,Renée\n";

describe("isGzip", () => {
  it.each([
    { name: "gzip's magic number", head: bytes(0x1f, 0x8b, 0x08), gzip: true },
    { name: "text", head: Buffer.from("email\n"), gzip: false },
    { name: "a lone first magic byte", head: bytes(0x1f), gzip: false },
    { name: "nothing", head: bytes(), gzip: false },
  ])("tells $name", ({ head, gzip }) => {
    expect(isGzip(head)).toBe(gzip);
  });
});

describe("parseEncodingName", () => {
  it.each([
    ["auto", "auto"],
    ["utf8", "utf8"],
    ["UTF-8", "utf8"],
    ["utf-16le", "utf16le"],
    ["UTF_16BE", "utf16be"],
    ["latin1", "windows1252"],
    ["ISO-8859-1", "windows1252"],
    ["windows-1252", "windows1252"],
    ["cp1252", "windows1252"],
    ["utf16", undefined],
    ["ebcdic", undefined],
    ["constructor", undefined],
  ])("reads %s as %s", (name, request) => {
    expect(parseEncodingName(name)).toBe(request);
  });
});

describe("firstInvalidUtf8", () => {
  it.each([
    { name: "ASCII", input: Buffer.from("abc"), complete: true, offset: -1 },
    { name: "two-, three- and four-byte characters", input: Buffer.from("é€😀"), complete: true, offset: -1 },
    { name: "a Windows-1252 é", input: bytes(0x52, 0x65, 0x6e, 0xe9, 0x65), complete: true, offset: 3 },
    { name: "a lone continuation byte", input: bytes(0x61, 0x80), complete: true, offset: 1 },
    { name: "an overlong slash (C0 AF)", input: bytes(0xc0, 0xaf), complete: true, offset: 0 },
    { name: "an overlong three-byte form (E0 80 80)", input: bytes(0xe0, 0x80, 0x80), complete: true, offset: 0 },
    { name: "a surrogate (ED A0 80)", input: bytes(0xed, 0xa0, 0x80), complete: true, offset: 0 },
    { name: "a code point above U+10FFFF (F4 90 80 80)", input: bytes(0xf4, 0x90, 0x80, 0x80), complete: true, offset: 0 },
    { name: "a lead byte F5", input: bytes(0x61, 0xf5), complete: true, offset: 1 },
    { name: "a character cut off at the end of the whole input", input: bytes(0x61, 0xe2, 0x82), complete: true, offset: 1 },
    { name: "a character cut off at the end of a prefix", input: bytes(0x61, 0xe2, 0x82), complete: false, offset: -1 },
    { name: "a bad second byte even in a prefix", input: bytes(0x61, 0xe2, 0x41), complete: false, offset: 1 },
  ])("finds $name at $offset", ({ input, complete, offset }) => {
    expect(firstInvalidUtf8(input, complete)).toBe(offset);
  });

  it("agrees with Node's native isUtf8 on every two-byte sequence after a lead byte", () => {
    // Every lead byte 0x80-0xFF followed by every second byte, plus a valid continuation to fill out
    // three- and four-byte forms: the ranges in RFC 3629's table, checked against V8's implementation.
    for (let lead = 0x80; lead <= 0xff; lead++) {
      for (let second = 0; second <= 0xff; second++) {
        const sample = bytes(lead, second, 0x80, 0x80);
        expect(firstInvalidUtf8(sample, true) === -1, `${lead.toString(16)} ${second.toString(16)}`).toBe(isUtf8(sample));
      }
    }
  });
});

describe("incompleteUtf8Tail", () => {
  it.each([
    { name: "ASCII", input: Buffer.from("ab"), tail: 0 },
    { name: "a whole é", input: Buffer.from("aé"), tail: 0 },
    { name: "the first byte of é", input: bytes(0x61, 0xc3), tail: 1 },
    { name: "two of the three bytes of €", input: bytes(0x61, 0xe2, 0x82), tail: 2 },
    { name: "three of the four bytes of 😀", input: bytes(0xf0, 0x9f, 0x98), tail: 3 },
    { name: "a whole 😀", input: Buffer.from("😀"), tail: 0 },
    { name: "an invalid lead byte, left for the check to catch", input: bytes(0x61, 0xff), tail: 0 },
    { name: "nothing", input: bytes(), tail: 0 },
  ])("holds back $tail bytes of $name", ({ input, tail }) => {
    expect(incompleteUtf8Tail(input)).toBe(tail);
  });
});

describe("looksLikeUtf8", () => {
  it.each([
    { name: "UTF-8 with an accent", input: Buffer.from("Renée"), looks: true },
    { name: "pure ASCII, which reads the same either way", input: Buffer.from("Rene"), looks: false },
    { name: "Windows-1252 with an accent", input: Buffer.from("Renée", "latin1"), looks: false },
  ])("says $looks of $name", ({ input, looks }) => {
    expect(looksLikeUtf8(input, true)).toBe(looks);
  });
});

describe("utf16FromNulPattern", () => {
  it.each([
    { name: "BOM-less UTF-16LE", input: Buffer.from(csv, "utf16le"), found: "utf16le" },
    { name: "BOM-less UTF-16BE", input: utf16be(csv), found: "utf16be" },
    { name: "UTF-16LE holding an Ā (a NUL in the other lane)", input: Buffer.from("name\nĀdam,Smith\nBob,Jones\n", "utf16le"), found: "utf16le" },
    { name: "Cyrillic UTF-16LE with ASCII punctuation", input: Buffer.from("имя,фамилия\nИван,Петров\n", "utf16le"), found: "utf16le" },
    { name: "UTF-8", input: Buffer.from(csv), found: undefined },
    { name: "NULs in both lanes (binary)", input: bytes(0, 0, 1, 0, 0, 2, 0, 0), found: undefined },
    { name: "a single byte", input: bytes(0x61), found: undefined },
  ])("finds $found in $name", ({ input, found }) => {
    expect(utf16FromNulPattern(input)).toBe(found);
  });
});

describe("detectEncoding", () => {
  const text = (encoding: string, bomBytes: number, basis: string): EncodingVerdict => ({ kind: "text", encoding, bomBytes, basis }) as EncodingVerdict;

  it.each<{ name: string; head: Buffer; requested?: EncodingRequest; verdict: EncodingVerdict }>([
    { name: "UTF-8 with a BOM", head: Buffer.concat([BOM_UTF8, Buffer.from(csv)]), verdict: text("utf8", 3, "byte order mark") },
    { name: "UTF-16LE with a BOM", head: Buffer.concat([BOM_LE, Buffer.from(csv, "utf16le")]), verdict: text("utf16le", 2, "byte order mark") },
    { name: "UTF-16BE with a BOM", head: Buffer.concat([BOM_BE, utf16be(csv)]), verdict: text("utf16be", 2, "byte order mark") },
    { name: "UTF-16LE without a BOM", head: Buffer.from(csv, "utf16le"), verdict: text("utf16le", 0, "NUL pattern") },
    { name: "UTF-16BE without a BOM", head: utf16be(csv), verdict: text("utf16be", 0, "NUL pattern") },
    { name: "UTF-8 without a BOM", head: Buffer.from(csv), verdict: text("utf8", 0, "valid UTF-8") },
    { name: "an empty input", head: bytes(), verdict: text("utf8", 0, "valid UTF-8") },
    { name: "Windows-1252", head: Buffer.from(csv, "latin1"), verdict: { kind: "not-utf8", offset: csv.indexOf("é") } },
    { name: "Windows-1252 asked for", head: Buffer.from(csv, "latin1"), requested: "windows1252", verdict: text("windows1252", 0, "--encoding") },
    { name: "UTF-16LE asked for without a BOM", head: Buffer.from(csv, "utf16le"), requested: "utf16le", verdict: text("utf16le", 0, "--encoding") },
    { name: "UTF-16LE asked for with its BOM", head: Buffer.concat([BOM_LE, Buffer.from(csv, "utf16le")]), requested: "utf16le", verdict: text("utf16le", 2, "--encoding") },
    { name: "UTF-8 asked for of bytes that are not (the decoder refuses them)", head: Buffer.from(csv, "latin1"), requested: "utf8", verdict: text("utf8", 0, "--encoding") },
  ])("reads $name", ({ head, requested, verdict }) => {
    expect(detectEncoding(head, requested ?? "auto", true)).toEqual(verdict);
  });

  it.each<{ name: string; head: Buffer; requested?: EncodingRequest; problem: RegExp; hint: RegExp }>([
    { name: "UTF-32LE", head: Buffer.concat([bytes(0xff, 0xfe, 0, 0), bytes(0x61, 0, 0, 0)]), problem: /UTF-32/, hint: /UTF-8/ },
    { name: "an .xlsx workbook", head: bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0), problem: /\.xlsx/, hint: /CSV UTF-8/ },
    { name: "an .xls workbook", head: bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), problem: /\.xls /, hint: /CSV UTF-8/ },
    { name: "binary with NULs in both lanes", head: bytes(0x61, 0, 0, 0x62, 0, 0, 0x63, 0x64), problem: /NUL bytes/, hint: /--encoding utf16le/ },
    { name: "a UTF-16BE BOM under --encoding utf16le", head: Buffer.concat([BOM_BE, utf16be(csv)]), requested: "utf16le", problem: /UTF-16BE byte order mark, but --encoding utf16le/, hint: /drop --encoding utf16le/ },
    { name: "a UTF-8 BOM under --encoding latin1", head: Buffer.concat([BOM_UTF8, Buffer.from(csv)]), requested: "windows1252", problem: /UTF-8 byte order mark, but --encoding latin1/, hint: /drop --encoding latin1/ },
    { name: "UTF-8 under --encoding utf16le", head: Buffer.from(csv), requested: "utf16le", problem: /no NUL bytes/, hint: /drop --encoding utf16le/ },
    { name: "UTF-16BE under --encoding utf16le", head: utf16be(csv), requested: "utf16le", problem: /looks like UTF-16BE/, hint: /--encoding utf16be/ },
    { name: "UTF-16LE under --encoding latin1", head: Buffer.from(csv, "utf16le"), requested: "windows1252", problem: /looks like UTF-16LE, not Windows-1252/, hint: /drop --encoding latin1/ },
  ])("refuses $name", ({ head, requested, problem, hint }) => {
    const verdict = detectEncoding(head, requested ?? "auto", true);
    expect(verdict.kind).toBe("refused");
    if (verdict.kind !== "refused") return;
    expect(verdict.problem).toMatch(problem);
    expect(verdict.hint).toMatch(hint);
  });

  it("takes a character cut off at the end of the sniffed prefix as UTF-8 still", () => {
    const head = Buffer.from("name\nRenée");
    expect(detectEncoding(head.subarray(0, head.length - 2), "auto", false)).toEqual(text("utf8", 0, "valid UTF-8"));
  });
});
