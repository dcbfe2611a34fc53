import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { responseErrors } from "./contract.js";
import { api, bodyOf, fakeWithClock, issueToken, person } from "./helpers.js";

const meetingRegistrants = `/v2/meetings/${defaultEventIds.meeting}/registrants`;
const manualRegistrants = `/v2/meetings/${defaultEventIds.manualApprovalMeeting}/registrants`;

function withRegistrants(count: number, path = meetingRegistrants) {
  const { fake, clock } = fakeWithClock();
  const token = issueToken(fake);
  for (let n = 1; n <= count; n += 1) fake.handle(api(token, "POST", path, person(n)));
  const list = (query = "", listPath = path) => fake.handle(api(token, "GET", `${listPath}${query}`));
  return { fake, clock, list };
}

describe("GET /v2/meetings/{id}/registrants", () => {
  it("answers with a body that satisfies Zoom's list schema", () => {
    const { list } = withRegistrants(2);
    const response = list();
    expect(response.status).toBe(200);
    expect(responseErrors("meetingRegistrants", 200, bodyOf(response))).toBeUndefined();
  });

  it("describes each registrant with the fields a client matches on", () => {
    const { list } = withRegistrants(1);
    const [registrant] = bodyOf(list()).registrants as Record<string, unknown>[];
    expect(registrant).toMatchObject({
      id: expect.any(String) as string,
      email: "person1@example.com",
      first_name: "First1",
      last_name: "Last1",
      status: "approved",
      create_time: "2029-06-05T12:00:00Z",
      join_url: expect.stringMatching(/^https:\/\/zoom\.us\/w\//) as string,
    });
  });

  it("serves 30 a page by default and hands out a next_page_token", () => {
    const { list } = withRegistrants(31);
    const body = bodyOf(list());
    expect([body.page_size, body.total_records, (body.registrants as unknown[]).length, body.next_page_token !== ""]).toEqual([30, 31, 30, true]);
  });

  it("walks every registrant once by following next_page_token", () => {
    const { list } = withRegistrants(65);
    const emails: unknown[] = [];
    let token = "";
    for (let page = 0; page < 10; page += 1) {
      const body = bodyOf(list(`?page_size=30${token === "" ? "" : `&next_page_token=${token}`}`));
      emails.push(...(body.registrants as { email: string }[]).map((registrant) => registrant.email));
      token = body.next_page_token as string;
      if (token === "") break;
    }
    expect(emails).toEqual(Array.from({ length: 65 }, (_, i) => `person${i + 1}@example.com`));
  });

  it("ends with an empty next_page_token on the last page", () => {
    const { list } = withRegistrants(3);
    expect(bodyOf(list()).next_page_token).toBe("");
  });

  it("caps page_size at 300", () => {
    const { list } = withRegistrants(1);
    expect(bodyOf(list("?page_size=1000")).page_size).toBe(300);
  });

  it("lists approved registrants by default and pending ones on request", () => {
    const { list } = withRegistrants(2, manualRegistrants);
    expect([(bodyOf(list()).registrants as unknown[]).length, (bodyOf(list("?status=pending")).registrants as unknown[]).length]).toEqual([0, 2]);
  });

  it("leaves join_url out of a pending registrant", () => {
    const { list } = withRegistrants(1, manualRegistrants);
    const [registrant] = bodyOf(list("?status=pending")).registrants as Record<string, unknown>[];
    expect([registrant?.status, registrant?.join_url]).toEqual(["pending", undefined]);
  });

  it("refuses a next_page_token older than 15 minutes", async () => {
    const { list, clock } = withRegistrants(2);
    const token = bodyOf(list("?page_size=1")).next_page_token as string;
    await clock.advance(15 * 60_000);
    const response = list(`?page_size=1&next_page_token=${token}`);
    expect([response.status, bodyOf(response).code]).toEqual([400, 300]);
  });

  it("refuses an unknown status, naming the field", () => {
    const { list } = withRegistrants(0);
    expect(bodyOf(list("?status=maybe")).errors).toEqual([{ field: "status", message: "Invalid field." }]);
  });

  it("answers an unknown meeting with 404 code 3001", () => {
    const { list } = withRegistrants(0);
    expect(bodyOf(list("", "/v2/meetings/999/registrants"))).toEqual({ code: 3001, message: "Meeting does not exist: 999." });
  });
});

describe("GET /v2/webinars/{id}/registrants", () => {
  it("answers with a body that satisfies Zoom's webinar list schema", () => {
    const path = `/v2/webinars/${defaultEventIds.webinar}/registrants`;
    const { list } = withRegistrants(2, path);
    expect(responseErrors("webinarRegistrants", 200, bodyOf(list()))).toBeUndefined();
  });
});
