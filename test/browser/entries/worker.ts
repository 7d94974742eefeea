/**
 * Browser entry for a dedicated Worker in a cross-origin-isolated page (case b): the MLP check,
 * then the thread pool on a large jitted product. Each step reports its own error, so a failure
 * in the (newer) threaded path still lets the test check everything before it.
 */
import { defaultBackend, wasmThreads } from "../../../src/index.js";
import { wasmMemory } from "../../../backends/wasm/index.js";
import { threadStats } from "../../../backends/wasm/threads/index.js";
import { fusedCheck, jittedMatmul, matmulOperands, type MlpResult, mlpCheck, numbers } from "../shared/checks.js";

export type Step<T> = { ok: true; value: T } | { ok: false; error: string };

function step<T>(f: () => T): Step<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

export interface WorkerResult {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  sharedArrayBuffer: boolean;
  backend: string;
  mlp: Step<MlpResult>;
  threads: number;
  matmul: Step<number[]>;
  /** Before the workers boot (the main thread runs every slice), then after, with the jobs the second run added. */
  fusedFirst: Step<ReturnType<typeof fusedCheck>>;
  fusedLater: Step<ReturnType<typeof fusedCheck>>;
  fusedJobs: number;
  stats: Step<ReturnType<typeof threadStats>>;
}

export async function run(): Promise<WorkerResult> {
  const mlp = step(mlpCheck);
  const threads = wasmThreads();
  const f = jittedMatmul();
  const [a, b] = matmulOperands();
  let matmul = step(() => numbers(f(a, b)));
  const fusedFirst = step(fusedCheck);
  // Workers start lazily on the first threaded job and boot only once this thread's event loop
  // turns; the second call finds them booted.
  await new Promise((resolve) => setTimeout(resolve, 200));
  if (matmul.ok) matmul = step(() => numbers(f(a, b)));
  const jobsBefore = threadStats(wasmMemory()).jobs;
  const fusedLater = step(fusedCheck);
  const fusedJobs = threadStats(wasmMemory()).jobs - jobsBefore;
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    sharedArrayBuffer: typeof SharedArrayBuffer === "function",
    backend: defaultBackend(),
    mlp,
    threads,
    matmul,
    fusedFirst,
    fusedLater,
    fusedJobs,
    stats: step(() => threadStats(wasmMemory())),
  };
}
