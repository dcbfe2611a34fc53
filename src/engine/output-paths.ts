import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
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
 * Where a push writes: the join_url file (or "-", stdout), the rejects file and the state ledger, from
 * the flags or their defaults. Refuses (exit 2, before anything is sent) paths that name the input or each other,
 * links resolved: `--out` equal to the input replaced the input with the output (issue 11); with
 * `writable` (a real run, not a dry run), also folders that do not exist or cannot be written.
 */
export function outputPaths(
  cwd: string,
  flags: { out?: string; rejects?: string; state?: string },
  event: EventRef,
  inputPath: string | undefined,
  options: { writable?: boolean } = {},
): OutputPaths {
  refuseStdout("--rejects", flags.rejects);
  refuseStdout("--state", flags.state);
  const toStdout = flags.out === stdoutPath;
  const outPath = toStdout ? stdoutPath : resolveIn(cwd, flags.out ?? `joinurls-${event.kind}-${event.id}.csv`);
  // Rows on stdout are CSV: no file name to take a format from.
  const outFormat = toStdout ? "csv" : outputFormatFromPath(outPath);
  if (outFormat === undefined) {
    throw new ConfigError(`--out ${flags.out ?? ""}: unknown extension`, { hint: "end the output file name in .csv, .json, .ndjson or .jsonl, or use --out - for CSV on stdout" });
  }
  // With the rows on stdout, the files they would sit beside go in the working directory, named for the event.
  const besideOut = toStdout ? join(cwd, `zoomreg-${event.kind}-${event.id}`) : outPath;
  const paths = {
    outPath,
    outFormat,
    rejectsPath: resolveIn(cwd, flags.rejects ?? defaultRejectsPath(besideOut)),
    statePath: resolveIn(cwd, flags.state ?? defaultStatePath(besideOut, event)),
  };
  refuseSameFile([
    ...(inputPath === undefined ? [] : [{ what: "the input", path: resolveIn(cwd, inputPath) }]),
    ...(toStdout ? [] : [{ what: "--out", path: paths.outPath }]),
    { what: "--rejects", path: paths.rejectsPath },
    { what: "--state", path: paths.statePath },
  ]);
  if (options.writable === true) {
    // --out first: the rejects and state files sit beside it by default, and a typo in --out is --out's to fix.
    if (!toStdout) refuseUnwritableFolder("--out", outPath);
    refuseUnwritableFolder("--rejects", paths.rejectsPath);
    refuseUnwritableFolder("--state", paths.statePath);
  }
  return paths;
}

export interface EventsOutputPaths {
  outPath: string;
  outFormat: OutputFormat;
  rejectsPath: string;
  /** Each event's state file: the one a single-event run of it uses, beside the output (issue 20). */
  statePathOf: (event: EventRef) => string;
}

/**
 * Where a run of many events writes (issue 20): one output (default `joinurls.csv`) and one rejects
 * file, and each event's state file beside the output, named for the event, so that a single-event
 * run of that event with the same --out shares its history. `--state` names one file, so it is refused.
 */
export function eventsOutputPaths(cwd: string, flags: { out?: string; rejects?: string; state?: string }, inputPath: string | undefined, options: { writable?: boolean } = {}): EventsOutputPaths {
  if (flags.state !== undefined) {
    throw new ConfigError(`--state ${flags.state}: the input names each row's event, and each event keeps a state file of its own`, {
      hint: "drop --state: each event's is zoomreg-<meeting|webinar>-<id>.state.ndjson beside --out, the one a single-event run of it uses",
    });
  }
  refuseStdout("--rejects", flags.rejects);
  const toStdout = flags.out === stdoutPath;
  const outPath = toStdout ? stdoutPath : resolveIn(cwd, flags.out ?? "joinurls.csv");
  const outFormat = toStdout ? "csv" : outputFormatFromPath(outPath);
  if (outFormat === undefined) {
    throw new ConfigError(`--out ${flags.out ?? ""}: unknown extension`, { hint: "end the output file name in .csv, .json, .ndjson or .jsonl, or use --out - for CSV on stdout" });
  }
  const besideOut = toStdout ? join(cwd, "zoomreg-events") : outPath;
  const rejectsPath = resolveIn(cwd, flags.rejects ?? defaultRejectsPath(besideOut));
  const files = [
    ...(inputPath === undefined ? [] : [{ what: "the input", path: resolveIn(cwd, inputPath) }]),
    ...(toStdout ? [] : [{ what: "--out", path: outPath }]),
    { what: "--rejects", path: rejectsPath },
  ];
  refuseSameFile(files);
  if (options.writable === true) {
    if (!toStdout) refuseUnwritableFolder("--out", outPath);
    refuseUnwritableFolder("--rejects", rejectsPath);
  }
  return {
    outPath,
    outFormat,
    rejectsPath,
    statePathOf: (event) => {
      const statePath = defaultStatePath(besideOut, event);
      refuseSameFile([...files, { what: `the state file of ${event.kind} ${event.id}`, path: statePath }]);
      return statePath;
    },
  };
}

/** The folder `path` goes in exists, is a folder, and this process may create files in it. */
function refuseUnwritableFolder(flag: string, path: string): void {
  const folder = dirname(path);
  const fix = `give ${flag} a path in a folder you can write to`;
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") throw new ConfigError(`${flag} ${path}: the folder ${folder} does not exist`, { hint: `create it (mkdir -p ${folder}), or ${fix}` });
    throw new ConfigError(`${flag} ${path}: cannot reach the folder ${folder} (${code})`, { hint: fix });
  }
  if (!isFolder) throw new ConfigError(`${flag} ${path}: ${folder} is not a folder`, { hint: fix });
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ConfigError(`${flag} ${path}: the folder ${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"})`, { hint: fix });
  }
}

/** `--out -`: the rows go to stdout (logs and the summary then go to stderr). */
export const stdoutPath = "-";

/** Only the rows may go to stdout: the rejects and the ledger are files a re-run reads or a person opens. */
function refuseStdout(flag: string, path: string | undefined): void {
  if (path === stdoutPath) {
    throw new ConfigError(`${flag} -: only --out can write to stdout`, { hint: `give ${flag} a file path, or leave it out for the default beside --out` });
  }
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

/** `res.ndjson` -> `res.ndjson.rejects.csv`: the output's full name kept, so `a.ndjson` and `a.csv` keep a rejects file each. */
export function defaultRejectsPath(outPath: string): string {
  return `${outPath}.rejects.csv`;
}

export function resolveIn(cwd: string, path: string): string {
  return isAbsolute(path) ? path : join(cwd, path);
}
