/**
 * What a push needs to talk to Zoom (undici's parts, the token providers, the client, preflight and
 * reconcile), behind one dynamic import: a dry run without credentials needs none of it. The other
 * commands that talk to Zoom (check, token, status) are loaded only when they run, and import what
 * they need themselves.
 *
 *   const { openZoomSession } = await loadNetwork();   // load-network.ts
 */
export { openZoomSession, type ZoomSession } from "./zoom-session.js";
export { preflight } from "../preflight/preflight.js";
export { listExisting } from "../push/reconcile.js";
