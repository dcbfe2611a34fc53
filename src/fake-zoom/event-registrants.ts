/**
 * One event's registration desk: its registrants, each email's add attempts, and the paging tokens of
 * its list. The route handlers for a known event live here; the core finds the event and checks auth.
 */
import type { DailyCounter } from "./counters.js";
import type { IdSource } from "./random.js";
import {
  batchNotSupported,
  capacityReached,
  capacityReachedWithCode,
  eventOver,
  hostCannotRegister,
  jsonResponse,
  malformedBody,
  noContent,
  registrantDailyLimitReached,
  registrantStatusDailyLimitReached,
  registrationNotEnabled,
  registrantNotFound,
  registrationNotRequired,
  registrationOff,
  validationFailed,
  zoomError,
} from "./responses.js";
import {
  parseJsonObject,
  questionErrors,
  validateBatchBody,
  validateRegistrantBody,
  validateStatusBody,
  type RegistrantInput,
  type StatusAction,
} from "./validation.js";
import type { CancelledListing, FakeEventChange, FakeLedgerEntry, FakeResponse, FakeZoomEvent, HostAction, Reapproval } from "./types.js";

/** `cancelled`: cancelled after approval; shown as `denied` (the document's enum has no "cancelled"). */
export type RegistrantStatus = "approved" | "pending" | "denied" | "cancelled";

/** The statuses Zoom's list and GET speak of. */
type ShownStatus = "approved" | "pending" | "denied";

interface StoredRegistrant {
  id: string;
  email: string;
  input: RegistrantInput;
  status: RegistrantStatus;
  createTimeMs: number;
  /** Made at registration; shown once approved. */
  joinUrl: string;
  /** Meetings only: the 201 and list schemas carry it for meetings, not webinars. */
  pinCode: number | undefined;
  occurrenceIds: readonly string[];
}

export interface RegistrantsSettings {
  ids: IdSource;
  /**
   * Adds per email per UTC day, keyed by lower-case email: this event's own counter (`perEvent`) or
   * one shared by every event of the fake (`acrossEvents`).
   */
  addLimiter: DailyCounter;
  /** Status changes per registrant per UTC day, keyed by registrant id; this event's own. */
  statusLimiter: DailyCounter;
  /** Undefined: no limit. The desk's starting capacity: `apply` may change it. */
  capacity: number | undefined;
  /** Where cancelled registrations show: the `denied` list, or none (FakeZoomOptions.cancelledListing). */
  cancelledListing: CancelledListing;
  /** What `approve` does to a denied or cancelled registrant (FakeZoomOptions.reapproval). */
  reapproval: Reapproval;
}

/** Called with the kind of each 429 the desk answers (`registrant-daily`, `status-daily`). */
export type OnRateLimited = (kind: string) => void;

/** "token lives 15 min" (docs/zoom-facts.md, endpoint table). */
const pageTokenTtlMs = 15 * 60_000;

/** `page_size` defaults to 30, maximum 300 (OpenAPI doc, list registrants). */
const defaultPageSize = 30;
const maxPageSize = 300;

const listStatuses: readonly string[] = ["approved", "pending", "denied"];

/**
 * The list operation's enum for `no_of_employees` differs from the add's (docs/zoom-facts.md: "a value that
 * round-trips cannot satisfy both"); a stored value the list schema rejects is left out of the list.
 */
const listNoOfEmployees: readonly string[] = ["", "1-20", "21-50", "51-100", "101-250", "251-500", "501-1,000", "1,001-5,000", "5,001-10,000", "More than 10,000"];

/** Fields a list item echoes back: the list schema's registrant properties. */
const listedFields = [
  "last_name",
  "address",
  "city",
  "state",
  "zip",
  "country",
  "phone",
  "comments",
  "industry",
  "job_title",
  "org",
  "purchasing_time_frame",
  "role_in_purchase_process",
] as const;

/** Zoom writes times without milliseconds: `2030-01-15T17:00:00Z`. */
export function zoomTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isRecurring(event: FakeZoomEvent): boolean {
  return event.type === 8 || event.type === 9;
}

export class EventRegistrants {
  private readonly byEmail = new Map<string, StoredRegistrant>();
  /** The same registrants by id: `GET .../registrants/{registrantId}` and status changes find them in O(1). */
  private readonly byId = new Map<string, StoredRegistrant>();
  private readonly inOrder: StoredRegistrant[] = [];
  /** Every add of each lower-case email that reached the daily-limit check, over all days (the ledger's). */
  private readonly attempts = new Map<string, number>();
  private readonly pageTokens = new Map<string, { status: RegistrantStatus; offset: number; expiresAtMs: number }>();
  /** Registrants that take a seat (not denied): counted, not filtered, so a full meeting stays cheap. */
  private heldCount = 0;
  /** Seats the event holds; undefined: no limit. */
  private capacity: number | undefined;

  /** `event` becomes the desk's own: `apply` changes it, so pass a copy of anything kept elsewhere. */
  constructor(
    readonly event: FakeZoomEvent,
    private readonly settings: RegistrantsSettings,
  ) {
    this.capacity = settings.capacity;
  }

  /** A host's change while the fake runs; the next request sees it (and `GET` the event reports it). */
  apply(change: FakeEventChange): void {
    const { event } = this;
    if (change.approvalType !== undefined) event.approvalType = change.approvalType;
    if (change.over !== undefined) event.over = change.over;
    if (change.capacity !== undefined) this.capacity = change.capacity;
  }

  /** The event's settings that `apply` can change, as JSON (null capacity: no limit). */
  changeableSettings(): { approvalType: 0 | 1 | 2; capacity: number | null; over: boolean } {
    return { approvalType: this.event.approvalType, capacity: this.capacity ?? null, over: this.event.over === true };
  }

  /**
   * `POST /v2/{meetings|webinars}/{id}/registrants`. Order of checks: registration, over, body, the
   * event's form, host, occurrences, the registrant's daily limit, already registered, capacity.
   */
  add(body: string, query: URLSearchParams, nowMs: number, onRateLimited: OnRateLimited): FakeResponse {
    const { event } = this;
    if (event.approvalType === 2) return registrationNotRequired(event.kind, event.id);
    if (event.over === true) return eventOver(event.kind);
    const parsed = parseJsonObject(body);
    if (parsed === undefined) return malformedBody();
    const validated = validateRegistrantBody(event.kind, parsed);
    if (!validated.ok) return validationFailed(validated.errors);
    const input = validated.value;
    const formErrors = questionErrors(event.registrationQuestions, input);
    if (formErrors.length > 0) return validationFailed(formErrors);
    const emailKey = input.email.toLowerCase();
    if (emailKey === event.hostEmail.toLowerCase()) return hostCannotRegister();

    const occurrenceIds = this.chosenOccurrences(query.get("occurrence_ids"));
    if (occurrenceIds === undefined) {
      // Unconfirmed wording: the doc names no error for an unknown occurrence id.
      return validationFailed([{ field: "occurrence_ids", message: "Invalid field." }]);
    }

    // Every attempt that gets this far spends one of the day's adds, a repeat of a registered email
    // included: "A retry that Zoom already executed still spends one of the three" (docs/zoom-facts.md).
    this.attempts.set(emailKey, (this.attempts.get(emailKey) ?? 0) + 1);
    const { addLimiter } = this.settings;
    if (!addLimiter.spendOne(emailKey, nowMs)) {
      onRateLimited("registrant-daily");
      return registrantDailyLimitReached(addLimiter.limitPerDay, input.email);
    }

    // The same email again gets the same registrant (docs/zoom-facts.md: "reported to return the existing
    // registrant_id and join_url"), whatever its status and whatever this body says.
    const existing = this.byEmail.get(emailKey);
    if (existing !== undefined) return jsonResponse(201, this.addAnswer(existing));

    if (this.capacity !== undefined && this.heldCount >= this.capacity) return capacityReached(event.kind);

    const approved = event.approvalType === 0 || (event.kind === "meeting" && input.autoApprove);
    return jsonResponse(201, this.addAnswer(this.register(input, approved, occurrenceIds, nowMs)));
  }

  /**
   * `POST .../batch_registrants` (docs/zoom-facts.md, endpoint table; OpenAPI doc `addBatchRegistrants`,
   * `addBatchWebinarRegistrants`). All or nothing, which no source settles (unconfirmed): when one
   * person has spent the day's adds the whole batch gets that person's 429 and no count moves; past
   * capacity it gets 3043. Otherwise each person spends one add, as a single add would.
   */
  batchAdd(body: string, nowMs: number, onRateLimited: OnRateLimited): FakeResponse {
    const { event } = this;
    // "meeting type 2 / webinar type 5 only (else code 303 / 300)" (docs/zoom-facts.md).
    if (event.type !== 2 && event.type !== 5) return batchNotSupported(event.kind);
    if (event.approvalType === 2) return registrationOff(event.kind, event.id, event.kind === "meeting" ? 404 : 3000);
    if (event.over === true) return eventOver(event.kind);
    const parsed = parseJsonObject(body);
    if (parsed === undefined) return malformedBody();
    const validated = validateBatchBody(event.kind, parsed);
    if (!validated.ok) return validationFailed(validated.errors);
    const { people, autoApprove } = validated.value;
    const hostKey = event.hostEmail.toLowerCase();
    if (people.some((person) => person.email.toLowerCase() === hostKey)) return hostCannotRegister();

    const emailKeys = [...new Set(people.map((person) => person.email.toLowerCase()))];
    for (const emailKey of emailKeys) this.attempts.set(emailKey, (this.attempts.get(emailKey) ?? 0) + 1);
    const { addLimiter } = this.settings;
    const { capacity } = this;
    const spent = people.find((person) => !addLimiter.allows(person.email.toLowerCase(), nowMs));
    if (spent !== undefined) {
      onRateLimited("registrant-daily");
      return registrantDailyLimitReached(addLimiter.limitPerDay, spent.email);
    }
    const newcomers = emailKeys.filter((emailKey) => !this.byEmail.has(emailKey)).length;
    if (capacity !== undefined && this.heldCount + newcomers > capacity) return capacityReachedWithCode(event.kind, 3043);

    for (const emailKey of emailKeys) addLimiter.spend(emailKey, nowMs);
    const approved = event.approvalType === 0 || autoApprove;
    const allOccurrences = (event.occurrences ?? []).map((occurrence) => occurrence.occurrence_id);
    const registrants = people.map((person) => {
      const registrant =
        this.byEmail.get(person.email.toLowerCase()) ??
        this.register({ email: person.email, first_name: person.first_name, fields: person.last_name === undefined ? {} : { last_name: person.last_name }, custom_questions: [], autoApprove }, approved, allOccurrences, nowMs);
      const answer: Record<string, unknown> = { email: person.email, registrant_id: registrant.id };
      if (registrant.status === "approved") answer.join_url = registrant.joinUrl;
      if (registrant.pinCode !== undefined) answer.participant_pin_code = registrant.pinCode;
      return answer;
    });
    // 201 as the doc says ("an older edition said 200", docs/zoom-facts.md).
    return jsonResponse(201, { registrants });
  }

  /**
   * `PUT .../registrants/status` `{action, registrants: [{id, email}]}` -> 204. approve: pending ->
   * approved, and denied or cancelled -> approved as `reapproval` says (a seat again, so capacity
   * applies); cancel ("cancel previously approved") -> cancelled; deny -> denied. Registrants the event
   * does not know are skipped (unconfirmed: no source says what Zoom answers). Each named registrant
   * spends one of the day's status changes, all or nothing.
   */
  updateStatus(body: string, nowMs: number, onRateLimited: OnRateLimited): FakeResponse {
    const { event } = this;
    if (event.approvalType === 2) return registrationOff(event.kind, event.id, event.kind === "meeting" ? 3000 : 300);
    const parsed = parseJsonObject(body);
    if (parsed === undefined) return malformedBody();
    const validated = validateStatusBody(parsed);
    if (!validated.ok) return validationFailed(validated.errors);
    const { action, registrants: named } = validated.value;

    const targets = new Set<StoredRegistrant>();
    for (const { id, email } of named) {
      const found = id !== undefined ? this.byId.get(id) : this.byEmail.get((email ?? "").toLowerCase());
      if (found !== undefined) targets.add(found);
    }
    const { statusLimiter } = this.settings;
    const { capacity } = this;
    for (const registrant of targets) {
      if (!statusLimiter.allows(registrant.id, nowMs)) {
        onRateLimited("status-daily");
        return registrantStatusDailyLimitReached(statusLimiter.limitPerDay, registrant.email);
      }
    }
    const removed = action === "approve" ? [...targets].filter((registrant) => !holdsSeat(registrant.status)) : [];
    // Unconfirmed (docs/zoom-facts.md, "Bringing people back"): Zoom may refuse to approve a removed registrant.
    if (removed.length > 0 && this.settings.reapproval === "refuses") return reapprovalRefused(removed[0]?.email ?? "");
    const seatsNeeded = this.settings.reapproval === "ignores" ? 0 : removed.length;
    if (capacity !== undefined && seatsNeeded > 0 && this.heldCount + seatsNeeded > capacity) {
      return event.kind === "meeting" ? capacityReached("meeting") : capacityReachedWithCode("webinar", 3035);
    }
    for (const registrant of targets) {
      statusLimiter.spend(registrant.id, nowMs);
      // `ignores`: answered 204 like the rest, and the registrant stays as they were.
      if (action === "approve" && !holdsSeat(registrant.status) && this.settings.reapproval === "ignores") continue;
      this.changeStatus(registrant, action);
    }
    return noContent();
  }

  /**
   * `DELETE .../registrants/{registrantId}` (the doc's `meetingregistrantdelete`, `deleteWebinarRegistrant`):
   * 204, and the email may register afresh (a new id and join_url). The day's adds already spent stay
   * spent. Errors as the doc lists them: registration off (meeting 300, webinar 3000), an unknown id
   * (meeting 300 "Registrant ID field is invalid", webinar 3000 "Registrant {id} was not found").
   */
  delete(registrantId: string): FakeResponse {
    const { event } = this;
    if (event.approvalType === 2) return event.kind === "meeting" ? zoomError(400, 300, `Registration has not been enabled for this meeting: ${event.id}.`) : registrationNotEnabled(event.kind, event.id);
    const found = this.byId.get(registrantId);
    if (found === undefined) {
      return event.kind === "meeting"
        ? zoomError(400, 300, "The value that you entered for the Registrant ID field is invalid. Enter a valid value and try again.")
        : zoomError(400, 3000, `Registrant ${registrantId} was not found.`);
    }
    this.remove(found);
    return noContent();
  }

  /**
   * What a host does by hand in Zoom's web portal: approve, deny, cancel or delete one registrant by
   * email, with none of the API's limits. False when the event has no such registrant.
   */
  hostChanges(email: string, action: HostAction): boolean {
    const found = this.byEmail.get(email.toLowerCase());
    if (found === undefined) return false;
    if (action === "delete") this.remove(found);
    else this.changeStatus(found, action);
    return true;
  }

  /** `GET .../registrants?status=&page_size=&next_page_token=` (also the legacy `page_number`). */
  list(query: URLSearchParams, nowMs: number): FakeResponse {
    const status = query.get("status") ?? "approved";
    if (!listStatuses.includes(status)) return validationFailed([{ field: "status", message: "Invalid field." }]);
    const pageSizeParam = query.get("page_size");
    const requestedPageSize = pageSizeParam === null || pageSizeParam === "" ? defaultPageSize : Number(pageSizeParam);
    if (!Number.isInteger(requestedPageSize) || requestedPageSize < 1) {
      return validationFailed([{ field: "page_size", message: "Invalid field." }]);
    }
    // Zoom serves at most 300 a page; asking for more is not an error, it is capped.
    const pageSize = Math.min(requestedPageSize, maxPageSize);

    let offset = 0;
    const token = query.get("next_page_token");
    if (token !== null && token !== "") {
      const saved = this.pageTokens.get(token);
      if (saved === undefined || saved.expiresAtMs <= nowMs || saved.status !== status) {
        return zoomError(400, 300, "The next page token is invalid or expired.");
      }
      offset = saved.offset;
    } else {
      const pageNumber = Number(query.get("page_number") ?? "1");
      if (Number.isInteger(pageNumber) && pageNumber > 1) offset = (pageNumber - 1) * pageSize;
    }

    const matching = this.inOrder.filter((registrant) => this.listedAs(registrant) === status);
    const page = matching.slice(offset, offset + pageSize);
    const nextOffset = offset + page.length;
    let nextPageToken = "";
    if (nextOffset < matching.length) {
      nextPageToken = this.settings.ids.pageToken();
      this.prunePageTokens(nowMs);
      this.pageTokens.set(nextPageToken, { status: status as RegistrantStatus, offset: nextOffset, expiresAtMs: nowMs + pageTokenTtlMs });
    }
    return jsonResponse(200, {
      page_count: Math.ceil(matching.length / pageSize),
      page_number: Math.floor(offset / pageSize) + 1,
      page_size: pageSize,
      total_records: matching.length,
      next_page_token: nextPageToken,
      registrants: page.map((registrant) => this.listItem(registrant)),
    });
  }

  /**
   * `GET .../registrants/{registrantId}` (the doc's `meetingRegistrantGet`, `webinarRegistrantGet`):
   * one registrant of any status, as the list shows it. Registration off is the webinar doc's 400
   * code 3000; an id the event lacks, its 400 code 3079. The webinar's `occurrence_id` is accepted
   * and ignored (unconfirmed: the doc does not say what it changes for one registrant).
   */
  registrant(registrantId: string): FakeResponse {
    const { event } = this;
    if (event.approvalType === 2) return registrationNotEnabled(event.kind, event.id);
    const found = this.byId.get(registrantId);
    return found === undefined ? registrantNotFound(registrantId) : jsonResponse(200, this.listItem(found));
  }

  /** `GET /v2/{meetings|webinars}/{id}`: the fields the doc marks and zoomreg reads. */
  describe(): FakeResponse {
    const { event } = this;
    const body: Record<string, unknown> = {
      id: Number(event.id),
      host_email: event.hostEmail,
      topic: event.topic,
      type: event.type,
      start_time: event.startTime,
      duration: event.occurrences?.[0]?.duration ?? 60,
      timezone: "UTC",
      join_url: `https://zoom.us/j/${event.id}`,
      settings: { approval_type: event.approvalType, registration_type: event.registrationType ?? 1 },
    };
    // The doc's meeting `status` enum is `waiting | started`, with no "finished": an event that is
    // over still says `waiting` (the doc wins over inventing a value); clients learn "over" from 3038.
    // The webinar schema has no `status` at all.
    if (event.kind === "meeting") body.status = "waiting";
    if (isRecurring(event)) body.occurrences = this.occurrences(undefined);
    return jsonResponse(200, body);
  }

  /**
   * `GET .../registrants/questions`. The webinar doc answers 400 code 3000 when registration is off;
   * the meeting doc lists no such error, and the fake assumes Zoom does the same for meetings.
   */
  questions(): FakeResponse {
    const { event } = this;
    if (event.approvalType === 2) return registrationNotEnabled(event.kind, event.id);
    return jsonResponse(200, event.registrationQuestions ?? { questions: [], custom_questions: [] });
  }

  /** This event's lines of the ledger, keyed by lower-case email. */
  ledgerEntries(): Record<string, FakeLedgerEntry> {
    const entries: Record<string, FakeLedgerEntry> = {};
    for (const [emailKey, attempts] of this.attempts) {
      entries[emailKey] = { addAttempts: attempts, registered: false };
    }
    for (const [emailKey, registrant] of this.byEmail) {
      const entry: FakeLedgerEntry = {
        addAttempts: entries[emailKey]?.addAttempts ?? 0,
        registered: true,
        registrantId: registrant.id,
        status: registrant.status,
      };
      if (registrant.status === "approved") entry.joinUrl = registrant.joinUrl;
      entries[emailKey] = entry;
    }
    return entries;
  }

  private register(input: RegistrantInput, approved: boolean, occurrenceIds: readonly string[], nowMs: number): StoredRegistrant {
    const { event } = this;
    const { ids } = this.settings;
    const registrant: StoredRegistrant = {
      id: ids.registrantId(),
      email: input.email,
      input,
      status: approved ? "approved" : "pending",
      createTimeMs: nowMs,
      joinUrl: `https://zoom.us/w/${event.id}?tk=${ids.joinToken()}`,
      pinCode: event.kind === "meeting" ? ids.pinCode() : undefined,
      occurrenceIds,
    };
    this.byEmail.set(input.email.toLowerCase(), registrant);
    this.byId.set(registrant.id, registrant);
    this.inOrder.push(registrant);
    this.heldCount += 1;
    return registrant;
  }

  /** Moves a registrant between statuses, keeping the count of held seats (approved and pending). */
  private changeStatus(registrant: StoredRegistrant, action: StatusAction): void {
    const next: RegistrantStatus = action === "approve" ? "approved" : action === "cancel" ? "cancelled" : "denied";
    if (registrant.status === next) return;
    if (!holdsSeat(registrant.status) && holdsSeat(next)) this.heldCount += 1;
    if (holdsSeat(registrant.status) && !holdsSeat(next)) this.heldCount -= 1;
    registrant.status = next;
  }

  private remove(registrant: StoredRegistrant): void {
    this.byEmail.delete(registrant.email.toLowerCase());
    this.byId.delete(registrant.id);
    this.inOrder.splice(this.inOrder.indexOf(registrant), 1);
    if (holdsSeat(registrant.status)) this.heldCount -= 1;
  }

  /** The list a registrant appears in; undefined: in none (a cancelled one, when `cancelledListing` is `unlisted`). */
  private listedAs(registrant: StoredRegistrant): ShownStatus | undefined {
    if (registrant.status !== "cancelled") return registrant.status;
    return this.settings.cancelledListing === "denied" ? "denied" : undefined;
  }

  /**
   * The occurrences an add asks for: all of them when `occurrence_ids` is absent, undefined when it
   * names one the event lacks. Events that do not recur ignore the parameter.
   */
  private chosenOccurrences(occurrenceIdsParam: string | null): readonly string[] | undefined {
    const all = (this.event.occurrences ?? []).map((occurrence) => occurrence.occurrence_id);
    if (!isRecurring(this.event) || occurrenceIdsParam === null || occurrenceIdsParam.trim() === "") return all;
    const wanted = occurrenceIdsParam.split(",").map((id) => id.trim()).filter((id) => id !== "");
    return wanted.every((id) => all.includes(id)) ? wanted : undefined;
  }

  private occurrences(only: readonly string[] | undefined): { occurrence_id: string; start_time: string; duration: number; status: string }[] {
    return (this.event.occurrences ?? [])
      .filter((occurrence) => only === undefined || only.includes(occurrence.occurrence_id))
      .map((occurrence) => ({ ...occurrence, status: "available" }));
  }

  /** The 201 body: `join_url` only once approved (the doc: absent while approval is pending). */
  private addAnswer(registrant: StoredRegistrant): Record<string, unknown> {
    const { event } = this;
    const answer: Record<string, unknown> = {
      id: Number(event.id),
      registrant_id: registrant.id,
      topic: event.topic,
      start_time: event.startTime,
    };
    if (registrant.status === "approved") answer.join_url = registrant.joinUrl;
    if (isRecurring(event)) answer.occurrences = this.occurrences(registrant.occurrenceIds);
    if (registrant.pinCode !== undefined) answer.participant_pin_code = registrant.pinCode;
    return answer;
  }

  private listItem(registrant: StoredRegistrant): Record<string, unknown> {
    const { input } = registrant;
    const item: Record<string, unknown> = { id: registrant.id, email: registrant.email, first_name: input.first_name };
    for (const name of listedFields) {
      const value = input.fields[name];
      if (value !== undefined) item[name] = value;
    }
    const employees = input.fields.no_of_employees;
    if (employees !== undefined && listNoOfEmployees.includes(employees)) item.no_of_employees = employees;
    if (input.custom_questions.length > 0) item.custom_questions = input.custom_questions;
    item.status = shownStatus(registrant.status);
    item.create_time = zoomTime(registrant.createTimeMs);
    if (registrant.status === "approved") item.join_url = registrant.joinUrl;
    if (registrant.pinCode !== undefined) item.participant_pin_code = registrant.pinCode;
    return item;
  }

  private prunePageTokens(nowMs: number): void {
    if (this.pageTokens.size < 1000) return;
    for (const [token, saved] of this.pageTokens) if (saved.expiresAtMs <= nowMs) this.pageTokens.delete(token);
  }
}

function holdsSeat(status: RegistrantStatus): boolean {
  return status === "approved" || status === "pending";
}

function shownStatus(status: RegistrantStatus): ShownStatus {
  return status === "cancelled" ? "denied" : status;
}

/** `reapproval: "refuses"`: unconfirmed wording, as no source quotes Zoom's answer. */
function reapprovalRefused(email: string): FakeResponse {
  return zoomError(400, 300, `Registrant ${email} was cancelled or denied and cannot be approved again.`);
}
