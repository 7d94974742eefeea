/**
 * dot_general as a batched matrix multiply: the lhs is laid out as [B, M, K] and the rhs as
 * [B, K, N] (copied only when their dims are not already in that order; the copy is O(size), the
 * product O(B·M·K·N)), then an i-k-j loop streams contiguous rows of the rhs and the output.
 */
import { allocate, isFloat, type DType, type TypedArray } from "../../../src/core/dtype.js";
import { sizeOf, stridesOf, type Shape } from "../../../src/core/shape.js";
import type { Kernel } from "./kernel.js";
import { gatherView } from "./shape-ops.js";

/** Returns x with its dims in `order` (a permutation), copying only if that is not the identity. */
function arrange(x: TypedArray, shape: Shape, order: readonly number[], dtype: DType): TypedArray {
  if (order.every((d, i) => d === i)) return x;
  const strides = stridesOf(shape);
  return gatherView(
    x,
    0,
    order.map((d) => strides[d]!),
    order.map((d) => shape[d]!),
    dtype,
  );
}

const freeDims = (nd: number, used: readonly number[]): number[] =>
  Array.from({ length: nd }, (_, i) => i).filter((d) => !used.includes(d));

const extent = (shape: Shape, dims: readonly number[]): number => sizeOf(dims.map((d) => shape[d]!));

/**
 * Float products accumulate in a float64 row (float32 products of float32 values are exact in
 * double, so float32 results are the correctly rounded double-accumulated sum).
 */
function matmulFloat(a: TypedArray, b: TypedArray, o: TypedArray, B: number, M: number, K: number, N: number): void {
  const direct = o instanceof Float64Array;
  const scratch = direct ? o : new Float64Array(N);
  for (let bb = 0; bb < B; bb++) {
    const aBase = bb * M * K;
    const bBase = bb * K * N;
    for (let i = 0; i < M; i++) {
      const oRow = (bb * M + i) * N;
      const tOff = direct ? oRow : 0;
      if (!direct) scratch.fill(0);
      const aRow = aBase + i * K;
      let k = 0;
      // Four rhs rows per pass quarter the loads and stores of the accumulator row.
      for (; k + 3 < K; k += 4) {
        const a0 = a[aRow + k]!;
        const a1 = a[aRow + k + 1]!;
        const a2 = a[aRow + k + 2]!;
        const a3 = a[aRow + k + 3]!;
        const b0 = bBase + k * N;
        const b1 = b0 + N;
        const b2 = b1 + N;
        const b3 = b2 + N;
        for (let j = 0; j < N; j++) {
          scratch[tOff + j] =
            scratch[tOff + j]! + a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
        }
      }
      for (; k < K; k++) {
        const aik = a[aRow + k]!;
        const bRow = bBase + k * N;
        for (let j = 0; j < N; j++) scratch[tOff + j] = scratch[tOff + j]! + aik * b[bRow + j]!;
      }
      if (!direct) for (let j = 0; j < N; j++) o[oRow + j] = scratch[j]!;
    }
  }
}

/** Wrapping 32-bit multiply-accumulate; the typed-array store reduces each partial sum mod 2^32. */
function matmulInt(a: TypedArray, b: TypedArray, o: TypedArray, B: number, M: number, K: number, N: number): void {
  for (let bb = 0; bb < B; bb++) {
    const aBase = bb * M * K;
    const bBase = bb * K * N;
    for (let i = 0; i < M; i++) {
      const oRow = (bb * M + i) * N;
      const aRow = aBase + i * K;
      for (let k = 0; k < K; k++) {
        const aik = a[aRow + k]!;
        const bRow = bBase + k * N;
        for (let j = 0; j < N; j++) o[oRow + j] = o[oRow + j]! + Math.imul(aik, b[bRow + j]!);
      }
    }
  }
}

/** Bool operands give bool results: a dot product is true when any pair is (true, true). */
export const dotGeneral: Kernel<"dot_general"> = (inputs, inShapes, inDtypes, params, out) => {
  const [lc, rc] = params.contracting;
  const [lb, rb] = params.batch;
  const ls = inShapes[0];
  const rs = inShapes[1];
  const dt = inDtypes[0];
  const lFree = freeDims(ls.length, [...lb, ...lc]);
  const rFree = freeDims(rs.length, [...rb, ...rc]);
  const B = extent(ls, lb);
  const M = extent(ls, lFree);
  const K = extent(ls, lc);
  const N = extent(rs, rFree);
  const a = arrange(inputs[0], ls, [...lb, ...lFree, ...lc], dt);
  const b = arrange(inputs[1], rs, [...rb, ...rc, ...rFree], dt);
  const size = B * M * N;
  const o = allocate(out.dtype, size);
  if (isFloat(dt)) {
    matmulFloat(a, b, o, B, M, K, N);
  } else if (out.dtype === "bool") {
    const counts = new Int32Array(size);
    matmulInt(a, b, counts, B, M, K, N);
    for (let i = 0; i < size; i++) o[i] = counts[i] !== 0 ? 1 : 0;
  } else {
    matmulInt(a, b, o, B, M, K, N);
  }
  return o;
};
