/**
 * What stops every event of a run at once (issue 20). Zoom counts its limits per account, and the
 * credentials and Zoom's health are the account's too: when one event's push meets Zoom's daily
 * limit, refused credentials or a Zoom that is down, the others would meet it at their next request.
 * An event's own refusals (not found, registration off, over, full, its lock) stop that event alone.
 */
import type { ZoomregError } from "../errors.js";

export type SharedStopReason = { kind: "daily-limit"; untilMs: number } | { kind: "fatal"; error: ZoomregError };

export class SharedStop {
  private readonly listeners = new Set<(reason: SharedStopReason) => void>();
  private stoppedFor: SharedStopReason | undefined;

  /** Why every event stopped, once one did. */
  get reason(): SharedStopReason | undefined {
    return this.stoppedFor;
  }

  /** The first reason is kept and told to every listener; later ones change nothing. */
  report(reason: SharedStopReason): void {
    if (this.stoppedFor !== undefined) return;
    this.stoppedFor = reason;
    for (const listener of [...this.listeners]) listener(reason);
  }

  /** Calls `listener` with the reason once every event must stop (at once, when they already must); returns the unsubscribe. */
  subscribe(listener: (reason: SharedStopReason) => void): () => void {
    if (this.stoppedFor !== undefined) {
      listener(this.stoppedFor);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Errors about the account rather than one event: refused credentials and a Zoom that is down. */
export function concernsTheAccount(error: ZoomregError): boolean {
  return error.domain === "auth" || error.domain === "unavailable";
}
