/**
 * Eager dot_general on the shape-generic matmul (codegen/generic/matmul.ts). As the planner does
 * (backends/plan/build.ts), each operand is viewed as [batch, rows, cols] — lhs as (batch dims,
 * free dims, contracting dims), rhs as (batch dims, contracting dims, free dims), each group in the
 * order the params list it — where each group is one stride chain of the operand's contiguous
 * layout; an operand whose groups are not is first copied into that order (one generic copy).
 * The output, (batch, lhs free, rhs free) row-major, is exactly C = [batch, m, n].
 */
import type { BufferInfo } from "../../src/core/backend.js";
import { sizeOf } from "../../src/core/shape.js";
import type { PrimParams } from "../../src/core/primitives.js";
import { type Group, mergeGroup, transposeView } from "../plan/views.js";
import { rowMajor } from "./codegen/elementwise.js";
import { flatDispatch } from "./codegen/kernel.js";
import { MATMUL_BLOCK, matmulShader } from "./codegen/generic/matmul.js";
import type { Runtime } from "./compile.js";
import { dispatch, newOutput, paramsBuffer, scratch } from "./eager-run.js";
import { copyView } from "./eager-views.js";
import type { GpuArray } from "./memory.js";

/** An operand as the matmul reads it: its buffer, and offset and strides over [batch, rows, cols]. */
interface Operand {
  readonly array: GpuArray;
  readonly strides: readonly [number, number, number];
  /** A copy this call made (released once the product is recorded). */
  readonly temp: boolean;
}

function operand(rt: Runtime, x: GpuArray, shape: readonly number[], order: readonly (readonly number[])[]): Operand {
  const contiguous = { offset: 0, strides: rowMajor(shape) };
  const groups = order.map((g) => mergeGroup(contiguous, shape, g));
  if (groups.every((g) => g !== undefined)) {
    const [a, b, c] = groups as [Group, Group, Group];
    return { array: x, strides: [a.stride, b.stride, c.stride], temp: false };
  }
  const perm = order.flat();
  const permShape = perm.map((d) => shape[d]!);
  const copy = scratch(rt, sizeOf(shape), "dot_general");
  copyView(rt, x, transposeView(contiguous, perm), copy, { offset: 0, strides: rowMajor(permShape) }, permShape);
  // In the copy each group is a run of consecutive dimensions: always one stride chain.
  let at = 0;
  const permuted = { offset: 0, strides: rowMajor(permShape) };
  const [a, b, c] = order.map(
    (g) =>
      mergeGroup(
        permuted,
        permShape,
        g.map(() => at++),
      )!,
  );
  return { array: copy, strides: [a!.stride, b!.stride, c!.stride], temp: true };
}

const freeDims = (rank: number, used: readonly number[]): number[] =>
  Array.from({ length: rank }, (_, d) => d).filter((d) => !used.includes(d));

/** Runs dot_general eagerly. */
export function runDot(
  rt: Runtime,
  params: PrimParams["dot_general"],
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
): GpuArray {
  const [lc, rc] = params.contracting;
  const [lb, rb] = params.batch;
  const [ls, rs] = [inInfo[0]!.shape, inInfo[1]!.shape];
  const lFree = freeDims(ls.length, [...lb, ...lc]);
  const rFree = freeDims(rs.length, [...rb, ...rc]);
  const extent = (shape: readonly number[], dims: readonly number[]): number => sizeOf(dims.map((d) => shape[d]!));
  const [batch, m, k, n] = [extent(ls, lb), extent(ls, lFree), extent(ls, lc), extent(rs, rFree)];
  const o = newOutput(rt, out, "dot_general");
  if (batch * m * n === 0) return o;
  const a = operand(rt, inputs[0]!, ls, [lb, lFree, lc]);
  const b = operand(rt, inputs[1]!, rs, [rb, rc, rFree]);
  const blocksM = Math.ceil(m / MATMUL_BLOCK);
  const blocksN = Math.ceil(n / MATMUL_BLOCK);
  const p = paramsBuffer(rt, [batch, m, n, k, 0, ...a.strides, 0, ...b.strides, blocksM, blocksN]);
  dispatch(rt, matmulShader(out.dtype), [a.array, b.array, o, p], flatDispatch(batch * blocksM * blocksN));
  for (const x of [a, b]) if (x.temp) rt.memory.release(x.array.buffer);
  return o;
}
