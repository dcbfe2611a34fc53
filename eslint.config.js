// Type-aware linting: no-floating-promises is the rule that matters most in a tool whose
// failures are promises (a dropped connection in an unawaited loop is how peers lose rows).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // fixtures/layers is linted on purpose by test/unit/layers.test.ts, as a tree of its own.
  { ignores: ["dist/", "node_modules/", "coverage/", "bin/", "scripts/*.js", "eslint.config.js", "fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Only src/cli reads process.env: pass values in." },
        { object: "process", property: "argv", message: "Only src/cli reads process.argv." },
        { object: "process", property: "exit", message: "Only src/cli exits: throw a typed error." },
      ],
    },
  },
  {
    files: ["src/cli/**", "test/**", "scripts/**"],
    rules: { "no-restricted-properties": "off" },
  },
  // The layers point one way (docs/how-it-works.md, "Layers"): each folder may import only from the
  // folders beneath it. A later block for the same files replaces this rule, so each lists all it forbids.
  ...layerRules(),
);

/**
 * One `no-restricted-imports` block per folder of src/, naming the folders it must never import.
 * Everything outside src/cli stands beneath the CLI; the nevers of the architecture are the pool that
 * knows nothing of Zoom or files, the client that knows no auth module, the fake that shares no code
 * with the client.
 */
function layerRules() {
  const beneath = (folder, name) => `src/${folder} stands beneath src/${name}: it must not import it (docs/how-it-works.md, "Layers").`;
  const never = (folder, forbidden, extra = [], why = beneath) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...forbidden.map((name) => ({ group: [`**/${name}/*`, `../${name}`, `../../${name}`], message: why(folder, name) })),
            ...extra,
          ],
        },
      ],
    },
  });
  const files = { group: ["node:fs", "fs", "node:fs/promises", "fs/promises"], message: "src/pool knows nothing of files: it takes a worker, a gate and a policy." };
  const fetchers = { group: ["undici", "undici/*"], message: "src/pool knows nothing of HTTP or Zoom." };
  const everything = ["cli", "engine", "network", "push", "preflight", "auth", "zoom", "pool", "state", "input", "output", "registrant", "fake-zoom"];
  const except = (...allowed) => everything.filter((name) => !allowed.includes(name));
  return [
    { files: ["src/**/*.ts"], rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/cli/*", "../cli"], message: "Only src/cli imports src/cli: the library stands beneath the CLI (issue 19)." }] }] } },
    never("engine", ["cli", "fake-zoom"]),
    never("network", ["cli", "engine", "fake-zoom"]),
    never("push", ["cli", "engine", "network", "fake-zoom", "auth"]),
    never("preflight", ["cli", "engine", "network", "push", "fake-zoom"]),
    never("auth", except("zoom", "auth")),
    never("zoom", except("zoom")),
    never("pool", except("pool"), [files, fetchers]),
    never("state", except("state")),
    never("input", except("input")),
    never("output", except("output")),
    never("registrant", except("registrant")),
    // The fake answers as Zoom would, by Zoom's documents, not by the client's code (a shared mistake would pass every test).
    never("fake-zoom", except("fake-zoom"), [], (_folder, name) => `src/fake-zoom shares no code with the client or the rest of zoomreg: it must not import src/${name} (docs/how-it-works.md, "Layers").`),
    never("shared", everything),
  ];
}
