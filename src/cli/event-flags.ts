import { ConfigError } from "../errors.js";
import { parseEventId } from "../engine/event-id.js";
import type { EventKind, EventRef } from "../zoom/index.js";

/** `--meeting <id>` or `--webinar <id>`, exactly one, as a digit string. */
export function eventFromFlags(flags: { meeting?: string; webinar?: string }): EventRef {
  if ((flags.meeting === undefined) === (flags.webinar === undefined)) {
    throw new ConfigError("say which event: exactly one of --meeting <id> or --webinar <id>", {
      hint: "the id is the number in the event's Zoom link, e.g. --meeting 85746065",
    });
  }
  const kind: EventKind = flags.meeting === undefined ? "webinar" : "meeting";
  return { kind, id: parseEventId(kind, flags.meeting ?? flags.webinar ?? "") };
}

