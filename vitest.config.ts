import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "property-tests/**/*.test.ts"],
    // The headless-Chromium tests need a browser and are slow: `npm run test:browser` runs them
    // (vitest.browser.config.ts); the WebGPU suite needs an adapter: `npm run test:webgpu`.
    exclude: [...configDefaults.exclude, "test/browser/**", "test/webgpu/**"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    pool: "threads",
  },
});
