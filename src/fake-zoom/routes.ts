/**
 * Which route a method and path are: a pure function, so the table is tested on its own. Labels
 * follow docs/zoom-facts.md's endpoint table; operation ids are those of Zoom's OpenAPI document, so a
 * route finds its scopes (scopes.ts) and its response schemas (the contract test) by them.
 */
import type { EventKind, RateLimitLabel, RouteMatch, RouteName } from "./types.js";

const eventCollections: Record<string, EventKind> = { meetings: "meeting", webinars: "webinar" };

/** [route, label, meeting operation, webinar operation]. */
type EventRoute = [RouteName, RateLimitLabel, string, string];

/** By method and the path below `/v2/{kind}s/{id}`. */
const eventRoutes: Record<string, EventRoute> = {
  "GET ": ["getEvent", "Light", "meeting", "webinar"],
  "POST /registrants": ["addRegistrant", "Light", "meetingRegistrantCreate", "webinarRegistrantCreate"],
  "GET /registrants": ["listRegistrants", "Medium", "meetingRegistrants", "webinarRegistrants"],
  "POST /batch_registrants": ["batchAddRegistrants", "Heavy", "addBatchRegistrants", "addBatchWebinarRegistrants"],
  "PUT /registrants/status": ["updateRegistrantStatus", "Medium", "meetingRegistrantStatus", "webinarRegistrantStatus"],
  "GET /registrants/questions": ["registrationQuestions", "Light", "meetingRegistrantsQuestionsGet", "webinarRegistrantsQuestionsGet"],
};

/** By method, for `/v2/{kind}s/{id}/registrants/{registrantId}` (the doc's `meetingRegistrantGet`, `meetingregistrantdelete` and webinar twins). */
const registrantRoutes: Record<string, EventRoute> = {
  GET: ["getRegistrant", "Light", "meetingRegistrantGet", "webinarRegistrantGet"],
  DELETE: ["deleteRegistrant", "Light", "meetingregistrantdelete", "deleteWebinarRegistrant"],
};

/** The doc's fixed paths below `/registrants`: never a registrant id, whatever the method. */
const fixedRegistrantSegments: ReadonlySet<string> = new Set(["questions", "status"]);

const fakeRoutes: Record<string, RouteName> = {
  "GET /__fake/ledger": "ledger",
  "POST /__fake/reset": "reset",
  "GET /__fake/clock": "getClock",
  "POST /__fake/clock": "setClock",
  "GET /__fake/faults": "getFaults",
  "POST /__fake/faults": "scriptFaults",
};

/** `/__fake/events/{meeting|webinar}/{id}`: the one fake route with parameters. */
const fakeEventPath = /^\/__fake\/events\/(meeting|webinar)\/([^/]+)$/;

export function matchRoute(method: string, pathname: string): RouteMatch {
  const upper = method.toUpperCase();
  // Zoom's gateway does not care about one trailing slash; neither do we.
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;

  if (path === "/oauth/token") {
    return upper === "POST" ? { name: "token", template: "POST /oauth/token", label: undefined } : notFound(upper);
  }
  const fakeRoute = fakeRoutes[`${upper} ${path}`];
  if (fakeRoute !== undefined) return { name: fakeRoute, template: `${upper} ${path}`, label: undefined };
  const fakeEvent = upper === "POST" ? fakeEventPath.exec(path) : null;
  if (fakeEvent !== null) {
    return { name: "updateEvent", template: "POST /__fake/events/{kind}/{id}", label: undefined, kind: fakeEvent[1] as EventKind, eventId: fakeEvent[2] as string };
  }
  if (path !== "/v2" && !path.startsWith("/v2/")) return notFound(upper);

  // ["", "v2", "meetings", "{id}", "registrants", "questions" | "status" | "{registrantId}"]
  const segments = path.split("/");
  const kind = eventCollections[segments[2] ?? ""];
  const eventId = segments[3];
  if (kind === undefined || eventId === undefined || eventId === "" || segments.length > 6) return unknownApi(upper);
  const rest = segments.length > 4 ? `/${segments.slice(4).join("/")}` : "";
  const fixed = eventRoutes[`${upper} ${rest}`];
  if (fixed !== undefined) return eventRouteMatch(upper, kind, eventId, rest, fixed);
  const registrantId = registrantIdOf(segments);
  const byId = registrantId === undefined ? undefined : registrantRoutes[upper];
  if (byId === undefined || registrantId === undefined) return unknownApi(upper);
  return { ...eventRouteMatch(upper, kind, eventId, "/registrants/{registrantId}", byId), registrantId };
}

function eventRouteMatch(method: string, kind: EventKind, eventId: string, rest: string, [name, label, meetingOperation, webinarOperation]: EventRoute): RouteMatch {
  const param = kind === "meeting" ? "{meetingId}" : "{webinarId}";
  return { name, template: `${method} /v2/${kind}s/${param}${rest}`, label, kind, eventId, operationId: kind === "meeting" ? meetingOperation : webinarOperation };
}

/** The `{registrantId}` of `/v2/{kind}s/{id}/registrants/{registrantId}`; undefined for any other path, `questions` and `status` included. */
function registrantIdOf(segments: readonly string[]): string | undefined {
  const [, , , , collection, last] = segments;
  if (segments.length !== 6 || collection !== "registrants" || last === undefined || last === "" || fixedRegistrantSegments.has(last)) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    // A malformed escape is still an id Zoom would look up and not find.
    return last;
  }
}

function unknownApi(method: string): RouteMatch {
  return { name: "unknownApi", template: `${method} /v2/*`, label: undefined };
}

function notFound(method: string): RouteMatch {
  return { name: "notFound", template: `${method} *`, label: undefined };
}
