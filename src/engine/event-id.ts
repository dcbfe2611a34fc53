/**
 * `--meeting` and `--webinar` as people have the id: typed with the spaces and dashes of an invitation
 * (`857 4606 5065`), behind its label (`Meeting ID: 857 4606 5065`), or as the link they were sent
 * (`https://us02web.zoom.us/j/85746065?pwd=...`). Zoom types event ids as int64 (docs/zoom-facts.md,
 * "Endpoints"), so any positive integer up to 2^63-1 is an id, kept as a digit string.
 */
import { ConfigError } from "../errors.js";
import type { EventKind } from "../zoom/index.js";

/** The largest int64: Zoom's OpenAPI document types `meetingId` and `webinarId` as `format: int64`. */
const maxEventId = 9_223_372_036_854_775_807n;

/** Spaces (NBSP too, via `\s`) and dashes of any width: what invitations and PDFs put between digits. */
const separators = /[\s\-\u2010-\u2015]/g;

/** `Meeting ID: `, `Webinar ID #`, `ID:`: the label an invitation puts before the digits. */
const idLabel = /^(?:(?:meeting|webinar)\s*)?id(?:\s*[:#]\s*|\s+|(?=\d))/i;

/** Zoom's own hosts: zoom.us, zoomgov.com and zoom.com, with any subdomain (`us02web.`, vanity `acme.`). */
const zoomHost = /(?:^|\.)(?:zoom\.us|zoomgov\.com|zoom\.com)$/i;

/**
 * The event id in what the user passed (digits, a labelled id or a Zoom link); throws a ConfigError
 * saying what was read. `source` names where it came from in messages: the flag (`--meeting`, the
 * default) or a row's column (`meeting_id`, issue 20).
 */
export function parseEventId(kind: EventKind, raw: string, source = `--${kind}`): string {
  const text = raw.trim();
  const link = asLink(text);
  return link === undefined ? idFromDigits(kind, raw, text.replace(idLabel, ""), source) : idFromLink(kind, raw, link, source);
}

/** A URL when the text is one (with or without its `https://`), else undefined. */
function asLink(text: string): URL | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\//i.test(text) ? `https://${text}` : undefined;
  if (withScheme === undefined) return undefined;
  try {
    return new URL(withScheme);
  } catch {
    return undefined;
  }
}

function idFromDigits(kind: EventKind, raw: string, text: string, source: string): string {
  // A leading minus is a sign, not a separator: -5 is not the id 5.
  if (/^[-\u2212]\s*\d/.test(text)) throw notAnId(kind, raw, "Zoom ids are positive", source);
  const digits = text.replace(separators, "");
  const problem = digitsProblem(digits);
  if (problem !== undefined) throw notAnId(kind, raw, problem, source);
  // Leading zeros are not part of an int64: one spelling per event keeps state files and locks apart.
  return digits.replace(/^0+/, "");
}

/** Why `digits` (separators removed) is not an int64 id, in words; undefined when it is one. */
function digitsProblem(digits: string): string | undefined {
  if (digits === "") return "no digits in it";
  const stray = /[^0-9]/.exec(digits);
  if (stray !== null) return `read as "${digits}", which has ${JSON.stringify(stray[0])} where a digit belongs`;
  if (/^0+$/.test(digits)) return "Zoom ids are positive";
  if (BigInt(digits) > maxEventId) return `${digits.length} digits is more than any Zoom id (they are 64-bit integers)`;
  return undefined;
}

function idFromLink(kind: EventKind, raw: string, link: URL, source: string): string {
  const shown = JSON.stringify(raw);
  const host = link.hostname.toLowerCase();
  if (!zoomHost.test(host)) {
    throw new ConfigError(`${source} ${shown} is not a Zoom link: its host is ${host === "" ? "missing" : host}`, { hint: linkHint(kind) });
  }
  const segments = link.pathname.split("/").filter((segment) => segment !== "");
  const [first, second, third] = segments.map((segment) => segment.toLowerCase());
  if (first === "my") {
    throw new ConfigError(`${source} ${shown} is a personal meeting room link: ${JSON.stringify(segments[1] ?? "")} names a room, not a scheduled ${kind}, and holds no id`, {
      hint: `Zoom takes registrations only for scheduled ${kind}s: use the id from the ${kind}'s invitation, e.g. --${kind} 85746065`,
    });
  }
  if ((first === "meeting" || first === "webinar") && second === "register") {
    throw new ConfigError(`${source} ${shown} is a registration page link: it holds no ${kind} id`, {
      hint: `use the ${kind === "meeting" ? "Meeting" : "Webinar"} ID shown on the ${kind}'s page in Zoom, e.g. --${kind} 85746065`,
    });
  }
  const idSegment = linkIdSegment(first, second, third, segments);
  if (idSegment === undefined) {
    throw new ConfigError(`${source} ${shown} is a Zoom link without a ${kind} id: read host ${host}, path ${link.pathname}`, { hint: linkHint(kind) });
  }
  const id = idFromDigits(kind, raw, idSegment, source);
  // `/w/` is the webinar's link; a meeting's own link has `/j/` (a registrant's personal link may have /w/ too).
  if (first === "w" && kind === "meeting") {
    throw new ConfigError(`${source} ${shown} is a webinar link (/w/): ${id} is read as a webinar's id`, {
      hint: `use --webinar ${id}; if it is a meeting registrant's personal link, pass the number alone: --meeting ${id}`,
    });
  }
  return id;
}

/**
 * Where the id sits in a Zoom link: `/j/<id>` (join; Zoom's document gives webinars' join_url this
 * form too), `/w/<id>` (webinars, registrants' links), `/s/<id>` (start), `/wc/join/<id>` and
 * `/wc/<id>/join|start` (web client). Undefined for any other path.
 */
function linkIdSegment(first: string | undefined, second: string | undefined, third: string | undefined, segments: readonly string[]): string | undefined {
  if ((first === "j" || first === "w" || first === "s") && second !== undefined) return segments[1];
  if (first === "wc" && second === "join" && third !== undefined) return segments[2];
  if (first === "wc" && second !== undefined && (third === "join" || third === "start")) return segments[1];
  return undefined;
}

function linkHint(kind: EventKind): string {
  return `pass the ${kind}'s id or its Zoom link, e.g. --${kind} 85746065 or --${kind} https://zoom.us/${kind === "meeting" ? "j" : "w"}/85746065`;
}

function notAnId(kind: EventKind, raw: string, problem: string, source: string): ConfigError {
  return new ConfigError(`${source} ${JSON.stringify(raw)} is not a Zoom ${kind} id: ${problem}`, {
    hint: `pass the number from the ${kind}'s Zoom link or invitation, e.g. --${kind} 85746065 (spaces and dashes are ignored), or the link itself`,
  });
}
