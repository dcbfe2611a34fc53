/**
 * Where a column's value is in a record. CSV and TSV records are flat; JSON and NDJSON records from
 * `mongoexport`, APIs and `json_agg` are often nested (`{"contact": {"email": ...}}`), so a mapping
 * may name a dotted path (`contact.email`) instead of a column.
 *
 * Decisions:
 * - A key that exists as written wins over a path: a CSV header "contact.email" is that column, not
 *   a lookup into a "contact" column. At each level the longest key that exists is tried first, so
 *   `{"a.b": {"c": 1}}` answers `a.b.c` too.
 * - Arrays are indexed like objects (`emails.0`): both are JSON containers with own keys.
 * - Only own keys count, so `constructor` or `__proto__` never reaches into Object.prototype.
 */

export type PathLookup = { found: true; value: unknown } | { found: false };

const notFound: PathLookup = { found: false };

export function lookupPath(record: unknown, path: string): PathLookup {
  if (typeof record !== "object" || record === null) return notFound;
  if (Object.hasOwn(record, path)) return { found: true, value: (record as Record<string, unknown>)[path] };
  for (const head of pathHeads(path)) {
    if (!Object.hasOwn(record, head)) continue;
    const inner = lookupPath((record as Record<string, unknown>)[head], path.slice(head.length + 1));
    if (inner.found) return inner;
  }
  return notFound;
}

/**
 * The keys a dotted path may start with, longest first ("a.b.c" -> "a.b", "a"): a literal key holding
 * dots is preferred over splitting it.
 */
export function pathHeads(path: string): string[] {
  const heads: string[] = [];
  for (let dot = path.lastIndexOf("."); dot > 0; dot = path.lastIndexOf(".", dot - 1)) heads.push(path.slice(0, dot));
  return heads;
}

/** The value at `path`, or undefined when the record has nothing there (the schema then says "missing"). */
export function valueAt(record: Record<string, unknown>, path: string): unknown {
  // The common case, a flat column, costs one property read.
  if (Object.hasOwn(record, path)) return record[path];
  const lookup = lookupPath(record, path);
  return lookup.found ? lookup.value : undefined;
}

/**
 * The columns a record offers, nested objects spelled as dotted paths to their leaves, in key order,
 * at most `limit` of them: what an error message lists so the user can copy the right one.
 */
export function columnPaths(record: Record<string, unknown>, limit = 30): string[] {
  const paths: string[] = [];
  const visit = (value: unknown, prefix: string, depth: number): void => {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (paths.length >= limit) return;
      const path = prefix === "" ? key : `${prefix}.${key}`;
      // Arrays and deep nesting are listed as one entry: their inner paths are rarely what is meant.
      if (isPlainObject(inner) && Object.keys(inner).length > 0 && depth < 4) visit(inner, path, depth + 1);
      else paths.push(path);
    }
  };
  visit(record, "", 0);
  return paths;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
