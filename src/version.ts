import { readFileSync } from "node:fs";

/** zoomreg's version, from its package.json (dist/version.js and src/version.ts both sit one folder below it). */
export const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
