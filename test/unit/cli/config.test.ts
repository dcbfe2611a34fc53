import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { configKeys, loadConfig, parseConfig } from "../../../src/engine/config.js";
import type { Config } from "../../../src/engine/config.js";
import { explicitlySetFlags, mergeFlags, type ConfigurableFlags } from "../../../src/cli/config-flags.js";
import { ConfigError } from "../../../src/errors.js";
import { parseMappingOverrides } from "../../../src/registrant/overrides.js";
import { thrown } from "../../helpers/thrown.js";

const parse = (settings: unknown): Config => parseConfig(JSON.stringify(settings), "zoomreg.config.json", "/srv/zoom");

const configError = (run: () => unknown): ConfigError => thrown(ConfigError, run);

describe("parseConfig", () => {
  it("reads every setting a nightly job passes as flags", () => {
    expect(
      parse({
        $schema: "./zoomreg.schema.json",
        webinar: "812 3456 7890",
        out: "joinurls.csv",
        rejects: "/var/log/rejects.csv",
        state: "state/webinar.state.ndjson",
        format: "ndjson",
        map: { email: "Contact", "First Name": "Given Name" },
        questions: { "Dietary needs": "Diet" },
        concurrency: 8,
        plan: "business",
        rate: 12.5,
        batch: "never",
        autoApprove: true,
        occurrence: ["1648194360000", 1648367160000],
        confirmationEmail: false,
        reconcile: false,
        preflight: true,
        logLevel: "warn",
        timeout: 45,
      }),
    ).toEqual({
      $schema: "./zoomreg.schema.json",
      webinar: "812 3456 7890",
      out: "/srv/zoom/joinurls.csv",
      rejects: "/var/log/rejects.csv",
      state: "/srv/zoom/state/webinar.state.ndjson",
      format: "ndjson",
      map: { email: "Contact", first_name: "Given Name" },
      questions: { "Dietary needs": "Diet" },
      concurrency: 8,
      plan: "business",
      rate: 12.5,
      batch: "never",
      autoApprove: true,
      occurrence: "1648194360000,1648367160000",
      confirmationEmail: false,
      reconcile: false,
      preflight: true,
      logLevel: "warn",
      timeout: 45,
    });
  });

  it.each([
    [{ meeting: 85746065 }, { meeting: "85746065" }],
    [{ meeting: "85746065" }, { meeting: "85746065" }],
    [{ occurrence: "1648194360000, 1648367160000" }, { occurrence: "1648194360000, 1648367160000" }],
    [{ prune: true, maxPrune: "10%" }, { prune: true, maxPrune: { percent: 10 } }],
    [{ maxPrune: 25 }, { maxPrune: { count: 25 } }],
    [{ map: { status: "Registration" } }, { map: { status: "Registration" } }],
    [{ format: "mysql", columns: ["email", " first_name "], skipLines: 2, null: "NULL" }, { format: "mysql", columns: ["email", "first_name"], skipLines: 2, null: "NULL" }],
    [{ columns: "email,first_name" }, { columns: ["email", "first_name"] }],
    [{}, {}],
  ])("reads %j as %j", (settings, config) => {
    expect(parse(settings)).toEqual(config);
  });

  it.each([
    { settings: { autoAprove: true }, message: 'zoomreg.config.json: unknown key "autoAprove"', hint: /^did you mean "autoApprove"\? the keys are meeting, webinar, defaultEvent, out/ },
    { settings: { "log-level": "warn" }, message: 'zoomreg.config.json: unknown key "log-level"', hint: /^did you mean "logLevel"\?/ },
    { settings: { question: { Diet: "Diet" } }, message: 'zoomreg.config.json: unknown key "question"', hint: /^did you mean "questions"\?/ },
    { settings: { password: "x" }, message: 'zoomreg.config.json: unknown key "password"', hint: /^the keys are / },
  ])("refuses the unknown key in $settings in one line naming the file and the key", ({ settings, message, hint }) => {
    const error = configError(() => parse(settings));
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(hint);
  });

  it.each([
    [{ concurrency: 0 }, "zoomreg.config.json: concurrency: expected a whole number from 1 to 256"],
    [{ concurrency: "8" }, "zoomreg.config.json: concurrency: expected a whole number from 1 to 256"],
    [{ concurrency: 2.5 }, "zoomreg.config.json: concurrency: expected a whole number from 1 to 256"],
    [{ rate: -1 }, "zoomreg.config.json: rate: expected a number above 0 and at most 10000"],
    [{ timeout: 601 }, "zoomreg.config.json: timeout: expected a number above 0 and at most 600"],
    [{ plan: "enterprise" }, 'zoomreg.config.json: plan: expected one of "pro", "business"'],
    [{ batch: true }, 'zoomreg.config.json: batch: expected one of "auto", "always", "never"'],
    [{ logLevel: "verbose" }, 'zoomreg.config.json: logLevel: expected one of "trace", "debug", "info", "warn", "error", "fatal", "silent"'],
    [{ autoApprove: "yes" }, "zoomreg.config.json: autoApprove: expected true or false"],
    [{ meeting: "abc" }, "zoomreg.config.json: meeting: expected the event's id, digits (as a string or a number)"],
    [{ out: "" }, "zoomreg.config.json: out: expected a file path, not an empty string"],
    [{ map: { email: 1 } }, "zoomreg.config.json: map.email: expected a column name (a string)"],
    [{ map: { mail: "Contact" } }, 'zoomreg.config.json: map.mail: not a field of Zoom\'s registrant: use one of email, first_name, last_name, address, city, state, zip, country, phone, comments, industry, job_title, org, no_of_employees, purchasing_time_frame, role_in_purchase_process, language, status, or meeting, webinar, occurrence_ids (each row\'s event; custom questions go in "questions")'],
    [{ questions: { Diet: "" } }, "zoomreg.config.json: questions.Diet: expected a column name, not an empty string"],
    [{ occurrence: ["first"] }, 'zoomreg.config.json: occurrence.0: expected occurrence ids: a list such as ["1648194360000", "1648367160000"] or one comma-separated string'],
    [{ meeting: "85746065", webinar: "81234567890" }, 'zoomreg.config.json: both "meeting" and "webinar" are set: keep the one this job registers people for'],
    [{ columns: ["email", ""] }, 'zoomreg.config.json: columns: expected column names: a list such as ["email", "first_name"] or one comma-separated string, none empty'],
    [{ columns: 3 }, 'zoomreg.config.json: columns: expected column names: a list such as ["email", "first_name"] or one comma-separated string, none empty'],
    [{ skipLines: 1001 }, "zoomreg.config.json: skipLines: expected a whole number from 0 to 1000"],
    [{ null: null }, 'zoomreg.config.json: null: expected the text that stands for no value, such as "NULL"'],
  ])("refuses %j", (settings, message) => {
    expect(configError(() => parse(settings)).message).toBe(message);
  });

  it.each([
    ["{", /^zoomreg\.config\.json: not valid JSON: /],
    ["[]", /^zoomreg\.config\.json: expected a JSON object of settings$/],
    ["null", /^zoomreg\.config\.json: expected a JSON object of settings$/],
  ])("refuses the text %j", (text, message) => {
    expect(configError(() => parseConfig(text, "zoomreg.config.json", "/srv/zoom")).message).toMatch(message);
  });

  it("accepts a file that starts with a byte order mark", () => {
    expect(parseConfig('\uFEFF{"meeting": "85746065"}', "zoomreg.config.json", "/srv/zoom")).toEqual({ meeting: "85746065" });
  });

  it("lists every setting key in its hint, without $schema", () => {
    expect(configKeys).not.toContain("$schema");
    expect(configKeys).toEqual(expect.arrayContaining(["meeting", "webinar", "map", "questions", "autoApprove", "logLevel", "timeout"]));
  });
});

describe("loadConfig", () => {
  const folder = (): string => mkdtempSync(join(tmpdir(), "zoomreg-config-"));

  it("reads zoomreg.config.json from the working directory", () => {
    const cwd = folder();
    writeFileSync(join(cwd, "zoomreg.config.json"), JSON.stringify({ meeting: "85746065", out: "out/joinurls.csv" }));
    expect(loadConfig(undefined, cwd)).toEqual({ meeting: "85746065", out: join(cwd, "out", "joinurls.csv") });
  });

  it("gives undefined when there is no config file and none was named", () => {
    expect(loadConfig(undefined, folder())).toBeUndefined();
  });

  it("reads the file named by --config, its paths relative to that file", () => {
    const cwd = folder();
    mkdirSync(join(cwd, "jobs"));
    writeFileSync(join(cwd, "jobs", "nightly.json"), JSON.stringify({ webinar: "81234567890", state: "webinar.state.ndjson" }));
    expect(loadConfig("jobs/nightly.json", cwd)).toEqual({ webinar: "81234567890", state: join(cwd, "jobs", "webinar.state.ndjson") });
  });

  it("refuses a named file that does not exist", () => {
    const error = configError(() => loadConfig("missing.json", folder()));
    expect(error.message).toBe("missing.json: cannot read the config file: ENOENT");
    expect(error.hint).toBe("check the path given to --config");
  });

  it("names the file by its path from the working directory in errors", () => {
    const cwd = folder();
    mkdirSync(join(cwd, "jobs"));
    writeFileSync(join(cwd, "jobs", "nightly.json"), JSON.stringify({ colour: "blue" }));
    expect(configError(() => loadConfig("jobs/nightly.json", cwd)).message).toBe(`${join("jobs", "nightly.json")}: unknown key "colour"`);
  });

  it("names a file outside the working directory by its absolute path", () => {
    const elsewhere = folder();
    writeFileSync(join(elsewhere, "z.json"), "{");
    expect(configError(() => loadConfig(join(elsewhere, "z.json"), folder())).message).toMatch(new RegExp(`^${join(elsewhere, "z.json")}: not valid JSON`));
  });
});

/** What commander gives push when nothing is typed but the file: its defaults. */
const defaults: ConfigurableFlags = { concurrency: "32", plan: "pro", batch: "auto", logLevel: "info", timeout: "30", reconcile: true, preflight: true, map: [], question: [] };

describe("mergeFlags", () => {
  it.each<{ name: string; config: Config; cli: ConfigurableFlags; explicit: string[]; expected: ConfigurableFlags }>([
    {
      name: "the file's values replace the defaults",
      config: { meeting: "85746065", concurrency: 8, reconcile: false, timeout: 45, logLevel: "warn" },
      cli: defaults,
      explicit: [],
      expected: { ...defaults, meeting: "85746065", concurrency: "8", reconcile: false, timeout: "45", logLevel: "warn" },
    },
    {
      name: "a flag on the command line wins over the file",
      config: { out: "/srv/a.csv", concurrency: 8 },
      cli: { ...defaults, out: "b.csv", concurrency: "4" },
      explicit: ["out", "concurrency"],
      expected: { ...defaults, out: "b.csv", concurrency: "4" },
    },
    {
      name: "a flag typed with its default value still wins",
      config: { plan: "business" },
      cli: defaults,
      explicit: ["plan"],
      expected: defaults,
    },
    {
      name: "--no-reconcile on the command line wins over reconcile: true",
      config: { reconcile: true },
      cli: { ...defaults, reconcile: false },
      explicit: ["reconcile"],
      expected: { ...defaults, reconcile: false },
    },
    {
      name: "--webinar on the command line replaces the file's meeting",
      config: { meeting: "85746065" },
      cli: { ...defaults, webinar: "81234567890" },
      explicit: ["webinar"],
      expected: { ...defaults, webinar: "81234567890" },
    },
    {
      name: "--meeting on the command line replaces the file's meeting",
      config: { meeting: "85746065" },
      cli: { ...defaults, meeting: "89876543210" },
      explicit: ["meeting"],
      expected: { ...defaults, meeting: "89876543210" },
    },
    {
      name: "the file's map and questions come before the command line's",
      config: { map: { email: "Contact", first_name: "Given Name" }, questions: { "Dietary needs": "Diet" } },
      cli: { ...defaults, map: ["email=Work Email"], question: ["T-shirt=Size"] },
      explicit: ["map", "question"],
      expected: { ...defaults, map: ["email=Contact", "first_name=Given Name", "email=Work Email"], question: ["Dietary needs=Diet", "T-shirt=Size"] },
    },
    {
      name: "occurrence ids and booleans are carried as flags",
      config: { occurrence: "1648194360000,1648367160000", autoApprove: true, confirmationEmail: false, preflight: false },
      cli: defaults,
      explicit: [],
      expected: { ...defaults, occurrence: "1648194360000,1648367160000", autoApprove: true, confirmationEmail: false, preflight: false },
    },
    {
      name: "keys the file leaves out keep the command line's values",
      config: {},
      cli: { ...defaults, rate: "10" },
      explicit: ["rate"],
      expected: { ...defaults, rate: "10" },
    },
  ])("$name", ({ config, cli, explicit, expected }) => {
    expect(mergeFlags(config, cli, new Set(explicit))).toEqual(expected);
  });

  it("returns the command line's flags unchanged without a config file", () => {
    const cli = { ...defaults, meeting: "85746065" };
    expect(mergeFlags(undefined, cli, new Set())).toBe(cli);
  });

  it("lets a --map flag win over the file's map, field by field", () => {
    const merged = mergeFlags({ map: { email: "Contact", first_name: "Given Name" } }, { map: ["email=Work Email"] }, new Set(["map"]));
    expect(parseMappingOverrides(merged).fields).toEqual({ email: "Work Email", first_name: "Given Name" });
  });

  it("does not change the flags it was given", () => {
    const cli = { ...defaults, map: ["email=A"] };
    mergeFlags({ map: { first_name: "B" }, concurrency: 2 }, cli, new Set());
    expect(cli).toEqual({ ...defaults, map: ["email=A"] });
  });
});

describe("explicitlySetFlags", () => {
  function parsed(args: string[]): Command {
    const command = new Command("push")
      .exitOverride()
      .argument("<file>")
      .option("--meeting <id>")
      .option("--concurrency <n>", "", "32")
      .option("--no-reconcile")
      .option("--confirmation-email")
      .option("--no-confirmation-email")
      .addOption(new Option("--log-level <level>").default("info"))
      .option("--map <field=column>", "", (value: string, previous: string[]) => [...previous, value], [] as string[])
      .action(() => undefined);
    command.parse(["people.csv", ...args], { from: "user" });
    return command;
  }

  it.each([
    { args: [], explicit: [] },
    { args: ["--meeting", "1", "--concurrency", "32"], explicit: ["meeting", "concurrency"] },
    { args: ["--no-reconcile"], explicit: ["reconcile"] },
    { args: ["--no-confirmation-email"], explicit: ["confirmationEmail"] },
    { args: ["--log-level", "warn", "--map", "email=Contact"], explicit: ["logLevel", "map"] },
  ])("finds $explicit given on the command line in $args", ({ args, explicit }) => {
    expect([...explicitlySetFlags(parsed(args))].sort()).toEqual([...explicit].sort());
  });
});
