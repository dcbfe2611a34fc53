import { execFileSync } from "node:child_process";
import * as undici from "undici";
import { describe, expect, it } from "vitest";
import { EnvHttpProxyAgent, getGlobalDispatcher } from "../../../src/zoom/undici.js";

describe("undici's parts, loaded by themselves", () => {
  it("are the classes and functions undici's index exports", () => {
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
    expect(getGlobalDispatcher).toBe(undici.getGlobalDispatcher);
  });

  it("give every dispatcher the request() undici's index gives it, in a process that never loads the index", () => {
    // A child process: this file has loaded undici's index, which puts request() there itself. The built
    // file (npm test builds before vitest runs), as a user's process loads it.
    const script = [
      `const parts = await import(${JSON.stringify(new URL("../../../dist/zoom/undici.js", import.meta.url).href)});`,
      "const agent = new parts.EnvHttpProxyAgent({ httpProxy: '', httpsProxy: '', noProxy: '' });",
      "const before = typeof agent.request;",
      "const undici = await import('undici');",
      "console.log(JSON.stringify({ before, same: agent.request === undici.Dispatcher.prototype.request }));",
      "await agent.close();",
    ].join("\n");
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ before: "function", same: true });
  });

  it("share the global dispatcher with undici's index", () => {
    const agent = new undici.MockAgent();
    const before = undici.getGlobalDispatcher();
    undici.setGlobalDispatcher(agent);
    try {
      expect(getGlobalDispatcher()).toBe(agent);
    } finally {
      undici.setGlobalDispatcher(before);
    }
  });
});
