/**
 * graft's wasm backend in headless Chromium (run with `npm run test:browser`; see harness.ts).
 * Each case runs one page and shares its result among the tests below it, so a failure names the
 * one property that broke. Results are compared with the same code run in this Node process.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it, type TestContext } from "vitest";
import type { MainResult } from "./entries/main.js";
import type { WorkerResult } from "./entries/worker.js";
import { bundleForBrowser, type RunOptions, runInBrowser, useBrowser } from "./harness.js";
import { fusedCheck, jittedMatmul, type MlpResult, matmulOperands, mlpCheck, numbers } from "./shared/checks.js";
import { relativeError } from "./shared/compare.js";

const browser = useBrowser();
const entry = (name: string): string => fileURLToPath(new URL(`./entries/${name}.ts`, import.meta.url));

/** Runs an entry in the browser once per test file; later callers share the first run. */
function browserRun<T>(
  entryName: string,
  options: RunOptions,
): (ctx: TestContext) => Promise<{ value: T; console: readonly string[] }> {
  let run: Promise<{ value: T; console: readonly string[] }> | undefined;
  return async (ctx) => {
    const b = await browser(ctx);
    run ??= bundleForBrowser(entry(entryName)).then(async (js) => {
      const r = await runInBrowser(b, js, options);
      return { value: r.value as T, console: r.console };
    });
    return run;
  };
}

let nodeMlp: MlpResult | undefined;
let nodeMatmul: number[] | undefined;

const LEAVES = ["w1", "b1", "w2", "b2"] as const;
/** The whole gradient as one vector, leaves in a fixed order. */
const flatGrad = (r: MlpResult): number[] => LEAVES.flatMap((k) => r.grads[k]);

/**
 * The MLP check's loss, and its gradient taken as one vector, agree with Node's to `rtol` (see
 * compare.ts). Not leaf by leaf: Chromium has relaxed SIMD and Node 20 does not, so the wasm
 * GEMM fuses multiply-adds in one and not the other; a few float32 ulps of the large terms then
 * show up as ~2e-6 of the small bias gradient b1 (a sum over the batch that mostly cancels).
 */
function expectMlpMatchesNode(actual: MlpResult, rtol = 1e-6): void {
  nodeMlp ??= mlpCheck();
  expect(relativeError([actual.loss], [nodeMlp.loss]), "loss").toBeLessThanOrEqual(rtol);
  expect(relativeError(flatGrad(actual), flatGrad(nodeMlp)), "gradient").toBeLessThanOrEqual(rtol);
}

/** graft's own warnings in a page's console. */
const graftWarnings = (lines: readonly string[]): string[] => lines.filter((l) => l.startsWith("warning: graft:"));

describe("(a) a page's main thread, not cross-origin isolated", () => {
  const page = browserRun<MainResult>("main", { where: "main" });

  it("graft loads, and the default backend is wasm", async (ctx) => {
    const { value } = await page(ctx);
    expect(value.crossOriginIsolated).toBe(false);
    expect(value.backend).toBe("wasm");
  });

  it("jit(grad(mlp loss)) equals Node's within 1e-6 relative", async (ctx) => {
    expectMlpMatchesNode((await page(ctx)).value.mlp);
  });

  it("wasmThreads() is 1 (a main thread may not block, so no threads)", async (ctx) => {
    expect((await page(ctx)).value.threads).toBe(1);
  });
});

describe("(b) a dedicated worker in a cross-origin-isolated page", () => {
  const worker = browserRun<WorkerResult>("worker", { where: "worker", isolated: true });

  it("crossOriginIsolated is true inside the worker, and SharedArrayBuffer exists", async (ctx) => {
    const { value } = await worker(ctx);
    expect(value.crossOriginIsolated).toBe(true);
    expect(value.sharedArrayBuffer).toBe(true);
  });

  it("the default backend is wasm and jit(grad(mlp loss)) equals Node's within 1e-6 relative", async (ctx) => {
    const { value } = await worker(ctx);
    expect(value.backend).toBe("wasm");
    if (!value.mlp.ok) expect.fail(`the MLP check threw in the worker: ${value.mlp.error}`);
    expectMlpMatchesNode(value.mlp.value);
  });

  it("wasmThreads() is at least 2 where navigator.hardwareConcurrency is", async (ctx) => {
    const { value } = await worker(ctx);
    const seen = `navigator.hardwareConcurrency ${value.hardwareConcurrency}`;
    if (value.hardwareConcurrency >= 2) expect(value.threads, seen).toBeGreaterThanOrEqual(2);
    expect(value.threads, seen).toBeLessThanOrEqual(Math.max(1, value.hardwareConcurrency));
  });

  it("a jitted 512×512 float32 matmul equals Node's within 1e-4 relative", async (ctx) => {
    const { value } = await worker(ctx);
    if (!value.matmul.ok) expect.fail(`the matmul threw in the worker: ${value.matmul.error}`);
    nodeMatmul ??= numbers(jittedMatmul()(...matmulOperands()));
    expect(value.matmul.value.length).toBe(512 * 512);
    expect(relativeError(value.matmul.value, nodeMatmul)).toBeLessThanOrEqual(1e-4);
  });

  it("after two calls the thread pool has started and booted its workers and run jobs", async (ctx) => {
    const { value } = await worker(ctx);
    if (!value.stats.ok) expect.fail(`threadStats threw in the worker: ${value.stats.error}`);
    const stats = value.stats.value;
    const seen = `threadStats ${JSON.stringify(stats)}, wasmThreads() ${value.threads}`;
    if (value.hardwareConcurrency < 2) {
      // One core: no pool, nothing started.
      expect(stats, seen).toMatchObject({ threads: 1, started: 0, jobs: 0 });
      return;
    }
    // Soft: a failure reports every pool figure, not just the first that is off. Every worker
    // beside this thread starts on the first threaded job; at least one has booted by the second
    // call; each call (2^27 multiply-adds) is one pool job.
    expect.soft(stats.threads, `pool threads; ${seen}`).toBe(value.threads);
    expect.soft(stats.threads, `pool threads; ${seen}`).toBeGreaterThanOrEqual(2);
    expect.soft(stats.started, `workers started; ${seen}`).toBe(stats.threads - 1);
    expect.soft(stats.booted, `workers booted; ${seen}`).toBeGreaterThanOrEqual(1);
    expect.soft(stats.jobs, `pool jobs; ${seen}`).toBeGreaterThanOrEqual(2);
  });
});

let nodeFused: ReturnType<typeof fusedCheck> | undefined;

/** The fused kernels' results are Node's, bit for bit (no products, no host calls, no relaxed SIMD). */
function expectFusedEqualsNode(step: WorkerResult["fusedFirst"], when: string): void {
  if (!step.ok) expect.fail(`the fused check threw in the worker (${when}): ${step.error}`);
  nodeFused ??= fusedCheck();
  expect(step.value.w2, `W2 ${when}`).toEqual(nodeFused.w2);
  expect(step.value.rows, `row sums ${when}`).toEqual(nodeFused.rows);
}

describe("(b) threaded fused kernels in the worker", () => {
  const worker = browserRun<WorkerResult>("worker", { where: "worker", isolated: true });

  it("large elementwise loops and reductions equal Node's bits before and after the workers boot", async (ctx) => {
    const { value } = await worker(ctx);
    expectFusedEqualsNode(value.fusedFirst, "before the workers booted");
    expectFusedEqualsNode(value.fusedLater, "split across the threads");
  });

  it("the later run split both kernels across the threads", async (ctx) => {
    const { value } = await worker(ctx);
    if (value.hardwareConcurrency < 2) expect(value.fusedJobs).toBe(0);
    else expect(value.fusedJobs).toBe(2);
  });
});

describe("(d) a cross-origin-isolated worker whose CSP forbids blob: workers (worker-src 'self')", () => {
  const worker = browserRun<WorkerResult>("worker", {
    where: "worker",
    isolated: true,
    csp: "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'",
  });

  it("graft warns once that it runs on one thread; no worker boots", async (ctx) => {
    const { value, console } = await worker(ctx);
    if (!value.stats.ok) expect.fail(`threadStats threw in the worker: ${value.stats.error}`);
    // Chromium reports the blocked blob: worker asynchronously (an error event), after it was created.
    expect(value.stats.value.booted).toBe(0);
    const warnings = graftWarnings(console);
    if (value.hardwareConcurrency < 2) expect(warnings).toHaveLength(0);
    else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/could not start worker threads.*runs on one thread/);
    }
  });

  it("results are unchanged: the product within 1e-4 of Node's, the fused kernels bit for bit", async (ctx) => {
    const { value } = await worker(ctx);
    if (!value.matmul.ok) expect.fail(`the matmul threw in the worker: ${value.matmul.error}`);
    nodeMatmul ??= numbers(jittedMatmul()(...matmulOperands()));
    expect(relativeError(value.matmul.value, nodeMatmul)).toBeLessThanOrEqual(1e-4);
    expectFusedEqualsNode(value.fusedLater, "on one thread");
  });
});

describe("(c) a page whose CSP forbids WebAssembly (script-src 'self', no 'wasm-unsafe-eval')", () => {
  const page = browserRun<MainResult>("main", { where: "main", csp: "script-src 'self'" });

  it("graft warns once and falls back to the cpu backend", async (ctx) => {
    const { value, console } = await page(ctx);
    expect(value.backend).toBe("cpu");
    const warnings = graftWarnings(console);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WebAssembly cannot be compiled here/);
  });

  it("jit(grad(mlp loss)) still equals Node's within 1e-6 relative", async (ctx) => {
    expectMlpMatchesNode((await page(ctx)).value.mlp);
  });
});
