import { getResponse } from "msw";
import { request as httpRequest } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/shared/clock.js";
import { defaultEventIds, defaultFakeCredentials } from "../../../src/fake-zoom/defaults.js";
import { FakeZoom } from "../../../src/fake-zoom/fake-zoom.js";
import { startFakeZoom, startMswFakeZoom } from "../../../src/fake-zoom/index.js";
import { fakeZoomHandlers } from "../../../src/fake-zoom/msw.js";
import type { RunningFakeZoom } from "../../../src/fake-zoom/types.js";
import { basicAuth, person, startMs } from "./helpers.js";

const { accountId, clientId, clientSecret } = defaultFakeCredentials;
const tokenQuery = `grant_type=account_credentials&account_id=${accountId}`;
const meetingAdd = `/v2/meetings/${defaultEventIds.meeting}/registrants`;

const running: RunningFakeZoom[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function started(start: typeof startFakeZoom): Promise<RunningFakeZoom> {
  const server = await start({ port: 0, clock: new ManualClock(startMs), seed: 11 });
  running.push(server);
  return server;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  trackingId: string | undefined;
  body: string;
}

async function send(baseUrl: string, method: "GET" | "POST", path: string, init: { authorization?: string; body?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  const response = await httpRequest(`${baseUrl}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  return { status: response.statusCode, contentType: header("content-type"), trackingId: header("x-zm-trackingid"), body: await response.body.text() };
}

/** One client session: every kind of answer the fake gives, in order, with the server's own URL blanked out. */
async function session(server: RunningFakeZoom): Promise<Answer[]> {
  const answers: Answer[] = [];
  const record = async (...args: Parameters<typeof send>): Promise<Answer> => {
    const answer = await send(...args);
    answers.push({ ...answer, body: answer.body.replaceAll(server.url, "<origin>") });
    return answer;
  };
  const token = JSON.parse((await record(server.url, "POST", `/oauth/token?${tokenQuery}`, { authorization: basicAuth(clientId, clientSecret) })).body) as { access_token: string };
  const bearer = `Bearer ${token.access_token}`;
  await record(server.url, "POST", `/oauth/token?${tokenQuery}`, { authorization: basicAuth(clientId, "wrong") });
  for (const n of [1, 2, 1, 1, 1]) await record(server.url, "POST", meetingAdd, { authorization: bearer, body: JSON.stringify(person(n)) });
  await record(server.url, "POST", meetingAdd, { authorization: bearer, body: JSON.stringify({ email: "nope" }) });
  await record(server.url, "POST", meetingAdd, { authorization: bearer, body: "{" });
  await record(server.url, "POST", "/v2/webinars/1/registrants", { authorization: bearer, body: JSON.stringify(person(3)) });
  const firstPage = await record(server.url, "GET", `${meetingAdd}?page_size=1`, { authorization: bearer });
  const { next_page_token: nextPageToken } = JSON.parse(firstPage.body) as { next_page_token: string };
  await record(server.url, "GET", `${meetingAdd}?page_size=1&next_page_token=${nextPageToken}`, { authorization: bearer });
  await record(server.url, "GET", `/v2/meetings/${defaultEventIds.recurringMeeting}`, { authorization: bearer });
  await record(server.url, "GET", `/v2/webinars/${defaultEventIds.webinar}/registrants/questions`, { authorization: bearer });
  await record(server.url, "GET", "/v2/users/me", { authorization: bearer });
  await record(server.url, "GET", "/v2/users/me");
  await record(server.url, "GET", "/__fake/ledger");
  await record(server.url, "POST", "/__fake/reset");
  return answers;
}

describe("startFakeZoom (node:http)", () => {
  it("serves a token whose api_url leads back to the same server", async () => {
    const server = await started(startFakeZoom);
    const answer = await send(server.url, "POST", `/oauth/token?${tokenQuery}`, { authorization: basicAuth(clientId, clientSecret) });
    expect([answer.status, (JSON.parse(answer.body) as { api_url: string }).api_url]).toEqual([200, server.url]);
  });

  it("listens on 127.0.0.1 and names its API and token URLs", async () => {
    const server = await started(startFakeZoom);
    expect([server.url, server.apiUrl, server.oauthUrl]).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
      `${server.url}/v2`,
      `${server.url}/oauth/token`,
    ]);
  });

  it("registers over HTTP and shows it in the ledger over HTTP", async () => {
    const server = await started(startFakeZoom);
    const token = JSON.parse((await send(server.url, "POST", `/oauth/token?${tokenQuery}`, { authorization: basicAuth(clientId, clientSecret) })).body) as { access_token: string };
    const added = await send(server.url, "POST", meetingAdd, { authorization: `Bearer ${token.access_token}`, body: JSON.stringify(person(1)) });
    const ledger = JSON.parse((await send(server.url, "GET", "/__fake/ledger")).body) as { events: Record<string, Record<string, { registered: boolean }>> };
    expect([added.status, ledger.events[`meeting:${defaultEventIds.meeting}`]?.["person1@example.com"]?.registered]).toEqual([201, true]);
  });

  it("shares its state with the returned fake", async () => {
    const server = await started(startFakeZoom);
    await send(server.url, "POST", `/oauth/token?${tokenQuery}`, { authorization: basicAuth(clientId, clientSecret) });
    expect(server.fake.ledger().totals.tokensIssued).toBe(1);
  });
});

describe("the msw adapter", () => {
  it("answers a whole session exactly as the plain adapter does", async () => {
    const [plain, msw] = await Promise.all([started(startFakeZoom), started(startMswFakeZoom)]);
    const plainAnswers = await session(plain);
    const mswAnswers = await session(msw);
    expect(plainAnswers.map((answer) => answer.status)).toEqual([200, 400, 201, 201, 201, 201, 429, 400, 400, 404, 200, 200, 200, 200, 404, 401, 200, 200]);
    expect(mswAnswers).toEqual(plainAnswers);
  });

  it("answers on Zoom's own hosts in-process when no baseUrl is given", async () => {
    const fake = new FakeZoom({ clock: new ManualClock(startMs) });
    const handlers = fakeZoomHandlers(fake);
    const tokenResponse = await getResponse(
      handlers,
      new Request(`https://zoom.us/oauth/token?${tokenQuery}`, { method: "POST", headers: { authorization: basicAuth(clientId, clientSecret) } }),
    );
    const { access_token: accessToken } = (await tokenResponse?.json()) as { access_token: string };
    const meeting = await getResponse(
      handlers,
      new Request(`https://api.zoom.us/v2/meetings/${defaultEventIds.meeting}`, { headers: { authorization: `Bearer ${accessToken}` } }),
    );
    expect(meeting?.status).toBe(200);
  });

  it("leaves requests to other paths to other handlers", async () => {
    const handlers = fakeZoomHandlers(new FakeZoom());
    expect(await getResponse(handlers, new Request("https://example.com/other"))).toBeUndefined();
  });
});
