import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { ConfigError } from "../errors.js";

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * One push per event at a time: two runs would both see a person as new and both add them, spending
 * two of that person's three daily adds. The lock is a file created exclusively; a lock left by a run
 * that was killed (its pid no longer exists on this host) is taken over.
 */
export class RunLock {
  private released = false;
  private constructor(readonly path: string) {}

  static acquire(path: string, now: Date, pid: number, isAlive: (pid: number) => boolean = processExists): RunLock {
    const owner: LockOwner = { pid, host: hostname(), startedAt: now.toISOString() };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, "wx", 0o600);
        writeSync(fd, JSON.stringify(owner));
        closeSync(fd);
        return new RunLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          throw new ConfigError(`cannot create lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`, {
            hint: "run where the output folder is writable, or move the state with --state",
          });
        }
      }
      const holder = readOwner(path);
      if (holder !== undefined && holder.host === owner.host && isAlive(holder.pid)) {
        throw new ConfigError(`another zoomreg push is running for this event (pid ${holder.pid}, since ${holder.startedAt})`, {
          hint: `wait for it to finish; if no such run exists, delete ${path}`,
        });
      }
      if (holder !== undefined && holder.host !== owner.host) {
        throw new ConfigError(`a zoomreg push on host ${holder.host} holds the lock for this event (pid ${holder.pid}, since ${holder.startedAt})`, {
          hint: `if that run is gone, delete ${path}`,
        });
      }
      // Stale: its process is gone (or the file is unreadable, e.g. torn by a crash). Take it over.
      try {
        unlinkSync(path);
      } catch {
        // Another run may have taken it over first; the second exclusive create decides.
      }
    }
    throw new ConfigError(`another zoomreg push took the lock ${path} at the same moment`, { hint: "run again" });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt) }
      : undefined;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
