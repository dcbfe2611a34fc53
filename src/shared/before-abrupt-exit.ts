/**
 * What must reach the disk before the process exits without unwinding (a second Ctrl-C, a reader that
 * left stdout): files register a flush here, and the process boundary calls them. A registry rather
 * than an import of those files, so that a command that opens none (`--help`) loads none.
 */
const flushes = new Set<() => void>();

export function flushBeforeAbruptExit(flush: () => void): void {
  flushes.add(flush);
}

export function flushAllBeforeAbruptExit(): void {
  for (const flush of flushes) flush();
}
