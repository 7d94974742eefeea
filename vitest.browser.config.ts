// `npm run test:browser`: only the headless-Chromium tests (test/browser; see its harness.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Software rendering on two slow cores; one page run may also bundle graft first.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Separate processes: Playwright's driver and graft's Node worker threads stay out of each other's way.
    pool: "forks",
    // One file at a time: pages running side by side on two cores starve each other's timeouts.
    fileParallelism: false,
  },
});
