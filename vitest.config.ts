import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the built CLI; give them room on a 2-core CI machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default on 2 cores is one worker (cores - 1). The end-to-end tests spend most of their
    // time waiting on child processes and sockets, so three workers overlap that waiting.
    maxWorkers: 3,
  },
});
