/** network.ts, loaded on first use (why: see there). */
export type Network = typeof import("./network.js");

export const loadNetwork = (): Promise<Network> => import("./network.js");
