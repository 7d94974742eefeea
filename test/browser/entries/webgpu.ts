/**
 * Browser entry for the WebGPU backend (webgpu.browser.test.ts), run on a page's main thread and in
 * a dedicated Worker: whether WebGPU and an adapter exist, what initWebGpu() found, the shared MLP
 * check on "webgpu", and the errors of what an asynchronous backend cannot do. Each step reports
 * its own error, so one failure leaves the others to be checked.
 */
import { initWebGpu, np, UnsupportedDTypeError, withBackend } from "../../../src/index.js";
import { type MlpResult, mlpCheckAsync } from "../shared/checks.js";

export type Step<T> = { ok: true; value: T } | { ok: false; error: string };

async function step<T>(f: () => T | Promise<T>): Promise<Step<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** A thrown error, as plain data. */
export interface Thrown {
  name: string;
  message: string;
  /** Whether it is graft's UnsupportedDTypeError (instanceof, in this bundle). */
  unsupportedDType: boolean;
}

/** What `f` threw, or null if it returned. */
function thrown(f: () => unknown): Thrown | null {
  try {
    f();
    return null;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { name: err.name, message: err.message, unsupportedDType: e instanceof UnsupportedDTypeError };
  }
}

export interface WebGpuResult {
  where: "window" | "worker";
  /** `navigator.gpu` exists here. */
  navigatorGpu: boolean;
  /** The browser's own adapter, asked for directly (null: there is none). */
  adapter: Step<{ vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null>;
  /** What initWebGpu() returned. */
  init: Step<{ adapter: string; fallback: boolean; limits: Record<string, number> }>;
  /** Only where init succeeded: */
  mlp?: Step<MlpResult>;
  /** `x.dataSync()` on a webgpu array (expected to throw). */
  dataSync?: Step<Thrown | null>;
  /** `String(x)` on a webgpu array (expected not to throw). */
  string?: Step<string>;
  /** A float64 array on webgpu (expected to throw UnsupportedDTypeError). */
  float64?: Step<Thrown | null>;
  /** Milliseconds: initWebGpu, the MLP check (compiling included). */
  ms: { init: number; mlp: number };
}

export async function run(): Promise<WebGpuResult> {
  const where = typeof window === "undefined" ? "worker" : "window";
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const adapter = await step(async () => {
    const a = await gpu?.requestAdapter();
    if (!a) return null;
    const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    return {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      isFallbackAdapter: info.isFallbackAdapter === true,
    };
  });
  const t0 = performance.now();
  const init = await step(async () => {
    const info = await initWebGpu();
    return { adapter: info.adapter, fallback: info.fallback, limits: { ...info.limits } };
  });
  const t1 = performance.now();
  const result: WebGpuResult = { where, navigatorGpu: gpu !== undefined, adapter, init, ms: { init: t1 - t0, mlp: 0 } };
  if (!init.ok) return result;

  result.mlp = await step(() => mlpCheckAsync("webgpu"));
  result.ms.mlp = performance.now() - t1;
  const x = await step(() => withBackend("webgpu", () => np.array([1, 2, 3], { dtype: "float32" })));
  if (x.ok) {
    result.dataSync = await step(() => thrown(() => x.value.dataSync()));
    result.string = await step(() => String(x.value));
  } else {
    result.dataSync = result.string = x;
  }
  result.float64 = await step(() => thrown(() => withBackend("webgpu", () => np.array([1, 2], { dtype: "float64" }))));
  return result;
}
