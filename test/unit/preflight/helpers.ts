import { ApiError, AuthError, RateLimitError } from "../../../src/errors.js";
import type { AddBatchResult, AddRegistrantResult, EventInfo, ListRegistrantsResult, ListedRegistrant, RegistrationQuestions } from "../../../src/zoom/client.js";

/** Zoom's error answer as the client throws it. */
export function zoomError(status: number, code: number | undefined, zoomMessage: string, path = "/meetings/85746065"): ApiError {
  return new ApiError({ method: "GET", path, status, code, zoomMessage, trackingId: undefined });
}

/** What the client throws for a 4711: an AuthError whose cause holds Zoom's message. */
export function scopeError(scopes: readonly string[], path = "/meetings/85746065/registrants/questions"): AuthError {
  const cause = zoomError(400, 4711, `Invalid access token, does not contain scopes:[${scopes.join(", ")}].`, path);
  return new AuthError(`GET ${path} refused the access token: 400 code 4711 ${cause.zoomMessage}`, 400, 4711, { cause, hint: "add the scopes" });
}

export function invalidTokenError(): AuthError {
  return new AuthError("GET /meetings/85746065 refused the access token: 401 code 124 Invalid access token.", 401, 124);
}

export function perSecondLimit(): RateLimitError {
  return new RateLimitError({ method: "GET", path: "/meetings/85746065", status: 429, code: 429, zoomMessage: "You have reached the maximum per-second rate limit for this API.", trackingId: undefined }, "qps", undefined);
}

/** `GET /meetings/{id}` as the client returns it. */
export function meetingInfo(overrides: { type?: number; approvalType?: number; topic?: string; raw?: Record<string, unknown> } = {}): EventInfo {
  const type = overrides.type ?? 2;
  const approvalType = overrides.approvalType ?? 0;
  const raw = {
    id: 85746065,
    type,
    topic: overrides.topic ?? "Launch",
    host_email: "host@example.com",
    start_time: "2030-01-15T17:00:00Z",
    duration: 60,
    settings: { approval_type: approvalType, registration_type: 1 },
    ...overrides.raw,
  };
  return { type, approvalType, registrationType: 1, topic: overrides.topic ?? "Launch", raw };
}

type Answer<T> = { value: T } | { error: Error };
/** One answer for every call, or a list answered call by call whose last answer then stays. */
type Answers<T> = Answer<T> | readonly Answer<T>[];

/** A stand-in for ZoomClient: each call answers as told (or as an open meeting with no form) and is recorded. */
export class StubClient {
  readonly calls: string[] = [];
  constructor(
    private readonly answers: {
      getEvent?: Answers<EventInfo>;
      getRegistrationQuestions?: Answers<RegistrationQuestions>;
      listRegistrants?: Answers<ListRegistrantsResult>;
      addRegistrant?: Answers<AddRegistrantResult>;
      addBatchRegistrants?: Answers<AddBatchResult>;
      updateRegistrantStatus?: Answers<{ status: number; trackingId: string | undefined }>;
      getRegistrant?: Answers<ListedRegistrant & { trackingId: string | undefined }>;
      deleteRegistrant?: Answers<{ status: number; trackingId: string | undefined }>;
    } = {},
  ) {}

  private answer<T>(name: string, answers: Answers<T> | undefined, fallback: T): Promise<T> {
    const nth = this.calls.filter((call) => call === name).length;
    this.calls.push(name);
    const answer = Array.isArray(answers) ? (answers as readonly Answer<T>[])[Math.min(nth, answers.length - 1)] : (answers as Answer<T> | undefined);
    if (answer === undefined) return Promise.resolve(fallback);
    return "error" in answer ? Promise.reject(answer.error) : Promise.resolve(answer.value);
  }

  getEvent(): Promise<EventInfo> {
    return this.answer("getEvent", this.answers.getEvent, meetingInfo());
  }
  getRegistrationQuestions(): Promise<RegistrationQuestions> {
    return this.answer("getRegistrationQuestions", this.answers.getRegistrationQuestions, { questions: [], custom_questions: [] });
  }
  listRegistrants(): Promise<ListRegistrantsResult> {
    return this.answer("listRegistrants", this.answers.listRegistrants, { registrants: [], nextPageToken: undefined, totalRecords: 0, trackingId: undefined });
  }
  /** Zoom's answer to the empty probe, by default: the body is refused, the event is open. */
  addRegistrant(): Promise<AddRegistrantResult> {
    return this.answer("addRegistrant", this.answers.addRegistrant ?? { error: zoomError(400, 300, "Validation Failed.", "/meetings/85746065/registrants") }, undefined as never);
  }
  addBatchRegistrants(): Promise<AddBatchResult> {
    return this.answer("addBatchRegistrants", this.answers.addBatchRegistrants ?? { error: zoomError(400, 300, "Validation Failed.", "/meetings/85746065/batch_registrants") }, undefined as never);
  }
  /** Nobody named: 204, nothing changed. */
  updateRegistrantStatus(): Promise<{ status: number; trackingId: string | undefined }> {
    return this.answer("updateRegistrantStatus", this.answers.updateRegistrantStatus, { status: 204, trackingId: undefined });
  }
  /** The probe's id is nobody's: Zoom's 3079, by default. */
  getRegistrant(): Promise<ListedRegistrant & { trackingId: string | undefined }> {
    return this.answer("getRegistrant", this.answers.getRegistrant ?? { error: zoomError(400, 3079, "This registrant does not exist: zoomreg-check-no-such-registrant.", "/meetings/85746065/registrants/x") }, undefined as never);
  }
  deleteRegistrant(): Promise<{ status: number; trackingId: string | undefined }> {
    return this.answer("deleteRegistrant", this.answers.deleteRegistrant ?? { error: zoomError(400, 300, "The value that you entered for the Registrant ID field is invalid. Enter a valid value and try again.", "/meetings/85746065/registrants/x") }, undefined as never);
  }
}
