/** JSON text of a value whose BigInts (push()'s records may hold them) are written as their digits: JSON has no BigInt, and JSON.stringify throws on one. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner));
}
