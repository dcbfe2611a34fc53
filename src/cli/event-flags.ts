import { ConfigError } from "../errors.js";
import { parseEventId } from "../engine/event-id.js";
import type { EventKind, EventRef } from "../zoom/index.js";

/** `--meeting <id>` or `--webinar <id>`, exactly one, as a digit string. */
export function eventFromFlags(flags: { meeting?: string; webinar?: string }): EventRef {
  const event = optionalEventFromFlags(flags);
  if (event === undefined) {
    throw new ConfigError("say which event: exactly one of --meeting <id> or --webinar <id>", {
      hint: "the id is the number in the event's Zoom link, e.g. --meeting 85746065",
    });
  }
  return event;
}

/** `--meeting <id>` or `--webinar <id>`, or neither (`zoomreg push` with an event column: issue 20); never both. */
export function optionalEventFromFlags(flags: { meeting?: string; webinar?: string }): EventRef | undefined {
  if (flags.meeting === undefined && flags.webinar === undefined) return undefined;
  if (flags.meeting !== undefined && flags.webinar !== undefined) {
    throw new ConfigError("--meeting and --webinar both given: a run's flags name one event", {
      hint: "keep one; for many events, name each row's event in a meeting_id or webinar_id column",
    });
  }
  const kind: EventKind = flags.meeting === undefined ? "webinar" : "meeting";
  return { kind, id: parseEventId(kind, flags.meeting ?? flags.webinar ?? "") };
}

