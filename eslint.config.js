// Type-aware linting: no-floating-promises is the rule that matters most in a tool whose
// failures are promises (a dropped connection in an unawaited loop is how peers lose rows).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "bin/", "scripts/*.js", "eslint.config.js"] },
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
);
