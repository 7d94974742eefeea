import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "property-tests/**/*.test.ts"],
    // The headless-Chromium tests need a browser and are slow: `npm run test:browser` runs them
    // (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, "test/browser/**"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    pool: "threads",
  },
});
