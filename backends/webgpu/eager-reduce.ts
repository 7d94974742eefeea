/**
 * Eager reductions (reduce_sum, reduce_prod, reduce_max, reduce_min over any axes), argmax, argmin
 * and cumsum on the shape-generic shaders of codegen/generic/reduce.ts. A reduction picks the
 * loop or workgroup form exactly as the planned kernel of the same reduction would
 * (useWorkgroupReduce), so eager and jitted results agree bit for bit.
 */
import type { BufferInfo } from "../../src/core/backend.js";
import { sizeOf } from "../../src/core/shape.js";
import type { DType } from "../../src/core/dtype.js";
import type { PrimParams } from "../../src/core/primitives.js";
import type { ReduceOp } from "../plan/types.js";
import { mergeDims, rowMajor } from "./codegen/elementwise.js";
import { supportsWgsl } from "./codegen/expr.js";
import { flatDispatch } from "./codegen/kernel.js";
import { argShader, cumsumShader, reduceShader } from "./codegen/generic/reduce.js";
import { combineBody, useWorkgroupReduce } from "./codegen/reduce.js";
import { around } from "./codegen/primitives/indexing.js";
import type { Runtime } from "./compile.js";
import { dispatch, type EagerRunner, newOutput, paramsBuffer, runPerElement } from "./eager-run.js";
import type { GpuArray } from "./memory.js";

const REDUCE_OPS: Readonly<Record<string, ReduceOp>> = {
  reduce_sum: "sum",
  reduce_prod: "prod",
  reduce_max: "max",
  reduce_min: "min",
};

/** An axis in [0, rank), or a clear error naming the primitive. */
function normalizeAxis(prim: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(Number.isInteger(a) && a >= 0 && a < rank))
    throw new RangeError(`${prim}: axis ${axis} is out of range for an operand of rank ${rank}`);
  return a;
}

function reduce(
  rt: Runtime,
  prim: string,
  op: ReduceOp,
  x: GpuArray,
  info: BufferInfo,
  axes: readonly number[],
  out: BufferInfo,
): GpuArray | undefined {
  const dtype: DType = info.dtype;
  const combine = combineBody(op, dtype)[2]!;
  if (out.dtype !== dtype || !supportsWgsl(combine, [dtype, dtype])) return undefined;
  const shape = info.shape;
  const reduced = new Set(axes.map((a) => normalizeAxis(prim, a, shape.length)));
  const o = newOutput(rt, out, prim);
  const nOut = sizeOf(out.shape);
  if (nOut === 0) return o;
  // Merged within kept and within reduced dimensions: row-major order survives merging.
  const dims = mergeDims({ shape, strides: [rowMajor(shape)] }, (a, b) => reduced.has(a) === reduced.has(b));
  const kept = dims.shape.flatMap((_, j) => (reduced.has(dims.origin[j]!) ? [] : [j]));
  const red = dims.shape.flatMap((_, j) => (reduced.has(dims.origin[j]!) ? [j] : []));
  const extents = (js: number[]): number[] => js.map((j) => dims.shape[j]!);
  const strides = (js: number[]): number[] => js.map((j) => dims.strides[0]![j]!);
  const nRed = sizeOf(extents(red));
  const p = paramsBuffer(rt, [
    nOut,
    nRed,
    kept.length,
    red.length,
    ...extents(kept),
    ...strides(kept),
    ...extents(red),
    ...strides(red),
  ]);
  const planned = { kind: "reduce", op, shape, axes: [...reduced], inputs: [], body: [], dtype, output: 0 } as const;
  const parallel = useWorkgroupReduce(planned, { fallbackAdapter: rt.ctx.fallback });
  dispatch(
    rt,
    reduceShader(op, dtype, parallel ? "workgroup" : "loop"),
    [x, o, p],
    parallel ? flatDispatch(nOut, 1) : flatDispatch(nOut),
  );
  return o;
}

function arg(
  rt: Runtime,
  prim: "argmax" | "argmin",
  x: GpuArray,
  info: BufferInfo,
  axis: number,
  out: BufferInfo,
): GpuArray {
  const a = normalizeAxis(prim, axis, info.shape.length);
  const [pre, n, post] = around(info.shape, a);
  // The reference refuses too (numpy's argmax refuses an empty axis before that).
  if (n === 0 && pre * post > 0) throw new RangeError(`${prim}: axis ${axis} is empty`);
  // One invocation per line: the output holds one index per line.
  return runPerElement(rt, prim, argShader(prim, info.dtype), [x], out, [n, post]);
}

function cumsum(rt: Runtime, x: GpuArray, info: BufferInfo, p: PrimParams["cumsum"], out: BufferInfo): GpuArray {
  const o = newOutput(rt, out, "cumsum");
  const shape = info.shape;
  const [pre, n, post] = around(shape, normalizeAxis("cumsum", p.axis, shape.length));
  const lines = n === 0 ? 0 : pre * post;
  if (lines === 0) return o;
  const params = paramsBuffer(rt, [lines, n, post, p.reverse ? 1 : 0]);
  dispatch(rt, cumsumShader(info.dtype), [x, o, params], flatDispatch(lines));
  return o;
}

/** Runs a reduction, arg-reduction or cumsum eagerly; undefined for other primitives (or unsupported dtypes). */
export const runReducePrimitive: EagerRunner = (rt, prim, params, inputs, inInfo, out) => {
  const x = inputs[0]!;
  const info = inInfo[0]!;
  const op = REDUCE_OPS[prim];
  if (op) return reduce(rt, prim, op, x, info, (params as PrimParams["reduce_sum"]).axes, out);
  switch (prim) {
    case "argmax":
    case "argmin":
      return arg(rt, prim, x, info, (params as PrimParams["argmax"]).axis, out);
    case "cumsum":
      return cumsum(rt, x, info, params as PrimParams["cumsum"], out);
    default:
      return undefined;
  }
};
