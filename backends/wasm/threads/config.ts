/**
 * How many threads the WebAssembly backend uses. Node's worker_threads is reached through
 * `process.getBuiltinModule` (Node ≥ 20.16), never a static import, so bundles for the browser
 * never see it; where it or SharedArrayBuffer is missing (browsers, older Node) the backend runs
 * on one thread and creates no shared memory.
 */
import type * as WorkerThreads from "node:worker_threads";

/** More threads than this gain nothing on a GEMM (memory bandwidth) and cost workspace memory. */
export const MAX_THREADS = 64;

type Os = { availableParallelism?: () => number; cpus: () => readonly unknown[] };

/** Node's worker_threads module, or undefined where there is none (browsers, bundles, old Node). */
export function workerThreads(): typeof WorkerThreads | undefined {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return undefined;
  const get = globalThis.process?.getBuiltinModule;
  if (typeof get !== "function") return undefined;
  try {
    const wt = get("node:worker_threads") as typeof WorkerThreads | undefined;
    return typeof wt?.Worker === "function" && typeof wt.receiveMessageOnPort === "function" ? wt : undefined;
  } catch {
    return undefined;
  }
}

let count: number | undefined;

/**
 * Threads the backend uses for large matrix products (the main thread included): GRAFT_THREADS
 * if set to an integer ≥ 1, else the machine's available parallelism, at most MAX_THREADS; 1 where
 * worker threads or SharedArrayBuffer are unavailable. Read once: set GRAFT_THREADS before the
 * backend first runs.
 */
export function threadCount(): number {
  count ??= computeThreadCount();
  return count;
}

function computeThreadCount(): number {
  if (!workerThreads()) return 1;
  const proc = globalThis.process;
  const env = proc?.env?.GRAFT_THREADS;
  if (env !== undefined && env.trim() !== "") {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 1) return Math.min(n, MAX_THREADS);
    console.warn(`graft: GRAFT_THREADS=${JSON.stringify(env)} is not an integer ≥ 1; using the default thread count`);
  }
  const os = proc?.getBuiltinModule?.("node:os") as Os | undefined;
  const n = os?.availableParallelism?.() ?? os?.cpus().length ?? 1;
  return Math.max(1, Math.min(n, MAX_THREADS));
}
