import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";

/**
 * Opens a file for reading, failing now rather than at the first read: `createReadStream(path)` opens
 * lazily and reports a missing file as a stream error after the run has started (tokens fetched,
 * questions loaded). A directory opens fine on Linux and only fails on read, hence the stat.
 */
export async function openInputFile(path: string): Promise<Readable> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw openError(path, error);
  }
  try {
    if ((await handle.stat()).isDirectory()) throw openError(path, Object.assign(new Error("is a directory"), { code: "EISDIR" }));
  } catch (error) {
    await handle.close();
    throw error instanceof InputError ? error : openError(path, error);
  }
  return handle.createReadStream();
}

function openError(path: string, error: unknown): InputError {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return new InputError(`cannot read ${path}: no such file`, { cause: error, hint: "check the path and the current directory" });
    case "EACCES":
    case "EPERM":
      return new InputError(`cannot read ${path}: permission denied`, { cause: error, hint: "check the file's permissions" });
    case "EISDIR":
      return new InputError(`cannot read ${path}: it is a directory`, { cause: error, hint: "pass the file inside it" });
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new InputError(`cannot read ${path}: ${reason}`, { cause: error });
    }
  }
}
