/**
 * Which route a method and path are: a pure function, so the table is tested on its own and a later
 * route (batch add, status change) is one more row. Labels follow the facts page's endpoint table.
 */
import type { EventKind, RouteMatch } from "./types.js";

const eventCollections: Record<string, EventKind> = { meetings: "meeting", webinars: "webinar" };

export function matchRoute(method: string, pathname: string): RouteMatch {
  const upper = method.toUpperCase();
  // Zoom's gateway does not care about one trailing slash; neither do we.
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;

  if (path === "/oauth/token") {
    return upper === "POST" ? { name: "token", template: "POST /oauth/token", label: undefined } : notFound(upper);
  }
  if (path === "/__fake/ledger" && upper === "GET") return { name: "ledger", template: "GET /__fake/ledger", label: undefined };
  if (path === "/__fake/reset" && upper === "POST") return { name: "reset", template: "POST /__fake/reset", label: undefined };
  if (path !== "/v2" && !path.startsWith("/v2/")) return notFound(upper);

  // ["", "v2", "meetings", "{id}", "registrants", "questions"]
  const segments = path.split("/");
  const kind = eventCollections[segments[2] ?? ""];
  const eventId = segments[3];
  if (kind === undefined || eventId === undefined || eventId === "") return unknownApi(upper);
  const param = kind === "meeting" ? "{meetingId}" : "{webinarId}";
  const base = `/v2/${kind}s/${param}`;
  const event = { kind, eventId };

  if (segments.length === 4 && upper === "GET") {
    return { name: "getEvent", template: `GET ${base}`, label: "Light", ...event };
  }
  if (segments.length === 5 && segments[4] === "registrants") {
    if (upper === "POST") return { name: "addRegistrant", template: `POST ${base}/registrants`, label: "Light", ...event };
    if (upper === "GET") return { name: "listRegistrants", template: `GET ${base}/registrants`, label: "Medium", ...event };
  }
  if (segments.length === 6 && segments[4] === "registrants" && segments[5] === "questions" && upper === "GET") {
    return { name: "registrationQuestions", template: `GET ${base}/registrants/questions`, label: "Light", ...event };
  }
  return unknownApi(upper);
}

function unknownApi(method: string): RouteMatch {
  return { name: "unknownApi", template: `${method} /v2/*`, label: undefined };
}

function notFound(method: string): RouteMatch {
  return { name: "notFound", template: `${method} *`, label: undefined };
}
