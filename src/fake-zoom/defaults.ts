import type { FakeCredentials, FakeRegistrationQuestions, FakeZoomEvent } from "./types.js";

/** Public, made-up credentials: printing them is fine, they open nothing but the fake. */
export const defaultFakeCredentials: Readonly<FakeCredentials> = Object.freeze({
  accountId: "fake-account",
  clientId: "fake-client-id",
  clientSecret: "fake-client-secret",
  apiKey: "fake-api-key",
  apiSecret: "fake-api-secret",
});

/** Zoom's S2S token lifetime (`expires_in: 3600`, docs/zoom-facts.md "Authentication"). */
export const defaultTokenTtlSeconds = 3600;

/** "A registrant may be added at most 3 times a day" (docs/zoom-facts.md, "Rate limits"). */
export const defaultRegistrantDailyAddLimit = 3;

/** "Status changes: 10 a day per registrant" (docs/zoom-facts.md, "Rate limits"). */
export const defaultRegistrantDailyStatusChangeLimit = 10;

/** "A meeting holds at most 4,999 registrants (code 3043 past capacity)" (docs/zoom-facts.md). */
export const meetingRegistrantCapacity = 4999;

/** Ids and times of the default events, named so tests and the demo need not repeat the digits. */
export const defaultEventIds = Object.freeze({
  /** Type 2, approves automatically: the meeting id of the OpenAPI doc's examples. */
  meeting: "85746065",
  /** Type 5, approves automatically. */
  webinar: "81234567890",
  /** Type 8 with two weekly occurrences. */
  recurringMeeting: "87654321098",
  /** Type 2, the host approves by hand (approval_type 1). */
  manualApprovalMeeting: "89876543210",
});

/**
 * The form of every default event: one optional short custom question, the one the sample files in
 * fixtures/ answer (`question: Dietary needs`). Adds are checked against the form, so an event with
 * no custom question would refuse those rows.
 */
function defaultRegistrationQuestions(): FakeRegistrationQuestions {
  return { questions: [], custom_questions: [{ title: "Dietary needs", type: "short", required: false }] };
}

/** Fresh copies each call, so no caller can change another's defaults. */
export function defaultFakeEvents(): FakeZoomEvent[] {
  return withForm([
    {
      kind: "meeting",
      id: defaultEventIds.meeting,
      type: 2,
      topic: "zoomreg demo meeting",
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-15T17:00:00Z",
    },
    {
      kind: "webinar",
      id: defaultEventIds.webinar,
      type: 5,
      topic: "zoomreg demo webinar",
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-15T17:00:00Z",
    },
    {
      kind: "meeting",
      id: defaultEventIds.recurringMeeting,
      type: 8,
      topic: "zoomreg weekly office hours",
      approvalType: 0,
      hostEmail: "host@example.com",
      startTime: "2030-01-08T16:00:00Z",
      occurrences: [
        { occurrence_id: String(Date.parse("2030-01-08T16:00:00Z")), start_time: "2030-01-08T16:00:00Z", duration: 60 },
        { occurrence_id: String(Date.parse("2030-01-15T16:00:00Z")), start_time: "2030-01-15T16:00:00Z", duration: 60 },
      ],
    },
    {
      kind: "meeting",
      id: defaultEventIds.manualApprovalMeeting,
      type: 2,
      topic: "zoomreg meeting with host approval",
      approvalType: 1,
      hostEmail: "host@example.com",
      startTime: "2030-01-15T17:00:00Z",
    },
  ]);
}

function withForm(events: FakeZoomEvent[]): FakeZoomEvent[] {
  return events.map((event) => ({ ...event, registrationQuestions: defaultRegistrationQuestions() }));
}
