/**
 * A host's change to an event while the fake runs: registration turned off, a webinar filled, a
 * meeting ended. Checked here in one place for `FakeZoom.updateEvent` and `POST /__fake/events/...`.
 */
import { ConfigError } from "../errors.js";
import type { FakeEventChange } from "./types.js";

const changeKeys: readonly string[] = ["approvalType", "capacity", "over"];

/**
 * `{approvalType?: 0|1|2, capacity?: non-negative integer, over?: boolean}`, at least one of them and
 * nothing else. Throws a one-line ConfigError that starts with `where` and names the key.
 */
export function parseEventChange(where: string, value: unknown): FakeEventChange {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected a JSON object with approvalType, capacity or over`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const unknownKeys = keys.filter((key) => !changeKeys.includes(key));
  if (unknownKeys.length > 0) throw new ConfigError(`${where}: unknown key ${unknownKeys.join(", ")} (expected approvalType, capacity, over)`);
  // An empty change is a caller's mistake (a typo'd body), not a no-op to pass silently.
  if (keys.length === 0) throw new ConfigError(`${where}: nothing to change (expected approvalType, capacity or over)`);
  const change: FakeEventChange = {};
  const { approvalType, capacity, over } = record;
  if (approvalType !== undefined) {
    if (approvalType !== 0 && approvalType !== 1 && approvalType !== 2) throw new ConfigError(`${where}: approvalType ${JSON.stringify(approvalType)}: expected 0, 1 or 2`);
    change.approvalType = approvalType;
  }
  if (capacity !== undefined) {
    if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 0) {
      throw new ConfigError(`${where}: capacity ${JSON.stringify(capacity)}: expected a non-negative integer`);
    }
    change.capacity = capacity;
  }
  if (over !== undefined) {
    if (typeof over !== "boolean") throw new ConfigError(`${where}: over ${JSON.stringify(over)}: expected true or false`);
    change.over = over;
  }
  return change;
}
