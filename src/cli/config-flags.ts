/**
 * zoomreg.config.json as the flags it stands for, merged with the command line's: the flags a person
 * typed win over the file, the file wins over commander's defaults.
 */
import type { Command } from "commander";
import type { Config } from "../engine/config.js";

/**
 * The push flags a config file can set, in the shape commander gives them (numbers as the strings
 * typed, repeatable flags as arrays). The caller's flag type extends it.
 */
export interface ConfigurableFlags {
  meeting?: string | undefined;
  webinar?: string | undefined;
  out?: string | undefined;
  rejects?: string | undefined;
  state?: string | undefined;
  format?: string | undefined;
  delimiter?: string | undefined;
  jsonPath?: string | undefined;
  columns?: string | undefined;
  skipLines?: string | undefined;
  null?: string | undefined;
  map?: string[] | undefined;
  question?: string[] | undefined;
  concurrency?: string | undefined;
  plan?: string | undefined;
  rate?: string | undefined;
  batch?: string | undefined;
  autoApprove?: boolean | undefined;
  defaultEvent?: boolean | undefined;
  occurrence?: string | undefined;
  confirmationEmail?: boolean | undefined;
  reconcile?: boolean | undefined;
  preflight?: boolean | undefined;
  prune?: boolean | undefined;
  maxPrune?: string | undefined;
  status?: boolean | undefined;
  ignore?: string[] | undefined;
  logLevel?: string | undefined;
  csvFormulas?: string | undefined;
  timeout?: string | undefined;
}

/** The config as the flags it stands for. */
export function flagsFromConfig(config: Config): ConfigurableFlags {
  const flags: ConfigurableFlags = {};
  const text = (value: number | undefined): string | undefined => (value === undefined ? undefined : String(value));
  const entries: ConfigurableFlags = {
    meeting: config.meeting,
    webinar: config.webinar,
    out: config.out,
    rejects: config.rejects,
    state: config.state,
    format: config.format,
    delimiter: config.delimiter,
    jsonPath: config.jsonPath,
    columns: config.columns?.join(","),
    skipLines: text(config.skipLines),
    null: config.null,
    map: config.map === undefined ? undefined : Object.entries(config.map).map(([field, name]) => `${field}=${name}`),
    question: config.questions === undefined ? undefined : Object.entries(config.questions).map(([title, name]) => `${title}=${name}`),
    concurrency: text(config.concurrency),
    plan: config.plan,
    rate: text(config.rate),
    batch: config.batch,
    autoApprove: config.autoApprove,
    defaultEvent: config.defaultEvent,
    occurrence: config.occurrence,
    confirmationEmail: config.confirmationEmail,
    reconcile: config.reconcile,
    preflight: config.preflight,
    prune: config.prune,
    status: config.status,
    ignore: config.ignore,
    maxPrune: config.maxPrune === undefined ? undefined : "count" in config.maxPrune ? String(config.maxPrune.count) : `${config.maxPrune.percent}%`,
    logLevel: config.logLevel,
    csvFormulas: config.csvFormulas,
    timeout: text(config.timeout),
  };
  for (const [name, value] of Object.entries(entries) as [keyof ConfigurableFlags, unknown][]) {
    if (value !== undefined) Object.assign(flags, { [name]: value });
  }
  return flags;
}

const repeatable = new Set<keyof ConfigurableFlags>(["map", "question", "ignore"]);
const eventFlags = new Set<keyof ConfigurableFlags>(["meeting", "webinar"]);

/**
 * Flags given on the command line (`explicitlySet`, by commander attribute name) win over the file;
 * the file wins over commander's defaults. Pure: nothing is read or changed.
 */
export function mergeFlags<Flags extends ConfigurableFlags>(config: Config | undefined, cliFlags: Flags, explicitlySet: ReadonlySet<string>): Flags {
  if (config === undefined) return cliFlags;
  const merged: Record<string, unknown> = Object.fromEntries(Object.entries(cliFlags));
  const eventOnCommandLine = [...eventFlags].some((name) => explicitlySet.has(name));
  for (const [name, value] of Object.entries(flagsFromConfig(config)) as [keyof ConfigurableFlags, unknown][]) {
    if (repeatable.has(name)) {
      // The file's entries first: the last entry for a field or title wins (parseMappingOverrides).
      merged[name] = [...(value as string[]), ...((cliFlags[name] as string[] | undefined) ?? [])];
    } else if (eventFlags.has(name) ? !eventOnCommandLine : !explicitlySet.has(name)) {
      merged[name] = value;
    }
  }
  return merged as Flags;
}

/** The attribute names of the options given on the command line (or through an environment variable). */
export function explicitlySetFlags(command: Pick<Command, "options" | "getOptionValueSource">): Set<string> {
  const names = command.options.map((option) => option.attributeName());
  return new Set(
    names.filter((name) => {
      const source = command.getOptionValueSource(name);
      return source === "cli" || source === "env";
    }),
  );
}
