import type { MockAgent } from "undici";
import { describe, expect, it } from "vitest";
import { mockAgentEachTest } from "../../helpers/mock-agent.js";
import type { TokenProvider } from "../../../src/auth/token-provider.js";
import { AuthError } from "../../../src/errors.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { ZoomClient } from "../../../src/zoom/client.js";

const ORIGIN = "https://api.zoom.us";
const tokens: TokenProvider = {
  scheme: "s2s",
  getToken: () => Promise.resolve("token-1"),
  invalidate: () => undefined,
  apiBaseUrl: () => undefined,
  tokenInfo: () => undefined,
};

let agent: MockAgent;
mockAgentEachTest((fresh) => (agent = fresh));

function client(): ZoomClient {
  return new ZoomClient({ baseUrl: () => `${ORIGIN}/v2`, tokens, dispatcher: agent, clock: new ManualClock(0) });
}

function answer(path: string, status: number, body: unknown): void {
  agent.get(ORIGIN).intercept({ path, method: "GET" }).reply(status, JSON.stringify(body), { headers: { "content-type": "application/json" } });
}

describe("ZoomClient.getRegistrationQuestions", () => {
  it("reads a webinar's form in Zoom's shape, filling in what Zoom leaves out", async () => {
    answer("/v2/webinars/81234567890/registrants/questions", 200, {
      questions: [{ field_name: "city", required: true }, { field_name: "org" }],
      custom_questions: [
        { title: "Dietary needs", type: "short", required: false },
        { title: "T-shirt size", type: "single_radio", required: true, answers: ["S", "M", "L"] },
      ],
    });
    await expect(client().getRegistrationQuestions({ kind: "webinar", id: "81234567890" })).resolves.toEqual({
      questions: [
        { field_name: "city", required: true },
        { field_name: "org", required: false },
      ],
      custom_questions: [
        { title: "Dietary needs", type: "short", required: false, answers: [] },
        { title: "T-shirt size", type: "single_radio", required: true, answers: ["S", "M", "L"] },
      ],
    });
  });

  it("reads an event without a form as two empty lists", async () => {
    answer("/v2/meetings/85746065/registrants/questions", 200, {});
    await expect(client().getRegistrationQuestions({ kind: "meeting", id: "85746065" })).resolves.toEqual({ questions: [], custom_questions: [] });
  });

  it.each([
    ["questions that are not a list", { questions: "city" }, /questions that are not a list/],
    ["a standard question without a field_name", { questions: [{ required: true }] }, /questions\[0\] lacks a field_name/],
    ["a custom question without a title", { custom_questions: [{ type: "short" }, { title: "" }] }, /custom_questions\[0\] lacks a title/],
  ])("reports %s as wrong data rather than skipping a question", async (_what, body, message) => {
    answer("/v2/meetings/85746065/registrants/questions", 200, body);
    await expect(client().getRegistrationQuestions({ kind: "meeting", id: "85746065" })).rejects.toMatchObject({ name: "ApiError", message });
  });

  it("passes Zoom's 4711 on as an AuthError naming the scopes", async () => {
    answer("/v2/meetings/85746065/registrants/questions", 400, {
      code: 4711,
      message: "Invalid access token, does not contain scopes:[meeting:read:list_registration_questions, meeting:read:list_registration_questions:admin].",
    });
    const failure = await client().getRegistrationQuestions({ kind: "meeting", id: "85746065" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).message).toContain("meeting:read:list_registration_questions:admin");
  });
});
