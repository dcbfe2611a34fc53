import { commands, programDescription, programOptions } from "./commands.js";

/**
 * `zoomreg --help` as commander writes it, without loading commander (~15 ms, half of a bare Node
 * start: issue 19). test/unit/cli/top-level-help.test.ts holds it byte-equal to commander's own at
 * every width, so a commander that changes its layout fails the tests, not a person's terminal.
 */
export function topLevelHelp(helpWidthColumns = 80): string {
  const options: Item[] = [["-V, --version", "output the version number"], ...programOptions.map((option): Item => [option.flags, option.description]), ["-h, --help", "display help for command"]];
  const subcommands: Item[] = [...commands.map((entry): Item => [entry.name, entry.description]), ["help [command]", "display help for command"]];
  const termWidth = Math.max(...[...options, ...subcommands].map(([term]) => term.length));
  const item = ([term, description]: Item): string => formatItem(term, termWidth, description, helpWidthColumns);
  return [
    "Usage: zoomreg [options] [command]",
    "",
    boxWrap(programDescription, helpWidthColumns),
    "",
    "Options:",
    ...options.map(item),
    "",
    "Commands:",
    ...subcommands.map(item),
    "",
  ].join("\n");
}

/** A term and its description. */
type Item = readonly [term: string, description: string];

/** Below this many columns commander does not wrap at all. */
const minWidthToWrap = 40;
const itemIndent = "  ";
const spacerWidth = 2;

/** The term padded to `termWidth`, then the description wrapped beside it (commander's Help.formatItem). */
function formatItem(term: string, termWidth: number, description: string, helpWidthColumns: number): string {
  const remainingWidth = helpWidthColumns - termWidth - spacerWidth - itemIndent.length;
  const wrapped = remainingWidth < minWidthToWrap ? description : boxWrap(description, remainingWidth).replace(/\n/g, `\n${" ".repeat(termWidth + spacerWidth)}`);
  return `${itemIndent}${term.padEnd(termWidth)}${" ".repeat(spacerWidth)}${wrapped.replace(/\n/g, `\n${itemIndent}`)}`;
}

/** Words joined while they fit in `width`, a line break before the one that does not (commander's Help.boxWrap). */
function boxWrap(text: string, width: number): string {
  if (width < minWidthToWrap) return text;
  const [first = "", ...rest] = text.match(/\s*\S+/g) ?? [];
  const lines: string[] = [];
  let line = first;
  for (const chunk of rest) {
    if (line.length + chunk.length <= width) {
      line += chunk;
      continue;
    }
    lines.push(line);
    line = chunk.trimStart();
  }
  lines.push(line);
  return lines.join("\n");
}
