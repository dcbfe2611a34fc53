import { closeSync, fsyncSync, openSync } from "node:fs";

/** What filesystems that cannot sync a directory answer (Windows cannot even open one: EISDIR). */
const directorySyncRefusals = new Set(["EISDIR", "EINVAL", "EPERM"]);

/**
 * Makes a directory's entries durable, such as the name of a file just created in it. Where the
 * filesystem refuses to sync a directory there is nothing more to do; any other failure is thrown.
 */
export function fsyncDirectory(directory: string): void {
  let fd: number;
  try {
    fd = openSync(directory, "r");
  } catch (error) {
    if (directorySyncRefusals.has((error as NodeJS.ErrnoException).code ?? "")) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!directorySyncRefusals.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
  } finally {
    closeSync(fd);
  }
}
