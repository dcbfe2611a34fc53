import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Logger } from "pino";
import { ConfigError } from "../errors.js";
import { lockDefaults, RunLock, type LockEvent } from "../state/index.js";
import { defaultApiUrl, defaultOAuthUrl, type Credentials } from "../network/credentials.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Takes the run lock for this account, API host and event (src/state/lock.ts). The lock lives in the user's
 * state folder, not beside the output, so a run from any folder finds it.
 */
export function acquireRunLock(env: Env, credentials: Credentials, event: LockEvent, logger: Logger): RunLock {
  const staleAfterMs = lockStaleMs(env);
  return RunLock.acquire({
    dir: lockDir(env),
    account: accountIdentity(credentials),
    event,
    staleAfterMs,
    // Four refreshes per stale age: a run misses three before another may take its lock.
    refreshEveryMs: Math.max(1, Math.floor(staleAfterMs / 4)),
    onLost: (holder) =>
      logger.warn(
        `another run took over this run's lock for ${event.kind} ${event.id}${holder === undefined ? "" : ` (pid ${holder.pid} on host ${holder.host})`}: this run was not refreshing it`,
      ),
  });
}

/** `$ZOOMREG_LOCK_DIR`, else `$XDG_STATE_HOME/zoomreg/locks`, else `~/.local/state/zoomreg/locks`. */
export function lockDir(env: Env, home: string = homedir()): string {
  const override = env.ZOOMREG_LOCK_DIR?.trim();
  if (override !== undefined && override !== "") return resolve(override);
  const xdg = env.XDG_STATE_HOME?.trim();
  // The XDG spec says a relative path there is invalid and to be ignored.
  const stateHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.HOME?.trim() || home, ".local", "state");
  return join(stateHome, "zoomreg", "locks");
}

/**
 * Who the lock is for on Zoom's side: the S2S account (every app of one account shares its events),
 * or the JWT API key, on the API host it lives on: the same account id on two hosts (two fakes, a
 * gateway and Zoom, two CI jobs sharing $HOME) is two accounts that never share an event.
 * Identifiers only, never a secret; the lock hashes them into its file name.
 */
export function accountIdentity(credentials: Credentials): string {
  const who = credentials.scheme === "s2s" ? `s2s-account:${credentials.accountId}` : `jwt-key:${credentials.apiKey}`;
  return `${who}@${apiHost(credentials)}`;
}

/**
 * ZOOM_API_URL's host; without it an S2S token names the API host, so the token endpoint's host stands
 * for it. Zoom's own defaults count as api.zoom.us whether ZOOM_API_URL spells them out or not.
 */
export function apiHost(credentials: Credentials): string {
  const oauthUrl = credentials.scheme === "s2s" ? credentials.oauthUrl : defaultOAuthUrl;
  const apiUrl = credentials.apiUrl ?? (oauthUrl === defaultOAuthUrl ? defaultApiUrl : oauthUrl);
  return new URL(apiUrl).host.toLowerCase();
}

/** ZOOMREG_LOCK_STALE_MS: a testing knob, so a test of a killed run need not wait a minute. */
function lockStaleMs(env: Env): number {
  const raw = env.ZOOMREG_LOCK_STALE_MS?.trim();
  if (raw === undefined || raw === "") return lockDefaults.staleAfterMs;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100) {
    throw new ConfigError(`ZOOMREG_LOCK_STALE_MS=${raw}: expected a whole number of milliseconds, at least 100`, {
      hint: "unset it: it is a testing knob, and the default (60000) is right for real runs",
    });
  }
  return ms;
}
