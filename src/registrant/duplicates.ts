/**
 * The same person twice in one list. Zoom keys a registration by email, so a second row would at best
 * return the first row's join_url and at worst spend one of the person's 3 adds a day (facts page,
 * "Rate limits"). Addresses compare trimmed and lowercased: the local part is case-sensitive in
 * theory, but no mail system in use treats "Ann@" and "ann@" as two people, and Zoom does not either.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export class DuplicateTracker {
  private readonly firstPositions = new Map<string, number>();

  /** The position of the first row with this email, or undefined (and it is remembered) when this is the first. */
  check(email: string, position: number): number | undefined {
    const key = emailKey(email);
    if (key === "") return undefined;
    const first = this.firstPositions.get(key);
    if (first !== undefined) return first;
    this.firstPositions.set(key, position);
    return undefined;
  }
}
