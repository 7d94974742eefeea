// `npm run test:webgpu-unit`: the unit suite on the WebGPU backend (software adapter in CI), its
// synchronous reads replayed from asynchronous ones (test/webgpu-unit/). One process for every file:
// the GPU object must stay alive for the whole run, and one device serves every file. A test is
// retried once per synchronous read it makes (test/webgpu-unit/replay.ts); what cannot run is
// listed in test/webgpu-unit/exclusions.ts.
import { configDefaults, defineConfig } from "vitest/config";
import { activeExclusions, excludedGlobs } from "./test/webgpu-unit/exclusions.js";
import { READ_LIMIT } from "./test/webgpu-unit/limits.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      ...configDefaults.exclude,
      "test/browser/**",
      "test/webgpu/**",
      ...excludedGlobs(activeExclusions(process.env)),
    ],
    setupFiles: ["test/setup.ts", "test/webgpu-unit/setup.ts"],
    reporters: ["default", "./test/webgpu-unit/summary-reporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The setup narrows which failures are retried to attempts that started a read.
    retry: READ_LIMIT,
    pool: "forks",
    maxWorkers: 1,
    isolate: false,
  },
});
