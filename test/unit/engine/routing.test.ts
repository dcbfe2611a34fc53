import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { routingOf } from "../../../src/engine/routing.js";
import type { PushSettings } from "../../../src/engine/options.js";

/** Whether a push is for one event or for the events its rows name (issue 20), from the flags and the first record. */
type RoutingSettings = Pick<PushSettings, "event" | "defaultEvent" | "eventOf" | "overrides">;
const meeting = { kind: "meeting", id: "85746065" } as const;
const settings = (over: Partial<RoutingSettings> = {}): RoutingSettings => ({ event: undefined, defaultEvent: false, eventOf: undefined, overrides: { fields: {}, questions: [] }, ...over });
const record = (fields: Record<string, unknown>): { position: number; fields: Record<string, unknown> } => ({ position: 2, fields });

describe("routingOf", () => {
  it.each([
    ["--meeting and a plain export", settings({ event: meeting }), { email: "a@example.com" }, "single"],
    ["a meeting_id column and no flag", settings(), { email: "a@example.com", meeting_id: "1" }, "events"],
    ["a Webinar ID column and no flag", settings(), { email: "a@example.com", "Webinar ID": "1" }, "events"],
    ["a column --map meeting= names", settings({ overrides: { fields: {}, questions: [], event: { meeting: "Session" } } }), { email: "a@example.com", Session: "1" }, "events"],
    ["--meeting --default-event and a meeting_id column", settings({ event: meeting, defaultEvent: true }), { email: "a@example.com", meeting_id: "" }, "events"],
    ["an occurrence_ids column alone, with --meeting", settings({ event: meeting }), { email: "a@example.com", occurrence_ids: "1" }, "single"],
    ["eventOf", settings({ eventOf: () => ({ meeting: "1" }) }), { email: "a@example.com" }, "events"],
    ["an empty input and no flag", settings(), undefined, "events"],
  ] as const)("makes %s a run of kind %s", (_name, given, fields, kind) => {
    expect(routingOf(given, fields === undefined ? undefined : record(fields)).kind).toBe(kind);
  });

  it.each([
    ["--meeting with a meeting_id column", settings({ event: meeting }), { email: "a@example.com", meeting_id: "1" }, /^both --meeting\/--webinar and the meeting_id column name the rows' events$/],
    ["no flag and no column", settings(), { email: "a@example.com" }, /^say which event: --meeting <id> or --webinar <id>, or a meeting_id or webinar_id column/],
    ["--map meeting= naming a column the file lacks", settings({ overrides: { fields: {}, questions: [], event: { meeting: "Session" } } }), { email: "a@example.com" }, /Session/],
  ] as const)("refuses %s with a ConfigError", (_name, given, fields, message) => {
    expect(() => routingOf(given, record(fields))).toThrow(ConfigError);
    expect(() => routingOf(given, record(fields))).toThrow(message);
  });

  it("routes each record of a run of many events by its own keys (NDJSON records differ)", () => {
    const routing = routingOf(settings(), record({ email: "a@example.com", meeting_id: "1" }));
    if (routing.kind !== "events") throw new Error("expected a run of many events");
    expect(routing.route({ email: "b@example.com", webinar: "81234567890" })).toEqual({ ok: true, event: { kind: "webinar", id: "81234567890" } });
  });

  it("reads eventOf's answer as --meeting reads an id, and says so when it gives none", () => {
    const routing = routingOf(settings({ eventOf: (fields) => (typeof fields.session === "string" ? { webinar: fields.session } : undefined) }), record({ email: "a@example.com" }));
    if (routing.kind !== "events") throw new Error("expected a run of many events");
    expect(routing.route({ session: "https://zoom.us/w/81234567890" })).toEqual({ ok: true, event: { kind: "webinar", id: "81234567890" } });
    expect(routing.route({})).toEqual({ ok: false, reason: "names no event: eventOf gave neither a meeting nor a webinar" });
  });
});
