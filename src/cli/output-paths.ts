import { realpathSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join } from "node:path";
import { ConfigError } from "../errors.js";
import { outputFormatFromPath, type OutputFormat } from "../output/index.js";
import type { EventRef } from "../zoom/index.js";

export interface OutputPaths {
  outPath: string;
  outFormat: OutputFormat;
  rejectsPath: string;
  statePath: string;
}

/**
 * Where a push writes: the join_url file, the rejects file and the state ledger, from the flags or
 * their defaults. Refuses (exit 2, before anything is sent) paths that name the input or each other,
 * links resolved: `--out` equal to the input replaced the input with the output (issue 11).
 */
export function outputPaths(cwd: string, flags: { out?: string; rejects?: string; state?: string }, event: EventRef, inputPath: string | undefined): OutputPaths {
  const outPath = resolveIn(cwd, flags.out ?? `joinurls-${event.kind}-${event.id}.csv`);
  const outFormat = outputFormatFromPath(outPath);
  if (outFormat === undefined) {
    throw new ConfigError(`--out ${flags.out ?? ""}: unknown extension`, { hint: "end the output file name in .csv, .json, .ndjson or .jsonl" });
  }
  const paths = {
    outPath,
    outFormat,
    rejectsPath: resolveIn(cwd, flags.rejects ?? defaultRejectsPath(outPath)),
    statePath: resolveIn(cwd, flags.state ?? defaultStatePath(outPath, event)),
  };
  refuseSameFile([
    ...(inputPath === undefined ? [] : [{ what: "the input", path: resolveIn(cwd, inputPath) }]),
    { what: "--out", path: paths.outPath },
    { what: "--rejects", path: paths.rejectsPath },
    { what: "--state", path: paths.statePath },
  ]);
  return paths;
}

function refuseSameFile(files: readonly { what: string; path: string }[]): void {
  const seen = new Map<string, string>();
  for (const { what, path } of files) {
    const real = realPath(path);
    const earlier = seen.get(real);
    if (earlier !== undefined) {
      throw new ConfigError(`${what} ${path} is the same file as ${earlier}`, {
        hint: `give ${what} a path of its own: writing it would destroy ${earlier === "the input" ? "the input" : `${earlier}'s file`}`,
      });
    }
    seen.set(real, what);
  }
}

/** The file's real path, links resolved; for a file not yet created, its folder's real path and its name. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** Beside the output, named for the event: a nightly job that keeps its --out keeps its state. */
export function defaultStatePath(outPath: string, event: EventRef): string {
  return join(dirname(outPath), `zoomreg-${event.kind}-${event.id}.state.ndjson`);
}

export function defaultRejectsPath(outPath: string): string {
  const extension = extname(outPath);
  return join(dirname(outPath), `${basename(outPath, extension)}.rejects.csv`);
}

export function resolveIn(cwd: string, path: string): string {
  return isAbsolute(path) ? path : join(cwd, path);
}
