export type { TokenProvider } from "./token-provider.js";
export { createS2SProvider } from "./s2s.js";
export type { S2SProviderOptions } from "./s2s.js";
export { createJwtProvider } from "./jwt.js";
export type { JwtProviderOptions } from "./jwt.js";
