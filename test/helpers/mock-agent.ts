import { MockAgent } from "undici";
import { afterEach, beforeEach } from "vitest";

/**
 * A fresh undici MockAgent for each test, handed to `take`: it refuses real connections, and after the
 * test every interceptor must have been used (a request the code under test never made fails it).
 */
export function mockAgentEachTest(take: (agent: MockAgent) => void, options?: MockAgent.Options): void {
  let current: MockAgent | undefined;
  beforeEach(() => {
    current = new MockAgent(options);
    current.disableNetConnect();
    take(current);
  });
  afterEach(async () => {
    current?.assertNoPendingInterceptors();
    await current?.close();
  });
}
