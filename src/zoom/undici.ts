/**
 * The parts of undici zoomreg uses, loaded by themselves: undici's index loads fetch, WebSocket, the
 * cache and the mock agent too, ~85 ms of every start-up that talks to Zoom; these take ~25 ms
 * (issue 19). They are the very classes and functions the index exports, and `request` is put on
 * every dispatcher as the index puts it: test/unit/zoom/undici.test.ts holds them equal, so an undici
 * that moves its files fails the tests, not a user's run.
 */
import { createRequire } from "node:module";
import type * as Undici from "undici";

const require = createRequire(import.meta.url);

const Dispatcher = require("undici/lib/dispatcher/dispatcher.js") as typeof Undici.Dispatcher;
const request = require("undici/lib/api/api-request.js") as Undici.Dispatcher["request"];
// What undici's index does for all of its API (`Object.assign(Dispatcher.prototype, api)`), for the one call zoomreg makes.
(Dispatcher.prototype as { request?: Undici.Dispatcher["request"] }).request ??= request;

export const EnvHttpProxyAgent = require("undici/lib/dispatcher/env-http-proxy-agent.js") as typeof Undici.EnvHttpProxyAgent;

export const { getGlobalDispatcher } = require("undici/lib/global.js") as Pick<typeof Undici, "getGlobalDispatcher">;
