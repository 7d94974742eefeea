/**
 * One thread pool per shared LinearMemory, created on first use, shared by the threaded GEMM and
 * the threaded fused kernels.
 */
import { gemmWorkspaceBytes } from "../gemm/index.js";
import type { LinearMemory } from "../runtime/memory.js";
import { threadCount, threadPlatform } from "./config.js";
import { ThreadPool } from "./pool.js";

/** Bytes between two threads' GEMM workspaces (at the bottom of memory): the larger dtype's workspace. */
export function workspaceStride(): number {
  return Math.max(gemmWorkspaceBytes("float32"), gemmWorkspaceBytes("float64"));
}

const pools = new WeakMap<LinearMemory, ThreadPool | null>();

/**
 * The pool over `mem`, or undefined when it runs on one thread. Threads are capped by the
 * workspaces `mem` reserves (one per thread).
 */
export function poolFor(mem: LinearMemory): ThreadPool | undefined {
  let p = pools.get(mem);
  if (p === undefined) {
    const threads = mem.shared ? Math.min(threadCount(), Math.floor(mem.reserved / workspaceStride())) : 1;
    const platform = threadPlatform();
    p = threads >= 2 && platform ? new ThreadPool(platform, mem.memory, threads) : null;
    pools.set(mem, p);
  }
  return p ?? undefined;
}

/** The pool behind `mem`, for tests and benchmarks: threads, workers started and booted, jobs run, modules held. */
export function threadStats(mem: LinearMemory): {
  threads: number;
  started: number;
  booted: number;
  jobs: number;
  modules: number;
} {
  const p = poolFor(mem);
  return p
    ? { threads: p.threads, started: p.started, booted: p.booted, jobs: p.jobs, modules: p.moduleCount }
    : { threads: 1, started: 0, booted: 0, jobs: 0, modules: 0 };
}
