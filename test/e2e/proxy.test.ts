import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, type RunningFakeZoom } from "../../src/fake-zoom/index.js";
import { startForwardProxy, type ForwardProxy } from "../helpers/forward-proxy.js";
import { addRequests, fakeEnv, freshFakeZoomEachTest, readCsv, runCli } from "./harness.js";

const meeting = defaultEventIds.meeting;
const people = 12;
const csv = ["email,first_name,last_name", ...Array.from({ length: people }, (_, i) => `p${i}@example.com,P${i},Q${i}`), ""].join("\n");

let zoom: RunningFakeZoom;
let proxy: ForwardProxy | undefined;
let dir: string;
freshFakeZoomEachTest((fresh) => {
  ({ zoom, dir } = fresh);
  writeFileSync(join(dir, "people.csv"), csv);
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/**
 * The fake listens on http://127.0.0.1, so HTTP_PROXY is the one used. undici has no loopback default
 * in NO_PROXY (a loopback host goes through the proxy unless NO_PROXY names it); NO_PROXY is set
 * anyway, to a host of no concern, so the run does not depend on what the machine's environment holds.
 */
const throughProxy = (url: string, noProxy = "intranet.example"): Record<string, string> => ({ ...fakeEnv(zoom), HTTP_PROXY: url, NO_PROXY: noProxy, no_proxy: noProxy });

const push = (env: Record<string, string>) => runCli(["push", "people.csv", "--meeting", meeting, "--out", "out.csv", "--batch", "never"], { env, cwd: dir });

describe("a push behind a forward proxy", () => {
  it("reaches a plain-http fake through an HTTP_PROXY that refuses CONNECT, as a default squid does: every request forwarded, none tunnelled", async () => {
    proxy = await startForwardProxy({ refuseConnect: true });
    const run = await push(throughProxy(proxy.url));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const rows = readCsv(join(dir, "out.csv"));
    expect(rows).toHaveLength(people);
    expect(rows.every((row) => row.status === "registered")).toBe(true);
    expect(addRequests(zoom)).toBe(people);
    expect([proxy.tunnels, proxy.refused]).toEqual([0, 0]);
    expect(proxy.requests).toContain("POST /oauth/token");
    expect(proxy.requests.filter((line) => line === `POST /v2/meetings/${meeting}/registrants`)).toHaveLength(people);
  });

  it("stops with exit 2 naming the proxy when the proxy itself answers 403 to everything, instead of retrying as Zoom unreachable", async () => {
    proxy = await startForwardProxy({ refuseAll: 403 });
    const run = await push(throughProxy(proxy.url.replace("http://", "http://ops:hunter2@")));
    expect(run.code).toBe(2);
    const host = new URL(zoom.oauthUrl).host;
    expect(run.stderr).toBe(
      `zoomreg: POST ${zoom.oauthUrl} failed: the proxy ${proxy.url.replace("http://", "http://ops:***@")} (HTTP_PROXY) refused to pass it on to ${host} (403 Forbidden); Zoom never saw it: ask whoever runs the proxy to allow ${host}, check HTTP_PROXY, or name the host in NO_PROXY to connect directly\n`,
    );
    // Refused once: a configuration to fix is not retried.
    expect(proxy.refused).toBe(1);
    expect(zoom.fake.ledger().totals.tokensIssued).toBe(0);
  });

  it("connects directly to a host NO_PROXY names", async () => {
    proxy = await startForwardProxy();
    const run = await push(throughProxy(proxy.url, "127.0.0.1"));
    expect(run.code).toBe(0);
    expect(readCsv(join(dir, "out.csv")).filter((row) => row.status === "registered")).toHaveLength(people);
    expect(proxy.tunnels).toBe(0);
    expect(proxy.requests).toEqual([]);
  });

  it("refuses a proxy variable that is not a URL before anything is sent, without its password", async () => {
    const run = await push({ ...fakeEnv(zoom), HTTPS_PROXY: "socks5://ops:hunter2@proxy:1080" });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("zoomreg: HTTPS_PROXY is not an http(s) proxy URL: socks5://***@proxy:1080: set HTTPS_PROXY to http://host:port (or http://user:password@host:port), or unset it to connect directly");
    expect(addRequests(zoom)).toBe(0);
  });
});

describe("zoomreg check behind a forward proxy", () => {
  it("names the proxy in one line, its password redacted, and passes through it", async () => {
    proxy = await startForwardProxy({ requireCredentials: "ops:hunter2" });
    const url = proxy.url.replace("http://", "http://ops:hunter2@");
    const run = await runCli(["check", "--meeting", meeting], { env: throughProxy(url) });
    expect(run.code).toBe(0);
    const port = new URL(zoom.apiUrl).port;
    expect(run.stdout.split("\n")[0]).toBe(`network: proxy ${proxy.url.replace("http://", "http://ops:***@")} (HTTP_PROXY) for 127.0.0.1:${port}`);
    expect(run.stdout + run.stderr).not.toContain("hunter2");
    expect(proxy.credentials.every((credentials) => credentials === "ops:hunter2")).toBe(true);
    expect(proxy.requests).toContain("POST /oauth/token");
  });

  it("says when NO_PROXY excludes the Zoom hosts, in the JSON report too", async () => {
    proxy = await startForwardProxy();
    const text = await runCli(["check", "--meeting", meeting], { env: throughProxy(proxy.url, "127.0.0.1") });
    const port = new URL(zoom.apiUrl).port;
    expect(text.stdout.split("\n")[0]).toBe(`network: no proxy: no_proxy excludes 127.0.0.1:${port}`);
    const json = await runCli(["check", "--meeting", meeting, "--json"], { env: throughProxy(proxy.url, "127.0.0.1") });
    expect((JSON.parse(json.stdout) as { network: unknown }).network).toEqual([{ host: `127.0.0.1:${port}`, proxy: null, variable: null, excludedBy: "no_proxy", unset: null }]);
    expect(proxy.tunnels).toBe(0);
  });

  it("says there is no proxy when none is set", async () => {
    const run = await runCli(["check", "--meeting", meeting], { env: fakeEnv(zoom) });
    expect(run.stdout.split("\n")[0]).toMatch(/^network: no proxy \(HTTP_PROXY not set\) for 127\.0\.0\.1:\d+$/);
  });
});
