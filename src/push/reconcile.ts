import type { Logger } from "pino";
import { SlidingWindowRateGate } from "../pool/index.js";
import { emailKey } from "../registrant/index.js";
import type { Clock } from "../shared/clock.js";
import type { EventRef, ListRegistrantsResult } from "../zoom/index.js";
import { retryRead } from "../preflight/read-retry.js";
import { ListedRegistrants, type EntryTexts } from "./listed.js";

export type ListRegistrants = (
  event: EventRef,
  options: { status: "approved" | "pending" | "denied"; pageSize: number; nextPageToken?: string; signal?: AbortSignal },
) => Promise<ListRegistrantsResult>;

/** Zoom's largest page (docs/zoom-facts.md: `page_size<=300`); fewer pages, fewer Medium-label requests. */
const pageSize = 300;

/**
 * The share of the Medium limit list pages are paced at: a page that reaches Zoom later than the next
 * one (a new connection, a busy loop) must not put a 21st request into one of Zoom's seconds.
 */
const listShareOfMedium = 0.9;

type ListedStatus = "approved" | "pending" | "denied";
const statuses: readonly ListedStatus[] = ["approved", "pending", "denied"];

/**
 * Everyone already registered for the event, in all three statuses, every page: people complain that
 * tools take the first page (30) for the whole list (PEERS.md). Listing first is what lets a nightly
 * run add only who is new, without spending anyone's daily adds on a repeat.
 *
 * Denied registrants count as existing: adding them again would undo the host's decision.
 *
 * Pages are paced under the plan's Medium limit (`ratePerSecond`), evenly: back to back, a re-run's 600
 * pages went past Pro's 20 a second and met 429s every night (issue 18). The first page of each status
 * goes at once, the three side by side (three requests are far under any plan's limit, and a small
 * event's list is then one round trip, not 100 ms of pacing: issue 19); the pages after them are paced,
 * counting those three.
 */
export async function listExisting(
  list: ListRegistrants,
  event: EventRef,
  context: {
    clock: Clock;
    random: () => number;
    logger: Logger;
    signal?: AbortSignal;
    /**
     * Whether the state file holds this registration with its join_url: then only its status is kept
     * (a re-run's 200,000 join_urls are ~25 MB; issue 11, "bounded memory").
     */
    inLedger?: (email: string, registrantId: string) => boolean;
    /** Where the registrations the ledger does not hold are kept (default: memory). */
    texts?: EntryTexts;
    /** List pages per second at most: Zoom's Medium label for the plan (undefined: not paced). */
    ratePerSecond?: number;
  },
): Promise<ListedRegistrants> {
  const existing = new ListedRegistrants(context.texts);
  // A page is a read: retried on 5xx, network failures and per-second 429s (ZoomUnavailableError when
  // Zoom keeps failing); a daily-limit 429 comes back as it is.
  const page = (status: ListedStatus, nextPageToken?: string): Promise<ListRegistrantsResult> =>
    retryRead(() => list(event, { status, pageSize, ...(nextPageToken === undefined ? {} : { nextPageToken }), ...(context.signal === undefined ? {} : { signal: context.signal }) }), context);
  const firstSentAtMs = context.clock.now();
  const firsts = await Promise.all(statuses.map((status) => page(status)));
  const gate =
    context.ratePerSecond === undefined
      ? undefined
      : new SlidingWindowRateGate({ ratePerSecond: context.ratePerSecond * listShareOfMedium, clock: context.clock, spacing: "even", grantedAtMs: statuses.map(() => firstSentAtMs) });
  for (const [index, status] of statuses.entries()) {
    let current = firsts[index];
    while (current !== undefined) {
      for (const registrant of current.registrants) {
        const email = emailKey(registrant.email);
        existing.set(email, { registrantId: registrant.id, joinUrl: registrant.join_url ?? "", status }, context.inLedger?.(email, registrant.id) === true);
      }
      const next = current.nextPageToken;
      if (next === undefined || next === "") break;
      await gate?.acquire(context.signal);
      current = await page(status, next);
    }
  }
  context.logger.info({ existing: existing.size }, "listed the event's registrants");
  return existing;
}
