/**
 * graft's WebGPU backend in headless Chromium (`npm run test:browser`; see harness.ts), on a page's
 * main thread and in a dedicated worker. Without a GPU, Chromium's WebGPU adapter is SwiftShader
 * (software Vulkan; harness.ts launches it with --enable-unsafe-webgpu), so sizes stay small.
 * Where Chromium finds no adapter these tests are skipped, or fail under GRAFT_REQUIRE_BROWSER=1.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it, type TestContext } from "vitest";
import type { Step, Thrown, WebGpuResult } from "./entries/webgpu.js";
import { bundleForBrowser, type RunOptions, runInBrowser, useBrowser } from "./harness.js";
import { type MlpResult, mlpCheck } from "./shared/checks.js";
import { relativeError } from "./shared/compare.js";

const browser = useBrowser();
const ENTRY = fileURLToPath(new URL("./entries/webgpu.ts", import.meta.url));

/** Runs the entry once per describe block; its tests share that run. */
function browserRun(options: RunOptions): (ctx: TestContext) => Promise<WebGpuResult> {
  let run: Promise<WebGpuResult> | undefined;
  return async (ctx) => {
    const b = await browser(ctx);
    run ??= bundleForBrowser(ENTRY).then(async (js) => (await runInBrowser(b, js, options)).value as WebGpuResult);
    return run;
  };
}

/**
 * The run, once WebGPU is known to work there: skips the test where Chromium has no navigator.gpu
 * or no adapter (fails under GRAFT_REQUIRE_BROWSER=1, as CI sets); fails if initWebGpu() threw.
 */
async function withAdapter(ctx: TestContext, page: (ctx: TestContext) => Promise<WebGpuResult>) {
  const value = await page(ctx);
  if (!value.adapter.ok) expect.fail(`navigator.gpu.requestAdapter() threw (${value.where}): ${value.adapter.error}`);
  if (!value.navigatorGpu || value.adapter.value === null) {
    const why = value.navigatorGpu
      ? `Chromium found no WebGPU adapter (${value.where}: navigator.gpu.requestAdapter() gave null; ` +
        "Chromium on Linux needs --enable-unsafe-webgpu, and then falls back to SwiftShader without a GPU)"
      : `Chromium has no navigator.gpu (${value.where}): WebGPU is off in this build`;
    if (process.env.GRAFT_REQUIRE_BROWSER === "1") throw new Error(`${why} (GRAFT_REQUIRE_BROWSER=1)`);
    return ctx.skip(why);
  }
  if (!value.init.ok) expect.fail(`initWebGpu() threw (${value.where}): ${value.init.error}`);
  return { ...value, adapter: value.adapter.value, init: value.init.value };
}

/** A step's value, failing the test with the browser's error (and stack) if it threw or never ran. */
function stepValue<T>(s: Step<T> | undefined, what: string): T {
  if (s === undefined) return expect.fail(`${what}: did not run`);
  if (!s.ok) return expect.fail(`${what} threw in the browser: ${s.error}`);
  return s.value;
}

let nodeMlp: MlpResult | undefined;
const LEAVES = ["w1", "b1", "w2", "b2"] as const;
const flatGrad = (r: MlpResult): number[] => LEAVES.flatMap((k) => r.grads[k]);

/**
 * 1e-5 relative, not wasm-vs-wasm's 1e-6: both sides compute in float32, but on different hardware
 * with different kernels. The GPU's tanh is SwiftShader's (WGSL only bounds tanh's error, it does
 * not fix the function; it typically differs from graft's wasm tanh by a few ulps), and the GPU's
 * products and reductions add their terms in another order than the wasm GEMM and sums. Each
 * difference is a few float32 ulps (~1e-7 each) of the large terms; the backward pass compounds
 * them, and the b1 gradient (a batch sum that mostly cancels) magnifies them, hence one whole-
 * gradient error relative to the largest entry (compare.ts), with room for ~80 ulps. Measured on
 * SwiftShader (Chromium 156): loss equal, whole gradient 1.8e-7, b1 alone 1.3e-6.
 */
const MLP_RTOL = 1e-5;

for (const [label, options] of [
  ["a page's main thread", { where: "main" }],
  ["a dedicated worker", { where: "worker" }],
] as const) {
  describe(`WebGPU in ${label}`, () => {
    const page = browserRun(options);

    it("navigator.gpu exists, Chromium has an adapter, and initWebGpu() reports it", async (ctx) => {
      const { where, adapter, init } = await withAdapter(ctx, page);
      process.stdout.write(
        `[chromium ${where}] WebGPU adapter ${JSON.stringify(adapter)}; initWebGpu() → ` +
          `${JSON.stringify({ adapter: init.adapter, fallback: init.fallback })}\n`,
      );
      expect(typeof init.fallback).toBe("boolean");
      // A software adapter the browser flags as fallback must be reported as such.
      if (adapter.isFallbackAdapter) expect(init.fallback).toBe(true);
      // The adapter string is built from the info fields that are not empty (in Chromium: vendor / architecture).
      const parts = [adapter.vendor, adapter.architecture, adapter.description].filter((s) => s);
      expect(init.adapter).toBe(parts.join(" / "));
      expect(init.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    });

    it(`jit(grad(mlp loss)) on webgpu equals Node's wasm within ${MLP_RTOL} relative`, async (ctx) => {
      const { where, mlp, ms } = await withAdapter(ctx, page);
      const actual = stepValue(mlp, "the MLP check on webgpu");
      process.stdout.write(
        `[chromium ${where}] initWebGpu ${ms.init.toFixed(0)} ms, MLP check ${ms.mlp.toFixed(0)} ms\n`,
      );
      nodeMlp ??= mlpCheck();
      expect(relativeError([actual.loss], [nodeMlp.loss]), "loss").toBeLessThanOrEqual(MLP_RTOL);
      expect(relativeError(flatGrad(actual), flatGrad(nodeMlp)), "gradient").toBeLessThanOrEqual(MLP_RTOL);
    });

    it("x.dataSync() throws and says to await x.data(); String(x) does not throw", async (ctx) => {
      const value = await withAdapter(ctx, page);
      const error = stepValue<Thrown | null>(value.dataSync, "x.dataSync()");
      expect(error, "x.dataSync() returned instead of throwing").not.toBeNull();
      expect(error?.message).toMatch(/await x\.data\(\)/);
      const text = stepValue(value.string, "String(x)");
      expect(text.length).toBeGreaterThan(0);
    });

    it("a float64 array on webgpu throws UnsupportedDTypeError", async (ctx) => {
      const value = await withAdapter(ctx, page);
      const error = stepValue<Thrown | null>(value.float64, "np.array(…, float64) on webgpu");
      expect(error, "a float64 array was made on webgpu").not.toBeNull();
      expect(error?.name).toBe("UnsupportedDTypeError");
      expect(error?.unsupportedDType, "instanceof UnsupportedDTypeError").toBe(true);
      expect(error?.message).toMatch(/float64/);
    });
  });
}
