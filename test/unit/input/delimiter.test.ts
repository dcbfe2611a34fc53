import { describe, expect, it } from "vitest";
import { chooseDelimiter, chooseDelimiterPastTitle, delimiterLinesRead, describeDelimiter, parseDelimiterName, scanHeader } from "../../../src/input/delimiter.js";
import type { Delimiter } from "../../../src/input/delimiter.js";

describe("parseDelimiterName", () => {
  it.each([
    [",", ","],
    [";", ";"],
    ["|", "|"],
    ["tab", "\t"],
    ["TAB", "\t"],
    ["\\t", "\t"],
    ["\t", "\t"],
  ])("reads %j as %j", (name, delimiter) => {
    expect(parseDelimiterName(name)).toBe(delimiter);
  });

  it.each([[":"], ["comma"], [";;"], [""], [" "], ["constructor"]])("refuses %j", (name) => {
    expect(parseDelimiterName(name)).toBeUndefined();
  });
});

describe("chooseDelimiter", () => {
  it.each<{ name: string; header: string; fallback: Delimiter; delimiter: Delimiter; basis: string }>([
    { name: "commas", header: "email,first_name,last_name\nx", fallback: ",", delimiter: ",", basis: "header" },
    { name: "Excel's European semicolons", header: "Email;First Name;Last Name\r\nann@x.org;Ann;Lee", fallback: ",", delimiter: ";", basis: "header" },
    { name: "tabs in a .csv", header: "email\tfirst_name\tnotes, misc", fallback: ",", delimiter: "\t", basis: "header" },
    { name: "pipes", header: "email|first_name|last_name", fallback: ",", delimiter: "|", basis: "header" },
    { name: "semicolons inside quoted cells", header: '"a;b;c",email,name', fallback: ",", delimiter: ",", basis: "header" },
    { name: "commas inside quoted cells", header: '"Last, First";"Email, work";Phone', fallback: ",", delimiter: ";", basis: "header" },
    { name: "an escaped quote inside a quoted cell", header: '"say ""a,b,c""";email;name', fallback: ",", delimiter: ";", basis: "header" },
    { name: "a line break inside a quoted cell", header: '"a\nb,c,d";email;name\nx,y,z,w', fallback: ",", delimiter: ";", basis: "header" },
    { name: "a stray quote inside a cell", header: 'na"me,email,x"y;z', fallback: ",", delimiter: ",", basis: "header" },
    { name: "only the first line", header: "email;name\na,b,c,d,e", fallback: ",", delimiter: ";", basis: "header" },
    { name: "a tie, in a .csv", header: "a,b;c", fallback: ",", delimiter: ",", basis: "header" },
    { name: "a tie, in a .tsv", header: "a,b\tc", fallback: "\t", delimiter: "\t", basis: "header" },
    { name: "a tie without the default", header: "a;b|c", fallback: "\t", delimiter: ";", basis: "header" },
    { name: "a tie between comma and pipe, in a .tsv", header: "a|b,c", fallback: "\t", delimiter: ",", basis: "header" },
    { name: "one column", header: "email\nann@x.org", fallback: ",", delimiter: ",", basis: "one column" },
    { name: "one column, in a .tsv", header: "email", fallback: "\t", delimiter: "\t", basis: "one column" },
    { name: "nothing", header: "", fallback: ",", delimiter: ",", basis: "one column" },
  ])("chooses for $name", ({ header, fallback, delimiter, basis }) => {
    expect(chooseDelimiter(header, fallback)).toEqual({ delimiter, basis });
  });
});

describe("scanHeader", () => {
  it.each([
    ["email,name\n", true],
    ["email,name\r\n", true],
    ["email,name", false],
    ['"email\n', false],
    ['"em\nail",name\n', true],
  ])("in %j the header line ends: %s", (text, ended) => {
    expect(scanHeader(text).ended).toBe(ended);
  });
});

describe("describeDelimiter", () => {
  it.each<{ delimiter: Delimiter; basis: "header" | "--delimiter" | "one column"; line: string }>([
    { delimiter: ";", basis: "header", line: 'delimiter: ";" (detected from the header)' },
    { delimiter: "\t", basis: "--delimiter", line: "delimiter: tab (--delimiter)" },
    { delimiter: ",", basis: "one column", line: 'delimiter: "," (the header has one column)' },
  ])("says $line", ({ delimiter, basis, line }) => {
    expect(describeDelimiter({ delimiter, basis })).toBe(line);
  });
});

describe("chooseDelimiterPastTitle", () => {
  it.each<{ text: string; fallback: Delimiter; choice: { delimiter: Delimiter; basis: string }; read: boolean }>([
    { text: "Table 1\r\nEmail;First Name\r\na;b\r\n", fallback: ",", choice: { delimiter: ";", basis: "header" }, read: true },
    { text: "Table 1\nEmail\tFirst Name\n", fallback: ",", choice: { delimiter: "\t", basis: "header" }, read: true },
    { text: "Email,First Name\n", fallback: ",", choice: { delimiter: ",", basis: "header" }, read: true },
    { text: "email\na@x.org\n", fallback: ",", choice: { delimiter: ",", basis: "one column" }, read: true },
    { text: "Table 1\nEmail;Fir", fallback: ",", choice: { delimiter: ";", basis: "header" }, read: false },
    { text: "Table 1", fallback: "\t", choice: { delimiter: "\t", basis: "one column" }, read: false },
  ])("reads $text as $choice", ({ text, fallback, choice, read }) => {
    expect(chooseDelimiterPastTitle(text, fallback)).toEqual(choice);
    expect(delimiterLinesRead(text)).toBe(read);
  });
});
