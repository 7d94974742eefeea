/**
 * Large fused kernels (elementwise loop nests and reductions) across the thread pool. A kernel
 * whose code calls no host function is emitted into a module of its own that imports only the
 * memory, as ranged functions (loop-nest.ts), and registered with the pool; each call cuts the
 * functions' ranges into one slice per thread. Every element is computed by the same
 * instructions whatever the cut (see emitLoopNest), so results do not depend on the thread count.
 * The module is released from the workers when the kernel is garbage collected.
 */
import type { ExprNode } from "../../plan/types.js";
import { HOST_UNARY_NAMES, HostFunctionUnavailable } from "../codegen/host.js";
import { ModuleBuilder } from "../encoder/module.js";
import type { Emitters } from "../kernels/loop-nest.js";
import type { KernelFunction } from "../kernels/reduce.js";
import { VectorMath } from "../math/index.js";
import type { LinearMemory } from "../runtime/memory.js";
import type { PoolModule, ThreadPool } from "./pool.js";
import { poolFor } from "./pools.js";

/**
 * Work units (elements × per-element cost, see elementCost) each thread should get at least:
 * about 1 ms of one core. Measured on a 2-vCPU virtual machine (bench/wasm-threads.ts --kernels),
 * a woken worker reading what the main thread has just written runs memory-bound loops 3–4×
 * slower than the main thread (the data sits in the other core's cache), and a jitted call's
 * copies in and out stay on the main thread; splitting paid (1.4×) only from 2^20 elements of a
 * two-transcendental body, so kernels are split from 2 × 2^23 units.
 */
export const WORK_PER_THREAD = 2 ** 23;

/**
 * Primitives whose vector code costs about an order of magnitude more than an add: the
 * transcendentals (float64 ones call the host; float32 ones are long polynomials), divisions and
 * roots.
 */
const COSTLY = new Set<string>([...HOST_UNARY_NAMES, "erf_inv", "pow", "atan2", "div", "rem", "sqrt", "rsqrt"]);

/**
 * A rough per-element compute cost of a fused body: 1 per op, 8 per costly op (at least 1).
 * Memory traffic is left out on purpose: it does not get faster on more threads (see WORK_PER_THREAD).
 */
export function elementCost(body: readonly ExprNode[]): number {
  let cost = 0;
  for (const n of body) if (n.kind === "op") cost += COSTLY.has(n.prim) ? 8 : 1;
  return Math.max(1, cost);
}

/** Slices `[start, end)` of `extent`, at most `parts`, cut at multiples of `align` (the last takes the rest). */
export function ranges(extent: number, parts: number, align: number): [number, number][] {
  const units = Math.ceil(extent / align);
  const n = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  for (let s = 0; s < n; s++) {
    const a = Math.min(extent, Math.floor((s * units) / n) * align);
    const b = Math.min(extent, Math.floor(((s + 1) * units) / n) * align);
    if (b > a) out.push([a, b]);
  }
  return out;
}

type RangedFn = (base: number, start: number, end: number) => void;

interface Part {
  readonly fn: RangedFn;
  readonly fnIndex: number;
  readonly info: KernelFunction;
  /** Threads worth using for this function's work. */
  readonly parts: number;
}

const releases = new FinalizationRegistry<{ pool: ThreadPool; mod: PoolModule }>(({ pool, mod }) => pool.release(mod));

/** Releases `mod` from the pool's workers once `owner` (whatever calls it) is garbage collected. */
export function releaseWhenCollected(owner: object, pool: ThreadPool, mod: PoolModule): void {
  releases.register(owner, { pool, mod });
}

/** A kernel whose functions run split across the pool; `run(base)` is its step. */
export class ThreadedKernel {
  constructor(
    private readonly pool: ThreadPool,
    private readonly mod: PoolModule,
    private readonly parts: readonly Part[],
  ) {}

  /** Threaded calls this kernel made (for tests). */
  jobs = 0;

  readonly run = (base: number): void => {
    for (const p of this.parts) {
      const { extent, inner } = p.info.range;
      if (p.parts < 2 || !this.pool.usable) {
        p.fn(base, 0, extent);
        continue;
      }
      // A one-dimensional loop is cut at whole vectors of whole cache lines.
      const slices = ranges(extent, p.parts, inner === 1 ? 16 : 1).map(([a, b]) => [base, a, b]);
      if (slices.length < 2) p.fn(base, 0, extent);
      else {
        this.jobs++;
        this.pool.run(this.mod, p.fnIndex, slices);
      }
    }
  };
}

/**
 * Builds `emit`'s kernel (ranged functions, in call order, each with `cost` work units per element)
 * as a pool module when `mem` has threads, its work is large enough and its code needs no host
 * function; otherwise undefined (the caller compiles it into its own module).
 */
export function threadedKernel(
  mem: LinearMemory,
  cost: number,
  elements: number,
  emit: (e: Emitters) => KernelFunction[],
): ThreadedKernel | undefined {
  if (elements * cost < 2 * WORK_PER_THREAD) return undefined;
  const pool = poolFor(mem);
  if (!pool?.usable) return undefined;
  const m = new ModuleBuilder().importMemory(mem.importDescriptor);
  let fns: KernelFunction[];
  try {
    fns = emit({ m, host: {}, math: new VectorMath(m) });
  } catch (e) {
    if (e instanceof HostFunctionUnavailable) return undefined;
    throw e;
  }
  if (!fns.some((f) => f.range.splittable && f.range.extent >= 2)) return undefined;
  const mod = pool.register(
    new WebAssembly.Module(m.toBytes()),
    fns.map((f) => f.name),
  );
  const parts = fns.map((f, i): Part => {
    const work = f.range.extent * f.range.inner * cost;
    const threads = f.range.splittable ? Math.min(pool.threads, Math.floor(work / WORK_PER_THREAD)) : 1;
    return { fn: mod.fns[i] as RangedFn, fnIndex: i, info: f, parts: threads };
  });
  const kernel = new ThreadedKernel(pool, mod, parts);
  releaseWhenCollected(kernel, pool, mod);
  return kernel;
}
