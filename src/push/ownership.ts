/**
 * Which registrations are zoomreg's own (issue 17): those it added itself, an add it sent that Zoom
 * answered. Never one it only approved, listed or found: a person who registered on Zoom's page and
 * whom a status column approved is the host's, and `--prune` must never cancel them. Pure.
 */
import type { OutputRow } from "../output/index.js";
import type { DoneLine } from "../state/index.js";

/** Outcomes that, in a state file written before ownership was recorded, can only follow zoomreg's own add. */
const addedStatuses: ReadonlySet<string> = new Set(["registered", "pending_approval"]);

/**
 * The id of the registration zoomreg added for this person, from its last recorded outcome, or
 * undefined. State files written before issue 17 do not say (`owned` absent): there, only an outcome
 * of zoomreg's own add (`registered`, `pending_approval`) is taken as its own, never an approval.
 */
export function ownedRegistration(line: Pick<DoneLine<OutputRow>, "owned" | "row">): string | undefined {
  if (line.owned !== undefined) return line.owned === "" ? undefined : line.owned;
  return addedStatuses.has(line.row.status) && line.row.registrant_id !== "" ? line.row.registrant_id : undefined;
}

/**
 * What a new outcome says of ownership: its registration is zoomreg's when zoomreg's add made it
 * (`added`), or when it is the very registration zoomreg owned before (`owns`, the item's).
 */
export function ownedBy(row: Pick<OutputRow, "registrant_id">, owns: string | undefined, added: boolean): string {
  if (row.registrant_id === "") return "";
  return added || row.registrant_id === owns ? row.registrant_id : "";
}
