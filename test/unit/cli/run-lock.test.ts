import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Credentials } from "../../../src/network/credentials.js";
import { accountIdentity, acquireRunLock, apiHost, lockDir } from "../../../src/engine/run-lock.js";
import { ConfigError } from "../../../src/errors.js";
import { thrown } from "../../helpers/thrown.js";

const s2s: Credentials = { scheme: "s2s", accountId: "acct-1", clientId: "client-1", clientSecret: "secret-s2s", oauthUrl: "https://zoom.us/oauth/token", apiUrl: undefined };
const jwt: Credentials = { scheme: "jwt", apiKey: "key-1", apiSecret: "secret-jwt", apiUrl: "https://api.zoom.us/v2" };
const event = { kind: "meeting", id: "85746065" };

describe("run lock folder and identity", () => {
  it.each([
    ["Zoom's defaults, unset", s2s, "api.zoom.us"],
    ["Zoom's defaults, spelled out", { ...s2s, apiUrl: "https://API.zoom.us/v2" }, "api.zoom.us"],
    ["a fake", { ...s2s, oauthUrl: "http://127.0.0.1:9090/oauth/token", apiUrl: "http://127.0.0.1:9090/v2" }, "127.0.0.1:9090"],
    ["Zoom for Government, its token naming the API host", { ...s2s, oauthUrl: "https://zoomgov.com/oauth/token" }, "zoomgov.com"],
    ["a JWT gateway", { ...jwt, apiUrl: "https://gateway.example/zoom/v2" }, "gateway.example"],
  ] as const)("takes the API host for %s", (_label, credentials, host) => {
    expect(apiHost(credentials)).toBe(host);
  });

  it("lets two runs for one account and event on two API hosts hold their locks at once", () => {
    const locks = mkdtempSync(join(tmpdir(), "zoomreg-cli-lock-"));
    const logger = pino({ level: "silent" });
    const onHost = (port: number): Credentials => ({ ...s2s, oauthUrl: `http://127.0.0.1:${port}/oauth/token`, apiUrl: `http://127.0.0.1:${port}/v2` });
    const first = acquireRunLock({ ZOOMREG_LOCK_DIR: locks }, onHost(9090), event, logger);
    const second = acquireRunLock({ ZOOMREG_LOCK_DIR: locks }, onHost(9091), event, logger);
    expect(thrown(ConfigError, () => acquireRunLock({ ZOOMREG_LOCK_DIR: locks }, onHost(9090), event, logger)).message).toMatch(/another zoomreg push is running for meeting 85746065/);
    first.release();
    second.release();
  });

  it("lives in ZOOMREG_LOCK_DIR, else $XDG_STATE_HOME/zoomreg/locks, else ~/.local/state/zoomreg/locks", () => {
    expect(lockDir({ ZOOMREG_LOCK_DIR: "/srv/locks", XDG_STATE_HOME: "/x" }, "/home/u")).toBe("/srv/locks");
    expect(lockDir({ XDG_STATE_HOME: "/x/state" }, "/home/u")).toBe("/x/state/zoomreg/locks");
    expect(lockDir({ HOME: "/home/env" }, "/home/u")).toBe("/home/env/.local/state/zoomreg/locks");
    // A relative XDG_STATE_HOME is invalid by the XDG spec, and ignored.
    expect(lockDir({ XDG_STATE_HOME: "state" }, "/home/u")).toBe("/home/u/.local/state/zoomreg/locks");
  });

  it("keys the lock by the account id or API key and its API host, never a secret", () => {
    expect(accountIdentity(s2s)).toBe("s2s-account:acct-1@api.zoom.us");
    expect(accountIdentity({ ...s2s, clientId: "another-app" })).toBe(accountIdentity(s2s));
    expect(accountIdentity(jwt)).toBe("jwt-key:key-1@api.zoom.us");
    expect(`${accountIdentity(s2s)} ${accountIdentity(jwt)}`).not.toMatch(/secret/);
  });

  it("takes the lock in the folder from the environment, and refuses a bad ZOOMREG_LOCK_STALE_MS", () => {
    const locks = mkdtempSync(join(tmpdir(), "zoomreg-cli-lock-"));
    const logger = pino({ level: "silent" });
    const lock = acquireRunLock({ ZOOMREG_LOCK_DIR: locks }, s2s, event, logger);
    expect(readdirSync(locks)).toEqual([lock.path.slice(locks.length + 1)]);
    lock.release();
    expect(readdirSync(locks)).toEqual([]);
    expect(thrown(ConfigError, () => acquireRunLock({ ZOOMREG_LOCK_DIR: locks, ZOOMREG_LOCK_STALE_MS: "soon" }, s2s, event, logger)).message).toMatch(
      /ZOOMREG_LOCK_STALE_MS=soon/,
    );
  });
});
