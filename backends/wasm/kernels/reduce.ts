/**
 * Float reductions with a fused prologue. When the innermost dimension is kept, the output is an
 * accumulator read and written through the elementwise loop nest (vectorized across outputs);
 * when it is reduced, each output element accumulates a SIMD vector over the reduced dimensions
 * and folds its lanes at the end. Accumulation is in the output dtype, in a fixed order, so
 * results are reproducible run to run.
 */
import type { DType } from "../../../src/core/dtype.js";
import type { ExprNode, ReduceKernel, ReduceOp } from "../../plan/types.js";
import { contiguousStrides } from "../../plan/views.js";
import { emitExpr, lanesFor } from "../codegen/expr.js";
import { elementBytes, type Lanes, loadLane, loadSplat, loadVector, storeLane0 } from "../codegen/values.js";
import type { Code } from "../encoder/code.js";
import type { FuncBuilder } from "../encoder/module.js";
import { I32, OP, V128 } from "../encoder/opcodes.js";
import { type Emitters, emitLoopNest, type LoopRange, loopRange, type Operand, RANGED_PARAMS } from "./loop-nest.js";

const COMBINE: Record<ReduceOp, "add" | "max" | "min" | "mul"> = { sum: "add", max: "max", min: "min", prod: "mul" };
const IDENTITY: Record<ReduceOp, number> = { sum: 0, max: -Infinity, min: Infinity, prod: 1 };

/** Arena byte offsets of the kernel's input views and output. */
export interface ReduceAddresses {
  readonly inputs: readonly number[];
  readonly output: number;
}

/** One exported function of a kernel, and how its range may be cut when it is ranged. */
export interface KernelFunction {
  readonly name: string;
  readonly range: LoopRange;
}

/**
 * Declares and defines the functions computing `k`, exported as `${name}_0`, `${name}_1`, …, to
 * be called in order with the arena base (with `ranged`, as RANGED_PARAMS over each one's range;
 * only outputs are split, so each output element accumulates in the same order on any split).
 */
export function emitReduce(
  e: Emitters,
  k: ReduceKernel,
  addr: ReduceAddresses,
  name: string,
  ranged = false,
): KernelFunction[] {
  const fns: KernelFunction[] = [];
  const declare = (range: LoopRange): number => {
    const n = `${name}_${fns.length}`;
    fns.push({ name: n, range });
    return e.m.declare(ranged ? RANGED_PARAMS : [I32], [], n);
  };
  const reduced = new Set(k.axes);
  const live = k.shape.map((_, d) => d).filter((d) => k.shape[d] !== 1);
  const lastLive = live[live.length - 1];
  const keptShape = k.shape.filter((_, d) => !reduced.has(d));
  const outStrides = contiguousStrides(keptShape);
  const reads: Operand[] = k.inputs.map((v, i) => ({
    offset: addr.inputs[i]! + v.offset * elementBytes(inputDtype(k, i)),
    strides: v.strides,
    dtype: inputDtype(k, i),
  }));
  let o = 0;
  const accStrides = k.shape.map((_, d) => (reduced.has(d) ? 0 : outStrides[o++]!));
  const acc: Operand = { offset: addr.output, strides: accStrides, dtype: k.dtype };
  const sizeOut = keptShape.reduce((a, b) => a * b, 1);
  if (sizeOut === 0) return [];

  if (lastLive === undefined || !reduced.has(lastLive) || k.shape.some((n) => n === 0)) {
    // Innermost dimension kept (or nothing to reduce): initialize, then accumulate in memory.
    const initSpec = {
      shape: keptShape,
      reads: [],
      body: [{ kind: "literal", value: IDENTITY[k.op], dtype: k.dtype }] as ExprNode[],
      writes: [{ offset: addr.output, strides: outStrides, dtype: k.dtype, node: 0 }],
    };
    emitLoopNest(e, declare(loopRange(initSpec)), initSpec, ranged);
    if (k.shape.some((n) => n === 0)) return fns;
    const root = k.body.length - 1;
    const body: ExprNode[] = [
      ...k.body,
      { kind: "input", input: reads.length, dtype: k.dtype },
      { kind: "op", prim: COMBINE[k.op], args: [k.body.length, root], params: {}, dtype: k.dtype },
    ];
    const mainSpec = { shape: k.shape, reads: [...reads, acc], body, writes: [{ ...acc, node: body.length - 1 }] };
    emitLoopNest(e, declare(loopRange(mainSpec)), mainSpec, ranged);
    return fns;
  }
  const kept = k.shape.filter((n, d) => !reduced.has(d) && n !== 1);
  const extent = kept[0] ?? 1;
  const total = k.shape.reduce((a, b) => a * b, 1);
  const fn = declare({ extent, inner: total / extent, splittable: kept.length > 0 });
  e.m.define(fn, (f, c) => emitRowReduce(e, f, c, k, reads, addr.output, ranged));
  return fns;
}

function inputDtype(k: ReduceKernel, i: number): DType {
  const n = k.body.find((x) => x.kind === "input" && x.input === i);
  return n?.dtype ?? k.dtype;
}

/** The innermost dimension is reduced: kept dimensions outside, reduced ones inside, one vector accumulator. */
function emitRowReduce(
  e: Emitters,
  f: FuncBuilder,
  c: Code,
  k: ReduceKernel,
  reads: readonly Operand[],
  outOffset: number,
  ranged: boolean,
): void {
  const reduced = new Set(k.axes);
  const order = [
    ...k.shape.map((_, d) => d).filter((d) => !reduced.has(d)),
    ...k.shape.map((_, d) => d).filter((d) => reduced.has(d)),
  ].filter((d) => k.shape[d] !== 1);
  const nKept = order.filter((d) => !reduced.has(d)).length;
  const shape = order.map((d) => k.shape[d]!);
  const strides = reads.map((r) => order.map((d) => r.strides[d]!));
  const eb = reads.map((r) => elementBytes(r.dtype));
  const lanes = lanesFor([k.dtype, ...k.body.map((n) => n.dtype), ...reads.map((r) => r.dtype)]);
  const levels = shape.length;
  const ptr = reads.map(() => new Array<number>(levels + 1).fill(0).map(() => f.local(I32)));
  const counters = shape.map(() => f.local(I32));
  const out = f.local(I32);
  const accV = f.local(V128);
  const accS = f.local(V128);
  const outEb = elementBytes(k.dtype);
  // A ranged function runs the first kept dimension over [start, end) (see emitReduce).
  const rangedKept = ranged && nKept > 0;
  const addStart = (bytesPerIndex: number): void => {
    if (rangedKept && bytesPerIndex !== 0) c.get(1).i32(bytesPerIndex).op(OP.i32_mul).op(OP.i32_add);
  };
  reads.forEach((r, i) => {
    c.get(0).i32(r.offset).op(OP.i32_add);
    addStart(strides[i]![0]! * eb[i]!);
    c.set(ptr[i]![0]!);
  });
  c.get(0).i32(outOffset).op(OP.i32_add);
  addStart(shape.slice(1, nKept).reduce((a, b) => a * b, 1) * outEb);
  c.set(out);
  if (ranged) c.block().get(1).get(2).op(OP.i32_ge_u).brIf(0);
  const combine = (a: number, b: number): void => {
    const [v] = emitExpr(
      {
        m: e.m,
        f,
        c,
        lanes,
        host: e.host,
        math: e.math,
        loadInput: (i: number) => c.get(i === 0 ? a : b),
        index: () => {
          throw new Error("internal error: index in a reduction combiner");
        },
      },
      [
        { kind: "input", input: 0, dtype: k.dtype },
        { kind: "input", input: 1, dtype: k.dtype },
        { kind: "op", prim: COMBINE[k.op], args: [0, 1], params: {}, dtype: k.dtype },
      ],
    ).slice(2);
    c.get(v!).set(a);
  };
  const splatIdentity = (l: number): void => {
    const [v] = emitExpr(
      {
        m: e.m,
        f,
        c,
        lanes,
        host: e.host,
        math: e.math,
        loadInput: () => {},
        index: () => {},
      },
      [{ kind: "literal", value: IDENTITY[k.op], dtype: k.dtype }],
    );
    c.get(v!).set(l);
  };
  const open = (d: number): void => {
    reads.forEach((_, i) => c.get(ptr[i]![d]!).set(ptr[i]![d + 1]!));
    if (rangedKept && d === 0) c.get(1).set(counters[d]!);
    else c.i32(0).set(counters[d]!);
    c.block().loop();
  };
  const close = (d: number): void => {
    reads.forEach((_, i) =>
      c
        .get(ptr[i]![d + 1]!)
        .i32(strides[i]![d]! * eb[i]!)
        .op(OP.i32_add)
        .set(ptr[i]![d + 1]!),
    );
    c.get(counters[d]!).i32(1).op(OP.i32_add).tee(counters[d]!);
    if (rangedKept && d === 0) c.get(2);
    else c.i32(shape[d]!);
    c.op(OP.i32_lt_u).brIf(0);
    c.end().end();
  };
  for (let d = 0; d < nKept; d++) open(d);
  splatIdentity(accV);
  splatIdentity(accS);
  const innerDim = levels - 1;
  for (let d = nKept; d < innerDim; d++) open(d);
  // Innermost reduced dimension.
  const p = reads.map(() => f.local(I32));
  const j = f.local(I32);
  const val = f.local(V128);
  reads.forEach((_, i) => c.get(ptr[i]![innerDim]!).set(p[i]!));
  const n = shape[innerDim]!;
  const step = (vector: boolean, width: number): void => {
    const vals = emitExpr(
      {
        m: e.m,
        f,
        c,
        lanes,
        host: e.host,
        math: e.math,
        loadInput: (i: number) => {
          const r = reads[i]!;
          const s = strides[i]![innerDim]!;
          c.get(p[i]!);
          if (!vector || s === 0) loadSplat(c, r.dtype, lanes);
          else if (s === 1) loadVector(c, r.dtype, lanes);
          else {
            loadSplat(c, r.dtype, lanes);
            for (let l = 1; l < lanes; l++) {
              c.get(p[i]!)
                .i32(l * s * eb[i]!)
                .op(OP.i32_add);
              loadLane(c, r.dtype, lanes, l, f);
            }
          }
        },
        index: () => {
          throw new Error("internal error: index nodes are not planned into reductions");
        },
      },
      k.body,
    );
    c.get(vals[vals.length - 1]!).set(val);
    combine(vector ? accV : accS, val);
    reads.forEach((_, i) => {
      const s = strides[i]![innerDim]!;
      if (s !== 0)
        c.get(p[i]!)
          .i32(s * eb[i]! * width)
          .op(OP.i32_add)
          .set(p[i]!);
    });
    c.get(j).i32(width).op(OP.i32_add).set(j);
  };
  c.i32(0).set(j);
  if (lanes > 1 && n >= lanes) {
    c.block().loop();
    step(true, lanes);
    c.get(j)
      .i32(n - (n % lanes))
      .op(OP.i32_lt_u)
      .brIf(0);
    c.end().end();
  }
  if (lanes === 1 || n % lanes !== 0) {
    c.block();
    c.get(j).i32(n).op(OP.i32_ge_u).brIf(0);
    c.loop();
    step(false, 1);
    c.get(j).i32(n).op(OP.i32_lt_u).brIf(0);
    c.end().end();
  }
  for (let d = innerDim - 1; d >= nKept; d--) close(d);
  // Fold the vector's lanes pairwise (a fixed order), then the scalar tail's accumulator.
  foldLanes(c, f, accV, lanes, combine);
  combine(accV, accS);
  c.get(out).get(accV);
  storeLane0(c, k.dtype, f);
  c.get(out).i32(outEb).op(OP.i32_add).set(out);
  for (let d = nKept - 1; d >= 0; d--) close(d);
  if (ranged) c.end();
}

function foldLanes(c: Code, f: FuncBuilder, acc: number, lanes: Lanes, combine: (a: number, b: number) => void): void {
  if (lanes === 1) return;
  const t = f.local(V128);
  const swapHalves = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
  c.get(acc).get(acc).shuffle(swapHalves).set(t);
  combine(acc, t);
  if (lanes === 4) {
    c.get(acc).get(acc).shuffle([4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11]).set(t);
    combine(acc, t);
  }
}
