import { Agent, request as httpRequest } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEventIds, defaultFakeCredentials } from "../../../src/fake-zoom/defaults.js";
import { startFakeZoom, startMswFakeZoom } from "../../../src/fake-zoom/index.js";
import type { FakeFaults, RunningFakeZoom } from "../../../src/fake-zoom/types.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { basicAuth, person, startMs } from "./helpers.js";

/**
 * The adapters carry out the core's fault directives over real sockets: the only tests here that
 * wait for real time, a few tens of milliseconds each.
 */
const { accountId, clientId, clientSecret } = defaultFakeCredentials;
const webinarAdd = `/v2/webinars/${defaultEventIds.webinar}/registrants`;
const webinarKey = `webinar:${defaultEventIds.webinar}`;

const running: RunningFakeZoom[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function started(faults: FakeFaults, start: typeof startFakeZoom = startFakeZoom): Promise<{ server: RunningFakeZoom; add: (n: number, timeoutMs?: number) => Promise<number> }> {
  // The token route stays clean (faults hit /v2 only), so the token comes through whatever the plan.
  const server = await start({ port: 0, clock: new ManualClock(startMs), faults });
  running.push(server);
  const tokenAnswer = await httpRequest(`${server.oauthUrl}?grant_type=account_credentials&account_id=${accountId}`, {
    method: "POST",
    headers: { authorization: basicAuth(clientId, clientSecret) },
  });
  const { access_token: token } = (await tokenAnswer.body.json()) as { access_token: string };
  const add = async (n: number, timeoutMs = 2000): Promise<number> => {
    // A fresh agent per request: a destroyed keep-alive socket must not leak into the next test.
    const agent = new Agent();
    agents.push(agent);
    const answer = await httpRequest(`${server.url}${webinarAdd}`, {
      method: "POST",
      dispatcher: agent,
      // undici's own header timeout ticks coarsely below a second; a signal is exact.
      signal: AbortSignal.timeout(timeoutMs),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(person(n)),
    });
    await answer.body.dump();
    return answer.statusCode;
  };
  return { server, add };
}

/** undici's error for a socket the other side closed: not a timeout of ours. */
const closedByServer = { code: "UND_ERR_SOCKET" };

const registered = (server: RunningFakeZoom, n: number) => server.fake.ledger().events[webinarKey]?.[`person${n}@example.com`]?.registered ?? false;

describe.each([
  ["node:http", startFakeZoom],
  ["msw", startMswFakeZoom],
])("the %s adapter", (_name, start) => {
  it("closes the connection without an answer on a drop before executing", async () => {
    const { server, add } = await started({ dropRates: { beforeExecuting: 1 } }, start);
    await expect(add(1)).rejects.toMatchObject(closedByServer);
    expect(registered(server, 1)).toBe(false);
  });

  it("closes the connection without an answer on a drop after executing, the add done", async () => {
    const { server, add } = await started({ dropRates: { afterExecuting: 1 } }, start);
    await expect(add(1)).rejects.toMatchObject(closedByServer);
    expect(registered(server, 1)).toBe(true);
  });

  it("answers only after the drawn latency", async () => {
    const { add } = await started({ latency: { distribution: "uniform", minMs: 60, maxMs: 60 } }, start);
    const sentMs = performance.now();
    const status = await add(1);
    expect([status, performance.now() - sentMs >= 55]).toEqual([201, true]);
  });
});

describe("a slow answer", () => {
  it("outlasts a client's timeout while the add is done", async () => {
    const { server, add } = await started({ slow: { rate: 1, delayMs: 400 } });
    await expect(add(1, 100)).rejects.toThrow(/aborted due to timeout/i);
    expect(registered(server, 1)).toBe(true);
  });

  it("does not keep a closed server waiting", async () => {
    const { server, add } = await started({ slow: { rate: 1, delayMs: 60_000 } });
    const pending = add(1, 60_000).catch(() => "closed");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closedMs = performance.now();
    await server.close();
    running.splice(0);
    expect([await pending, performance.now() - closedMs < 1000]).toEqual(["closed", true]);
  });
});
