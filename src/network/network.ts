/**
 * Everything a command needs to talk to Zoom (undici, the token providers, the client, preflight and
 * reconcile), behind one dynamic import: undici alone is ~20 MB of memory and ~0.25 s of start-up, and
 * `--version`, `--help`, `fake-zoom` and a dry run without credentials need none of it.
 *
 *   const { openZoomSession } = await loadNetwork();   // load-network.ts
 */
export { openZoomSession, type ZoomSession } from "./zoom-session.js";
export { preflight, runCheck, checkJson, renderCheckText, decodeBearerToken, relativeTime, tokenInfoOf } from "../preflight/index.js";
export { listExisting } from "../push/reconcile.js";
