import { describe, expect, it } from "vitest";
import { eventFromFlags, optionalEventFromFlags } from "../../../src/cli/event-flags.js";
import { parseEventId } from "../../../src/engine/event-id.js";
import { ConfigError } from "../../../src/errors.js";

/** The ConfigError a call throws, as the CLI prints it: `message: hint`. */
function refusal(call: () => unknown): { message: string; hint: string | undefined } {
  try {
    call();
  } catch (error) {
    if (error instanceof ConfigError) return { message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseEventId: ids as people have them", () => {
  it.each([
    ["a short id, as tutorials show it", "meeting", "123", "123"],
    ["an 8-digit id", "meeting", "85746065", "85746065"],
    ["an 11-digit id", "webinar", "81234567890", "81234567890"],
    ["the largest int64", "meeting", "9223372036854775807", "9223372036854775807"],
    ["spaces as in an invitation", "meeting", "857 4606 5", "85746065"],
    ["dashes", "meeting", "857-4606-5", "85746065"],
    ["an en dash and a no-break space from a PDF", "meeting", "857\u20134606\u00a05", "85746065"],
    ["spaces around it", "webinar", "  81234567890 ", "81234567890"],
    ["leading zeros", "meeting", "0085746065", "85746065"],
    ["the invitation's label", "meeting", "Meeting ID: 857 4606 5", "85746065"],
    ["a webinar's label", "webinar", "Webinar ID: 812 3456 7890", "81234567890"],
    ["a join link of a regional host", "meeting", "https://us02web.zoom.us/j/85746065?pwd=abc.1", "85746065"],
    ["a join link without https://", "meeting", "us02web.zoom.us/j/85746065", "85746065"],
    ["a vanity host", "meeting", "https://acme.zoom.us/j/85746065", "85746065"],
    ["Zoom for Government", "meeting", "https://zoomgov.com/j/1612345678", "1612345678"],
    ["a webinar link", "webinar", "https://zoom.us/w/81234567890?tk=abc&uuid=WN_x", "81234567890"],
    ["a webinar's /j/ join link (Zoom's document gives webinars this form)", "webinar", "https://zoom.us/j/81234567890", "81234567890"],
    ["a start link", "meeting", "https://us06web.zoom.us/s/85746065?zak=xyz", "85746065"],
    ["a web client join link", "meeting", "https://zoom.us/wc/join/85746065", "85746065"],
    ["a web client link with the id first", "webinar", "https://app.zoom.us/wc/81234567890/join?fromPWA=1", "81234567890"],
    ["a trailing slash and a fragment", "meeting", "https://zoom.us/j/85746065/#success", "85746065"],
  ] as const)("reads %s", (_what, kind, raw, id) => {
    expect(parseEventId(kind, raw)).toBe(id);
  });

  it.each([
    ["nothing", "meeting", "", /^--meeting "" is not a Zoom meeting id: no digits in it$/],
    ["a letter O for a zero", "meeting", "857 46O6 5", /^--meeting "857 46O6 5" is not a Zoom meeting id: read as "85746O65", which has "O" where a digit belongs$/],
    ["a topic", "webinar", "All hands", /^--webinar "All hands" is not a Zoom webinar id: read as "Allhands", which has "A" where a digit belongs$/],
    ["a zero", "meeting", "0", /^--meeting "0" is not a Zoom meeting id: Zoom ids are positive$/],
    ["a negative number", "meeting", "-5", /^--meeting "-5" is not a Zoom meeting id: Zoom ids are positive$/],
    ["a number past int64", "meeting", "9223372036854775808", /^--meeting "9223372036854775808" is not a Zoom meeting id: 19 digits is more than any Zoom id \(they are 64-bit integers\)$/],
    ["a decimal", "meeting", "85746065.5", /read as "85746065\.5", which has "\." where a digit belongs$/],
    ["another service's link", "meeting", "https://teams.microsoft.com/l/meetup-join/19", /^--meeting "https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19" is not a Zoom link: its host is teams\.microsoft\.com$/],
    ["a look-alike host", "meeting", "https://zoom.us.example.com/j/85746065", /is not a Zoom link: its host is zoom\.us\.example\.com$/],
    ["a personal room link", "meeting", "https://zoom.us/my/jane.doe", /^--meeting "https:\/\/zoom\.us\/my\/jane\.doe" is a personal meeting room link: "jane\.doe" names a room, not a scheduled meeting, and holds no id$/],
    ["a registration page link", "webinar", "https://zoom.us/webinar/register/WN_abcDEF", /^--webinar ".*" is a registration page link: it holds no webinar id$/],
    ["a recording link", "meeting", "https://zoom.us/rec/share/abc", /^--meeting ".*" is a Zoom link without a meeting id: read host zoom\.us, path \/rec\/share\/abc$/],
    ["a join link with letters for the id", "meeting", "https://zoom.us/j/abc", /^--meeting "https:\/\/zoom\.us\/j\/abc" is not a Zoom meeting id: read as "abc"/],
  ] as const)("refuses %s in one line saying what was read", (_what, kind, raw, message) => {
    const { message: said, hint } = refusal(() => parseEventId(kind, raw));
    expect(said).toMatch(message);
    expect(said).not.toContain("\n");
    expect(hint).toMatch(new RegExp(`--${kind} 85746065`));
  });

  it("sends a webinar link given to --meeting to --webinar, with the way out for a meeting registrant's own link", () => {
    expect(refusal(() => parseEventId("meeting", "https://us02web.zoom.us/w/81234567890?tk=abc"))).toEqual({
      message: '--meeting "https://us02web.zoom.us/w/81234567890?tk=abc" is a webinar link (/w/): 81234567890 is read as a webinar\'s id',
      hint: "use --webinar 81234567890; if it is a meeting registrant's personal link, pass the number alone: --meeting 81234567890",
    });
  });

  it("keeps ids past 2^53 exact (no Number())", () => {
    expect(parseEventId("meeting", "9007199254740993")).toBe("9007199254740993");
  });
});

describe("eventFromFlags", () => {
  it.each([
    [{ meeting: "123" }, { kind: "meeting", id: "123" }],
    [{ webinar: "https://zoom.us/w/81234567890" }, { kind: "webinar", id: "81234567890" }],
  ])("reads %j", (flags, event) => {
    expect(eventFromFlags(flags)).toEqual(event);
  });

  it("asks for one of the two flags when neither is given", () => {
    expect(refusal(() => eventFromFlags({})).message).toBe("say which event: exactly one of --meeting <id> or --webinar <id>");
  });

  it("refuses both flags at once", () => {
    expect(refusal(() => eventFromFlags({ meeting: "1", webinar: "2" })).message).toBe("--meeting and --webinar both given: a run's flags name one event");
  });
});

describe("optionalEventFromFlags", () => {
  it.each([
    [{}, undefined],
    [{ meeting: "123" }, { kind: "meeting", id: "123" }],
    [{ webinar: "81234567890" }, { kind: "webinar", id: "81234567890" }],
  ])("reads %j as %j (neither: each row names its event)", (flags, event) => {
    expect(optionalEventFromFlags(flags)).toEqual(event);
  });

  it("refuses both flags at once", () => {
    expect(refusal(() => optionalEventFromFlags({ meeting: "1", webinar: "2" })).message).toBe("--meeting and --webinar both given: a run's flags name one event");
  });
});
