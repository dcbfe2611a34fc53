/** network.ts, loaded on first use (why: see there). */
import type * as NetworkModule from "./network.js";

export type Network = typeof NetworkModule;

export const loadNetwork = (): Promise<Network> => import("./network.js");
