import jwt from "jsonwebtoken";
import { beforeEach, describe, expect, it } from "vitest";
import { createJwtProvider } from "../../../src/auth/jwt.js";
import { ManualClock } from "../../../src/shared/clock.js";

const API_KEY = "key-abc";
const API_SECRET = "secret-xyz";
const NOW_MS = Date.UTC(2025, 11, 12, 15, 30, 0);
const NOW_SECONDS = NOW_MS / 1000;

let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock(NOW_MS);
});

const provider = () => createJwtProvider({ apiKey: API_KEY, apiSecret: API_SECRET, clock, lifetimeSeconds: 300, refreshEarlyMs: 60_000 });

describe("createJwtProvider", () => {
  it("signs {iss, exp} with HS256, exp taken from the injected clock", async () => {
    const token = await provider().getToken();
    const verified = jwt.verify(token, API_SECRET, { algorithms: ["HS256"], clockTimestamp: NOW_SECONDS, complete: true });
    expect(verified.header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(verified.payload).toEqual({ iss: API_KEY, exp: NOW_SECONDS + 300 });
  });

  it("rejects a call aborted while its token is being made", async () => {
    const abort = new AbortController();
    const token = provider().getToken(abort.signal);
    abort.abort(new Error("stopped"));
    await expect(token).rejects.toThrow("stopped");
  });

  it("reuses the token until lifetime minus refresh-early has passed", async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    await clock.advance(240_000 - 1_000);
    expect(await tokens.getToken()).toBe(first);
  });

  it("signs a new token once lifetime minus refresh-early has passed", async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    await clock.advance(240_000);
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(jwt.decode(second)).toMatchObject({ exp: NOW_SECONDS + 240 + 300 });
  });

  it("signs anew after the current token is invalidated", async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    await clock.advance(1_000);
    tokens.invalidate(first);
    expect(jwt.decode(await tokens.getToken())).toMatchObject({ exp: NOW_SECONDS + 1 + 300 });
  });

  it("keeps the current token when an older one is invalidated", async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    await clock.advance(240_000);
    const second = await tokens.getToken();
    await clock.advance(1_000);
    tokens.invalidate(first);
    expect(await tokens.getToken()).toBe(second);
  });

  it("has no regional API base", async () => {
    const tokens = provider();
    await tokens.getToken();
    expect(tokens.scheme).toBe("jwt");
    expect(tokens.apiBaseUrl()).toBeUndefined();
  });
});
