/**
 * Large matrix products across the thread pool. Each shared LinearMemory gets one pool (created
 * on first use) and one GEMM module per dtype, the same generated code the one-thread callers run
 * (addGemm with the same options). A call is split by split.ts; every thread packs into its own
 * workspace, thread t's at t × workspaceStride() from the bottom of memory (LinearMemory's
 * reserved region).
 */
import { ModuleBuilder } from "../encoder/module.js";
import { addGemm, type GemmDType, relaxedSimdAvailable } from "../gemm/index.js";
import type { LinearMemory } from "../runtime/memory.js";
import type { PoolModule, ThreadPool } from "./pool.js";
import { poolFor, workspaceStride } from "./pools.js";
import { type GemmArgs, splitGemm } from "./split.js";

/**
 * Multiply-adds each thread should get at least. Below ~2^21 (≈ 50 µs of one core's GEMM), waking
 * the workers and waiting for the slowest costs about what the split saves (bench/wasm-threads.ts).
 * A product is threaded from 2 × this, with at most macs / this threads.
 */
export const GEMM_MACS_PER_THREAD = 2 ** 21;

interface State {
  readonly pool: ThreadPool;
  readonly gemms: Map<GemmDType, PoolModule>;
}

const states = new WeakMap<ThreadPool, State>();

function state(mem: LinearMemory): State | undefined {
  const pool = poolFor(mem);
  if (!pool) return undefined;
  let s = states.get(pool);
  if (!s) {
    s = { pool, gemms: new Map() };
    states.set(pool, s);
  }
  return s;
}

const macs = (batch: number, m: number, n: number, k: number): number => batch * m * n * k;

/** Whether a product of these sizes on `mem` may run threaded (checked when a Program compiles). */
export function gemmMayUseThreads(mem: LinearMemory, batch: number, m: number, n: number, k: number): boolean {
  return macs(batch, m, n, k) >= 2 * GEMM_MACS_PER_THREAD && (state(mem)?.pool.usable ?? false);
}

/**
 * Runs gemm(...args) split across the threads and returns true, or returns false having done
 * nothing (too small, not splittable, one thread): the caller then runs its own one-thread GEMM,
 * which computes the same bits. Throws a graft error if a worker fails (once; later calls get false).
 */
export function runGemmThreaded(mem: LinearMemory, dtype: GemmDType, args: GemmArgs): boolean {
  const work = macs(args[0]!, args[1]!, args[2]!, args[3]!);
  if (work < 2 * GEMM_MACS_PER_THREAD) return false;
  const s = state(mem);
  if (!s?.pool.usable) return false;
  const slices = splitGemm(args, dtype, Math.min(s.pool.threads, Math.floor(work / GEMM_MACS_PER_THREAD)));
  if (slices.length < 2) return false;
  let mod = s.gemms.get(dtype);
  if (!mod) {
    const m = new ModuleBuilder().importMemory(mem.importDescriptor);
    addGemm(m, { dtype, relaxedSimd: relaxedSimdAvailable(), exportName: "gemm" });
    mod = s.pool.register(new WebAssembly.Module(m.toBytes()), ["gemm"]);
    s.gemms.set(dtype, mod);
  }
  s.pool.run(mod, 0, slices, { arg: 15, base: 0, stride: workspaceStride() });
  return true;
}
