// `npm run test:webgpu`: the WebGPU suite (test/webgpu), on a software adapter in CI. One process
// for every file: the GPU object (test/webgpu/gpu.ts) must stay alive for the whole run.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/webgpu/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 1,
    isolate: false,
    // Tests of buffer recycling collect garbage on purpose (global.gc).
    execArgv: ["--expose-gc"],
  },
});
