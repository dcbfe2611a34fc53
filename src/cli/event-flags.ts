import { ConfigError } from "../errors.js";
import type { EventRef } from "../zoom/index.js";

/** `--meeting <id>` or `--webinar <id>`, exactly one, as a digit string. */
export function eventFromFlags(flags: { meeting?: string; webinar?: string }): EventRef {
  if ((flags.meeting === undefined) === (flags.webinar === undefined)) {
    throw new ConfigError("say which event: exactly one of --meeting <id> or --webinar <id>", {
      hint: "the id is the number in the event's Zoom link, e.g. --meeting 85746065",
    });
  }
  const kind = flags.meeting === undefined ? "webinar" : "meeting";
  const raw = (flags.meeting ?? flags.webinar ?? "").replace(/[\s-]/g, "");
  if (!/^\d{8,20}$/.test(raw)) {
    throw new ConfigError(`--${kind} ${JSON.stringify(flags.meeting ?? flags.webinar)} is not a Zoom ${kind} id`, {
      hint: `use the ${kind} id, the 9 to 11 digits in its Zoom link (spaces and dashes are ignored)`,
    });
  }
  return { kind, id: raw };
}
