/**
 * How many threads the WebAssembly backend uses, and on what. Node's worker_threads is reached
 * through `process.getBuiltinModule` (Node ≥ 20.16), never a static import, so bundles for the
 * browser never see it. In browsers, threads are Web Workers and need a worker scope (a page's
 * main thread may not block) of a cross-origin-isolated page (SharedArrayBuffer). Elsewhere the
 * backend runs on one thread and creates no shared memory.
 */
import type * as WorkerThreads from "node:worker_threads";
import { nodePlatform, type ThreadPlatform, webPlatform } from "./platform.js";

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

let platform: ThreadPlatform | null | undefined;

/** Where this thread can start workers that share memory with it, or undefined. */
export function threadPlatform(): ThreadPlatform | undefined {
  if (platform === undefined) {
    const wt = workerThreads();
    platform = wt ? nodePlatform(wt) : (webPlatform() ?? null);
  }
  return platform ?? undefined;
}

let count: number | undefined;
let requested: number | undefined;

/**
 * Asks for `n` threads (the calling one included) before the backend first runs; browsers have no
 * GRAFT_THREADS, so this is how a page limits them. Throws once the count has been read.
 */
export function requestThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setWasmThreads: expected an integer ≥ 1, got ${String(n)}`);
  const effective = threadPlatform() ? Math.min(n, MAX_THREADS) : 1;
  if (count !== undefined && count !== effective)
    throw new Error(
      `setWasmThreads(${n}): the wasm backend already runs with ${count} thread(s); call it before its first operation (or wasmThreads())`,
    );
  requested = n;
}

/**
 * Threads the backend uses (the main one included): setWasmThreads's or GRAFT_THREADS's count if
 * given, else the machine's available parallelism, at most MAX_THREADS; 1 where threads are
 * unavailable. Read once, when the backend first runs.
 */
export function threadCount(): number {
  count ??= computeThreadCount();
  return count;
}

function computeThreadCount(): number {
  const p = threadPlatform();
  if (!p) return 1;
  if (requested !== undefined) return Math.min(requested, MAX_THREADS);
  const proc = globalThis.process;
  const env = proc?.env?.GRAFT_THREADS;
  if (env !== undefined && env.trim() !== "") {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 1) return Math.min(n, MAX_THREADS);
    console.warn(`graft: GRAFT_THREADS=${JSON.stringify(env)} is not an integer ≥ 1; using the default thread count`);
  }
  let n: number;
  if (p.kind === "node") {
    const os = proc?.getBuiltinModule?.("node:os") as Os | undefined;
    n = os?.availableParallelism?.() ?? os?.cpus().length ?? 1;
  } else {
    n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  }
  return Math.max(1, Math.min(n, MAX_THREADS));
}
