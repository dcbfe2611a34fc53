import { readdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** `.joinurls.csv.4242.zoomreg-tmp`: hidden, beside the target (a rename never crosses file systems), named for its run. */
export function tempPathFor(path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.${pid}.zoomreg-tmp`);
}

/** Removes the temporary files of `path` whose run is gone (its pid no longer exists here). */
export function removeAbandonedTempFiles(path: string, isAlive: (pid: number) => boolean = pidAlive): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // The folder does not exist yet: whoever opens a file there says so.
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".zoomreg-tmp")) continue;
    const pid = Number(name.slice(prefix.length, -".zoomreg-tmp".length));
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) tryUnlink(join(dirname(path), name));
  }
}

/** False only when the process certainly does not exist (ESRCH); EPERM means it exists, someone else's. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

export function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
