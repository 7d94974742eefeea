/**
 * Eager operations on the WebAssembly backend. Small arrays stay on the reference kernels (a copy
 * into linear memory would cost more than the loop). Large elementwise operations run a kernel
 * generated once per (primitive, dtypes, params) with the length as an argument, and large float
 * products run the shared matrix multiplication with strides as arguments: nothing compiles per
 * shape or per call. Everything else runs the reference kernels.
 */
import type { BufferInfo } from "../../../src/core/backend.js";
import { LruCache } from "../../../src/core/caches.js";
import { type DType, itemSize, type TypedArray } from "../../../src/core/dtype.js";
import { paramsKey } from "../../../src/core/program.js";
import type { PrimName } from "../../../src/core/primitives.js";
import { ELEMENTWISE } from "../../plan/build.js";
import type { ExprNode, ExprPrim } from "../../plan/types.js";
import { emitExpr, lanesFor, supportsNode } from "../codegen/expr.js";
import { HostFunctionUnavailable, hostImports, importHost } from "../codegen/host.js";
import { elementBytes, loadSplat, loadVector, storeLane0, storeVector } from "../codegen/values.js";
import { ModuleBuilder } from "../encoder/module.js";
import { I32, OP, type ValType } from "../encoder/opcodes.js";
import { type GemmFn, sharedGemm } from "./shared-gemm.js";
import { VectorMath } from "../math/index.js";
import { elementCost, runGemmThreaded, WORK_PER_THREAD } from "../threads/index.js";
import { ranges, releaseWhenCollected } from "../threads/kernels.js";
import type { PoolModule, ThreadPool } from "../threads/pool.js";
import { poolFor } from "../threads/pools.js";
import type { LinearMemory } from "./memory.js";

/** Below this many output elements an eager operation runs on the reference kernels. */
export const EAGER_MIN_ELEMENTS = 4096;

type ElementwiseFn = (...ptrsAndLength: number[]) => void;

/** A built kernel; `pooled` when its module (needing no host function) also runs on the worker threads. */
interface Elementwise {
  readonly fn: ElementwiseFn;
  readonly pooled?: { readonly pool: ThreadPool; readonly mod: PoolModule };
  readonly cost: number;
}

export class EagerKernels {
  private readonly elementwise = new LruCache<Elementwise>(() => 256);
  constructor(private readonly mem: LinearMemory) {}

  /** Whether `prim` runs here rather than on the reference kernels. */
  handles(prim: PrimName, out: BufferInfo): boolean {
    const n = out.shape.reduce((a, b) => a * b, 1);
    if (n < EAGER_MIN_ELEMENTS) return false;
    if (ELEMENTWISE.has(prim)) return true;
    return prim === "dot_general" && (out.dtype === "float32" || out.dtype === "float64");
  }

  /** Runs an elementwise primitive over equal-length operands. */
  runElementwise(
    prim: PrimName,
    params: Readonly<Record<string, unknown>>,
    inputs: readonly TypedArray[],
    inInfo: readonly BufferInfo[],
    out: BufferInfo,
  ): TypedArray | undefined {
    const dtypes = inInfo.map((i) => i.dtype);
    const key = `${prim}|${paramsKey(params)}|${dtypes.join(",")}|${out.dtype}`;
    let kernel = this.elementwise.get(key);
    if (!kernel) {
      const node: ExprNode = {
        kind: "op",
        prim: prim as ExprPrim,
        args: dtypes.map((_, i) => i),
        params,
        dtype: out.dtype,
      };
      // What the generated code cannot express (bool neg, …) runs, or fails, on the reference kernels.
      if (!supportsNode(node, dtypes)) return undefined;
      kernel = this.buildElementwise(node, dtypes, out.dtype);
      this.elementwise.set(key, kernel);
    }
    const n = out.shape.reduce((a, b) => a * b, 1);
    const sizes = [...inInfo.map((i) => align16(n * itemSize(i.dtype))), align16(n * itemSize(out.dtype))];
    const base = this.mem.push(
      sizes.reduce((a, b) => a + b, 0),
      prim,
    );
    try {
      const ptrs: number[] = [];
      let at = base;
      inputs.forEach((x, i) => {
        this.mem.write(at, x, dtypes[i]!);
        ptrs.push(at);
        at += sizes[i]!;
      });
      ptrs.push(at);
      const eb = [...dtypes, out.dtype].map(elementBytes);
      const p = kernel.pooled;
      const parts = p?.pool.usable ? Math.min(p.pool.threads, Math.floor((n * kernel.cost) / WORK_PER_THREAD)) : 1;
      if (p && parts >= 2)
        p.pool.run(
          p.mod,
          0,
          ranges(n, parts, 16).map(([a, b]) => [...ptrs.map((q, i) => q + a * eb[i]!), b - a]),
        );
      else kernel.fn(...ptrs, n);
      return this.mem.read(at, out.dtype, n);
    } finally {
      this.mem.pop(base);
    }
  }

  /**
   * Builds the kernel for `node` (an op over inputs 0..k-1): first importing only memory, so the
   * worker threads can run it too; an op that needs a host function gets a module importing them.
   */
  private buildElementwise(node: ExprNode, dtypes: readonly DType[], outDtype: DType): Elementwise {
    const cost = elementCost([node]);
    const pool = poolFor(this.mem);
    try {
      const m = this.elementwiseModule(node, dtypes, outDtype, false);
      const fn = instantiate(m, this.mem).exports.run as ElementwiseFn;
      if (!pool) return { fn, cost };
      const kernel = { fn, cost, pooled: { pool, mod: pool.register(new WebAssembly.Module(m.toBytes()), ["run"]) } };
      // Evicted from the cache and collected: the workers drop it too.
      releaseWhenCollected(kernel, pool, kernel.pooled.mod);
      return kernel;
    } catch (e) {
      if (!(e instanceof HostFunctionUnavailable)) throw e;
    }
    const fn = instantiate(this.elementwiseModule(node, dtypes, outDtype, true), this.mem).exports.run as ElementwiseFn;
    return { fn, cost };
  }

  /** run(ptr_0, …, ptr_k-1, out, n): out[i] = node(inputs[i]) for i < n. */
  private elementwiseModule(
    node: ExprNode,
    dtypes: readonly DType[],
    outDtype: DType,
    withHost: boolean,
  ): ModuleBuilder {
    const m = new ModuleBuilder().importMemory(this.mem.importDescriptor);
    const host = withHost ? importHost(m) : {};
    const math = new VectorMath(m);
    const body: ExprNode[] = [...dtypes.map((dtype, input): ExprNode => ({ kind: "input", input, dtype })), node];
    const lanes = lanesFor([...dtypes, outDtype]);
    const k = dtypes.length;
    const params32: ValType[] = [...dtypes.map((): ValType => I32), I32, I32];
    m.func(
      params32,
      [],
      (f, c) => {
        const n = k + 1;
        const j = f.local(I32);
        const loop = (vector: boolean): void => {
          const vals = emitExpr(
            {
              m,
              f,
              c,
              lanes,
              host,
              math,
              loadInput: (i: number) => {
                c.get(i).get(j).i32(elementBytes(dtypes[i]!)).op(OP.i32_mul).op(OP.i32_add);
                if (vector) loadVector(c, dtypes[i]!, lanes);
                else loadSplat(c, dtypes[i]!, lanes);
              },
              index: () => {
                throw new Error("internal error: index in an eager kernel");
              },
            },
            body,
          );
          c.get(k).get(j).i32(elementBytes(outDtype)).op(OP.i32_mul).op(OP.i32_add).get(vals[k]!);
          if (vector) storeVector(c, outDtype, lanes, f);
          else storeLane0(c, outDtype, f);
          c.get(j)
            .i32(vector ? lanes : 1)
            .op(OP.i32_add)
            .set(j);
        };
        if (lanes > 1) {
          // while (j + lanes <= n)
          c.block().loop();
          c.get(j).i32(lanes).op(OP.i32_add).get(n).op(OP.i32_gt_u).brIf(1);
          loop(true);
          c.br(0).end().end();
        }
        c.block().loop();
        c.get(j).get(n).op(OP.i32_ge_u).brIf(1);
        loop(false);
        c.br(0).end().end();
      },
      "run",
    );
    return m;
  }

  /**
   * A float dot_general of contiguous operands as one batched GEMM, when each operand's batch,
   * free and contracting dimensions are each consecutive (the common layouts); otherwise undefined.
   */
  runDot(
    params: { contracting: [number[], number[]]; batch: [number[], number[]] },
    inputs: readonly TypedArray[],
    inInfo: readonly BufferInfo[],
    out: BufferInfo,
  ): TypedArray | undefined {
    const [a, b] = inInfo as [BufferInfo, BufferInfo];
    const la = operandLayout(a.shape, params.batch[0], params.contracting[0]);
    const lb = operandLayout(b.shape, params.batch[1], params.contracting[1]);
    if (!la || !lb) return undefined;
    const dtype = out.dtype as "float32" | "float64";
    const gemm = this.gemm(dtype);
    const eb = itemSize(dtype);
    const sizes = [align16(a.shape.reduce((x, y) => x * y, 1) * eb), align16(b.shape.reduce((x, y) => x * y, 1) * eb)];
    const nOut = la.batch * la.free * lb.free;
    const base = this.mem.push(sizes[0]! + sizes[1]! + align16(nOut * eb), "dot_general");
    try {
      const pa = base;
      const pb = base + sizes[0]!;
      const pc = pb + sizes[1]!;
      this.mem.write(pa, inputs[0]!, dtype);
      this.mem.write(pb, inputs[1]!, dtype);
      // A as [batch, m, k]: rows are the free dims, columns the contracting dims (and B as [batch, k, n]).
      const args = [
        la.batch,
        la.free,
        lb.free,
        la.contract,
        pa,
        la.freeStride,
        la.contractStride,
        la.batchStride,
        pb,
        lb.contractStride,
        lb.freeStride,
        lb.batchStride,
        pc,
        lb.free,
        la.free * lb.free,
        0,
      ];
      // Large products run split across the worker threads (same bits); the rest here.
      if (!runGemmThreaded(this.mem, dtype, args)) gemm(...args);
      return this.mem.read(pc, dtype, nOut);
    } finally {
      this.mem.pop(base);
    }
  }

  private gemm(dtype: "float32" | "float64"): GemmFn {
    return sharedGemm(this.mem, dtype);
  }
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

function instantiate(m: ModuleBuilder, mem: LinearMemory): WebAssembly.Instance {
  return new WebAssembly.Instance(new WebAssembly.Module(m.toBytes()), {
    env: { memory: mem.memory },
    ...hostImports(),
  });
}

interface Layout {
  batch: number;
  free: number;
  contract: number;
  batchStride: number;
  freeStride: number;
  contractStride: number;
}

/** Sizes and strides of a contiguous operand's three dimension groups, if each group is consecutive. */
function operandLayout(
  shape: readonly number[],
  batch: readonly number[],
  contract: readonly number[],
): Layout | undefined {
  const free = shape.map((_, i) => i).filter((i) => !batch.includes(i) && !contract.includes(i));
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  const group = (dims: readonly number[]): [number, number] | undefined => {
    const live = dims.filter((d) => shape[d] !== 1);
    const size = dims.reduce((p, d) => p * shape[d]!, 1);
    if (live.length === 0) return [size, 0];
    for (let j = 0; j + 1 < live.length; j++)
      if (strides[live[j]!] !== strides[live[j + 1]!]! * shape[live[j + 1]!]!) return undefined;
    return [size, strides[live[live.length - 1]!]!];
  };
  const gb = group(batch);
  const gf = group(free);
  const gc = group(contract);
  if (!gb || !gf || !gc) return undefined;
  // Batch dims must come first in the same order on both sides: dot_general's output order.
  return { batch: gb[0], free: gf[0], contract: gc[0], batchStride: gb[1], freeStride: gf[1], contractStride: gc[1] };
}
