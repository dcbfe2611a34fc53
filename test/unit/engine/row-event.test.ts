import { describe, expect, it } from "vitest";
import { eventKey, namesEvents, rowEvent } from "../../../src/engine/row-event.js";

/** How a row's event cells read (issue 20): the meeting or webinar column, a link or an id, the default event. */
describe("rowEvent", () => {
  const columns = { meeting: "meeting_id", webinar: "webinar_id" };

  it.each([
    ["a meeting id", { meeting_id: "85746065" }, { ok: true, event: { kind: "meeting", id: "85746065" } }],
    ["a webinar id", { webinar_id: "81234567890" }, { ok: true, event: { kind: "webinar", id: "81234567890" } }],
    ["a number from JSON", { meeting_id: 85746065 }, { ok: true, event: { kind: "meeting", id: "85746065" } }],
    ["an invitation link", { meeting_id: "https://us02web.zoom.us/j/85746065?pwd=abc" }, { ok: true, event: { kind: "meeting", id: "85746065" } }],
    ["an id with spaces, as Zoom prints it", { webinar_id: " 812 3456 7890 " }, { ok: true, event: { kind: "webinar", id: "81234567890" } }],
    ["an empty meeting cell beside a webinar id", { meeting_id: "", webinar_id: "81234567890" }, { ok: true, event: { kind: "webinar", id: "81234567890" } }],
    ["both cells empty", { meeting_id: "", webinar_id: " " }, { ok: false, reason: "names no event: meeting_id and webinar_id are empty" }],
    ["both cells filled", { meeting_id: "1", webinar_id: "2" }, { ok: false, reason: 'names both a meeting (meeting_id "1") and a webinar (webinar_id "2"): a row is for one event' }],
  ] as const)("reads %s", (_name, fields, expected) => {
    expect(rowEvent(fields, { columns })).toEqual(expected);
  });

  it("says what was read in a cell that is not an id", () => {
    const routed = rowEvent({ meeting_id: "tuesday" }, { columns });
    expect(routed.ok).toBe(false);
    expect(routed.ok ? "" : routed.reason).toMatch(/^meeting_id "tuesday" is not a Zoom meeting id/);
  });

  it("sends a row with no event to the default event when there is one", () => {
    expect(rowEvent({ meeting_id: "" }, { columns: { meeting: "meeting_id" }, defaultEvent: { kind: "webinar", id: "81234567890" } })).toEqual({ ok: true, event: { kind: "webinar", id: "81234567890" } });
  });

  it("names the one column in the reason when only one is in the input", () => {
    expect(rowEvent({}, { columns: { webinar: "Webinar" } })).toEqual({ ok: false, reason: "names no event: Webinar is empty" });
  });
});

describe("namesEvents and eventKey", () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ occurrences: "occurrence_ids" }, false],
    [{ meeting: "meeting_id" }, true],
    [{ webinar: "webinar_id" }, true],
  ] as const)("says %j names events: %s", (columns, expected) => {
    expect(namesEvents(columns)).toBe(expected);
  });

  it("spells an event as its kind and id, as the state and the locks do", () => {
    expect(eventKey({ kind: "webinar", id: "81234567890" })).toBe("webinar:81234567890");
  });
});
