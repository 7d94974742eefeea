/**
 * The loop nest every fused elementwise kernel (and the row-wise form of reductions) runs: nested
 * loops over an iteration shape, one running byte pointer per operand and level, the innermost
 * dimension in SIMD vectors with a scalar tail. Reads and writes are strided views: an innermost
 * stride of 1 loads whole vectors, 0 splats once outside the loop, anything else loads lane by lane.
 */
import type { DType } from "../../../src/core/dtype.js";
import type { ExprNode } from "../../plan/types.js";
import { emitExpr, lanesFor } from "../codegen/expr.js";
import type { HostFunctions } from "../codegen/host.js";
import {
  elementBytes,
  type Lanes,
  loadLane,
  loadSplat,
  loadVector,
  storeLane0,
  storeVector,
} from "../codegen/values.js";
import type { Code } from "../encoder/code.js";
import type { FuncBuilder, ModuleBuilder } from "../encoder/module.js";
import { I32, OP, SIMD, V128 } from "../encoder/opcodes.js";
import type { VectorMath } from "../math/index.js";

/** An operand of the loop: `offset` bytes from the arena base, strides in elements per dimension. */
export interface Operand {
  readonly offset: number;
  readonly strides: readonly number[];
  readonly dtype: DType;
}

export interface LoopSpec {
  readonly shape: readonly number[];
  readonly reads: readonly Operand[];
  readonly body: readonly ExprNode[];
  /** Each write stores node `node` through its view. */
  readonly writes: readonly (Operand & { readonly node: number })[];
}

export interface Emitters {
  readonly m: ModuleBuilder;
  readonly host: HostFunctions;
  readonly math: VectorMath;
}

/** Merges adjacent dimensions every operand walks as one stride chain, and drops size-1 dims. */
export function simplifyLoop(spec: LoopSpec): LoopSpec {
  if (spec.body.some((n) => n.kind === "index")) return spec;
  const ops: Operand[] = [...spec.reads, ...spec.writes];
  let dims = spec.shape.map((n, d) => ({ n, strides: ops.map((o) => o.strides[d]!) })).filter((d) => d.n !== 1);
  const merged: typeof dims = [];
  for (const d of dims) {
    const prev = merged[merged.length - 1];
    if (prev?.strides.every((s, i) => s === d.strides[i]! * d.n)) {
      merged[merged.length - 1] = { n: prev.n * d.n, strides: d.strides };
    } else merged.push(d);
  }
  dims = merged;
  const shape = dims.map((d) => d.n);
  const strideOf = (i: number): number[] => dims.map((d) => d.strides[i]!);
  return {
    shape,
    reads: spec.reads.map((r, i) => ({ ...r, strides: strideOf(i) })),
    body: spec.body,
    writes: spec.writes.map((w, i) => ({ ...w, strides: strideOf(spec.reads.length + i) })),
  };
}

/** A ranged function's parameters: (base, start, end), running dimension 0 over [start, end). */
export const RANGED_PARAMS = [I32, I32, I32] as const;

/**
 * How a ranged loop nest for `spec` may be cut: `extent` is the size of the simplified loop's
 * dimension 0 (what start and end index), and `splittable` says whether disjoint ranges write
 * disjoint elements (false when a write does not move along that dimension: an accumulator over a
 * reduced one). Elements per unit of the extent come as `inner`.
 */
export interface LoopRange {
  readonly extent: number;
  readonly inner: number;
  readonly splittable: boolean;
}

export function loopRange(raw: LoopSpec): LoopRange {
  const spec = simplifyLoop(raw);
  const shape = spec.shape.length === 0 ? [1] : spec.shape;
  const extent = shape[0]!;
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  const splittable = spec.shape.length > 0 && spec.writes.every((w) => w.strides[0] !== 0);
  return { extent, inner, splittable };
}

/**
 * Defines `func` as the loop nest for `spec`: declared as (base: i32) -> (), or with `ranged` as
 * RANGED_PARAMS, computing only dimension 0's indices [start, end) of the simplified loop (see
 * loopRange). Every element is computed by the same instructions whichever range holds it (a tail
 * element splats its operands into the same vector code), so a split computes the same bits.
 */
export function emitLoopNest(e: Emitters, func: number, raw: LoopSpec, ranged = false): void {
  const spec = simplifyLoop(raw);
  if (spec.shape.some((n) => n === 0)) {
    e.m.define(func, () => {});
    return;
  }
  const shape = spec.shape.length === 0 ? [1] : spec.shape;
  const rank = shape.length;
  const widen = (o: Operand): number[] => (spec.shape.length === 0 ? [0] : [...o.strides]);
  // Writes that skip elements along the innermost dimension (interior padding) go element by
  // element unless they are float (lane stores); everything else vectorizes.
  const innerWriteStride = (w: Operand): number => (spec.shape.length === 0 ? 1 : w.strides[w.strides.length - 1]!);
  const scalarWrites = spec.writes.some(
    (w) => innerWriteStride(w) !== 1 && w.dtype !== "float32" && w.dtype !== "float64",
  );
  const lanes = scalarWrites ? 1 : lanesFor([...spec.body.map((n) => n.dtype), ...spec.reads.map((r) => r.dtype)]);
  e.m.define(func, (f, c) => {
    const ops = [...spec.reads, ...spec.writes];
    const strides = ops.map(widen);
    const eb = ops.map((o) => elementBytes(o.dtype));
    // ptr[i][level]: level 0 is the kernel's start address; level d+1 runs over dimension d.
    const ptr = ops.map(() => new Array<number>(rank + 1).fill(0).map(() => f.local(I32)));
    const counters = shape.map(() => f.local(I32));
    ops.forEach((o, i) => {
      c.get(0).i32(o.offset).op(OP.i32_add);
      if (ranged && strides[i]![0] !== 0)
        c.get(1)
          .i32(strides[i]![0]! * eb[i]!)
          .op(OP.i32_mul)
          .op(OP.i32_add);
      c.set(ptr[i]![0]!);
    });
    // An empty range does nothing (the loops below test at their ends).
    if (ranged) c.block().get(1).get(2).op(OP.i32_ge_u).brIf(0);
    const inner = rank - 1;
    const openOuter = (d: number): void => {
      ops.forEach((_, i) => c.get(ptr[i]![d]!).set(ptr[i]![d + 1]!));
      if (ranged && d === 0) c.get(1).set(counters[d]!);
      else c.i32(0).set(counters[d]!);
      c.block().loop();
    };
    const closeOuter = (d: number): void => {
      ops.forEach((_, i) => {
        c.get(ptr[i]![d + 1]!)
          .i32(strides[i]![d]! * eb[i]!)
          .op(OP.i32_add)
          .set(ptr[i]![d + 1]!);
      });
      c.get(counters[d]!).i32(1).op(OP.i32_add).tee(counters[d]!);
      if (ranged && d === 0) c.get(2);
      else c.i32(shape[d]!);
      c.op(OP.i32_lt_u).brIf(0);
      c.end().end();
    };
    for (let d = 0; d < inner; d++) openOuter(d);
    emitInner(e, f, c, spec, {
      shape,
      lanes,
      ptrs: ops.map((_, i) => ptr[i]![inner]!),
      strides,
      eb,
      counters,
      range: ranged && rank === 1 ? { start: 1, end: 2 } : undefined,
    });
    for (let d = inner - 1; d >= 0; d--) closeOuter(d);
    if (ranged) c.end();
  });
}

interface InnerCtx {
  readonly shape: readonly number[];
  readonly lanes: Lanes;
  /** Each operand's pointer at the start of the innermost dimension. */
  readonly ptrs: readonly number[];
  readonly strides: readonly (readonly number[])[];
  readonly eb: readonly number[];
  readonly counters: readonly number[];
  /** Locals holding [start, end) when the innermost dimension is the ranged one. */
  readonly range?: { readonly start: number; readonly end: number };
}

function emitInner(e: Emitters, f: FuncBuilder, c: Code, spec: LoopSpec, k: InnerCtx): void {
  const rank = k.shape.length;
  const inner = rank - 1;
  const n = k.shape[inner]!;
  const nReads = spec.reads.length;
  const p = k.ptrs.map(() => f.local(I32));
  const j = k.counters[inner]!;
  k.ptrs.forEach((src, i) => c.get(src).set(p[i]!));
  // Reads that do not move along the innermost dimension are loaded once per row.
  const hoisted = spec.reads.map((r, i) => {
    if (k.strides[i]![inner] !== 0) return undefined;
    const l = f.local(V128);
    c.get(p[i]!);
    loadSplat(c, r.dtype, k.lanes);
    c.set(l);
    return l;
  });
  const indexCtx = (vector: boolean) => (dim: number) => {
    if (dim === inner) {
      c.get(j).simd(SIMD.i32x4_splat);
      if (vector) c.v128i32(0, 1, 2, 3).simd(SIMD.i32x4_add);
    } else c.get(k.counters[dim]!).simd(SIMD.i32x4_splat);
  };
  const body = (vector: boolean, step: number): void => {
    const vals = emitExpr(
      {
        m: e.m,
        f,
        c,
        lanes: k.lanes,
        host: e.host,
        math: e.math,
        loadInput: (i: number) => {
          const h = hoisted[i];
          if (h !== undefined) {
            c.get(h);
            return;
          }
          const r = spec.reads[i]!;
          const s = k.strides[i]![inner]!;
          c.get(p[i]!);
          if (!vector) loadSplat(c, r.dtype, k.lanes);
          else if (s === 1) loadVector(c, r.dtype, k.lanes);
          else {
            loadSplat(c, r.dtype, k.lanes);
            for (let l = 1; l < k.lanes; l++) {
              c.get(p[i]!)
                .i32(l * s * k.eb[i]!)
                .op(OP.i32_add);
              loadLane(c, r.dtype, k.lanes, l, f);
            }
          }
        },
        index: indexCtx(vector),
      },
      spec.body,
    );
    spec.writes.forEach((w, wi) => {
      const i = nReads + wi;
      const s = k.strides[i]![inner]!;
      const v = vals[w.node]!;
      if (!vector) {
        c.get(p[i]!).get(v);
        storeLane0(c, w.dtype, f);
      } else if (s === 1) {
        c.get(p[i]!).get(v);
        storeVector(c, w.dtype, k.lanes, f);
      } else {
        // A strided write (only float reductions into a transposed accumulator): lane by lane.
        if (w.dtype !== "float32" && w.dtype !== "float64")
          throw new Error(`internal error: strided ${w.dtype} write in a fused loop`);
        const op = w.dtype === "float64" ? SIMD.v128_store64_lane : SIMD.v128_store32_lane;
        for (let l = 0; l < k.lanes; l++) {
          c.get(p[i]!)
            .i32(l * s * k.eb[i]!)
            .op(OP.i32_add)
            .get(v);
          c.simdMemLane(op, l);
        }
      }
    });
    k.ptrs.forEach((_, i) => {
      const s = k.strides[i]![inner]!;
      if (s !== 0)
        c.get(p[i]!)
          .i32(s * k.eb[i]! * step)
          .op(OP.i32_add)
          .set(p[i]!);
    });
    c.get(j).i32(step).op(OP.i32_add).set(j);
  };
  const r = k.range;
  if (r) {
    // [start, end): whole vectors up to vecEnd = end − (end − start) mod lanes, then the tail.
    c.get(r.start).set(j);
    if (k.lanes > 1) {
      const vecEnd = f.local(I32);
      c.get(r.end).get(r.end).get(r.start).op(OP.i32_sub).i32(k.lanes).op(OP.i32_rem_u).op(OP.i32_sub).set(vecEnd);
      c.block().get(j).get(vecEnd).op(OP.i32_ge_u).brIf(0).loop();
      body(true, k.lanes);
      c.get(j).get(vecEnd).op(OP.i32_lt_u).brIf(0);
      c.end().end();
    }
    c.block().get(j).get(r.end).op(OP.i32_ge_u).brIf(0).loop();
    body(false, 1);
    c.get(j).get(r.end).op(OP.i32_lt_u).brIf(0);
    c.end().end();
    return;
  }
  c.i32(0).set(j);
  if (k.lanes > 1 && n >= k.lanes) {
    const vecEnd = n - (n % k.lanes);
    c.block().loop();
    body(true, k.lanes);
    c.get(j).i32(vecEnd).op(OP.i32_lt_u).brIf(0);
    c.end().end();
  }
  if (k.lanes === 1 || n % k.lanes !== 0) {
    c.block();
    c.get(j).i32(n).op(OP.i32_ge_u).brIf(0);
    c.loop();
    body(false, 1);
    c.get(j).i32(n).op(OP.i32_lt_u).brIf(0);
    c.end().end();
  }
}
