/**
 * How a GEMM call is cut into independent calls, one per slice, each computing some elements of
 * C exactly as the whole call would: the same code path (blocked GEMM, or the matrix–vector loops
 * for a whole batch), the same micro-tiles and the same K order, so the results are bitwise
 * identical whatever the number of slices.
 *
 * - The entry (gemm/entry.ts) folds batches into rows when B is shared; the split repeats that
 *   decision in the same 32-bit arithmetic, so a folded call is split as the one product it is.
 * - Rows are cut at multiples of lcm(mr, 8): micro-tiles then start on the same rows as in the
 *   whole call, and only the last slice has the partial tile the whole call would have.
 * - A slice never has one row (M = 1 takes the matrix–vector path); N = 1 products are not cut by
 *   rows (they take the matrix–vector loops, memory-bound anyway).
 * - Otherwise batches are cut into chunks, and when there are fewer batches than threads each
 *   batch's rows are cut as above.
 */
import { BLOCKING } from "../gemm/blocking.js";
import type { GemmDType } from "../gemm/index.js";

/** gemm(batch, M, N, K, A, rsA, csA, bsA, B, rsB, csB, bsB, C, ldc, bsC, ws): 16 i32 arguments. */
export type GemmArgs = readonly number[];

const SHIFT: Record<GemmDType, number> = { float32: 2, float64: 3 };

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Rows per unit of a row split for `dtype`: a whole number of micro-tiles. */
export function rowUnit(dtype: GemmDType): number {
  const mr = BLOCKING[dtype].mr;
  return (mr * 8) / gcd(mr, 8);
}

/** At most `parts` row ranges [r0, r1) of M rows, cut at multiples of `unit`, none of one row. */
export function rowRanges(M: number, parts: number, unit: number): [number, number][] {
  const units = Math.ceil(M / unit);
  const n = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  for (let s = 0; s < n; s++)
    out.push([Math.floor((s * units) / n) * unit, Math.min(M, Math.floor(((s + 1) * units) / n) * unit)]);
  const last = out[out.length - 1]!;
  if (out.length > 1 && last[1] - last[0] < 2) {
    out.pop();
    out[out.length - 1]![1] = M;
  }
  return out;
}

/**
 * The slices of a gemm call for up to `parts` threads (each slice's `ws` argument is 0; the pool
 * gives each thread its own workspace), or [] when the call cannot be cut.
 */
export function splitGemm(args: GemmArgs, dtype: GemmDType, parts: number): number[][] {
  let [batch, M, N, K, A, rsA, csA, bsA, B, rsB, csB, bsB, C, ldc, bsC] = args.map((v) => v | 0) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (parts < 2 || batch < 1 || M < 1 || N < 1) return [];
  const sh = SHIFT[dtype];
  // The entry's fold, in its i32 arithmetic on byte strides.
  if (batch > 1 && bsB === 0) {
    const rs = M === 1 ? bsA : rsA;
    const ld = M === 1 ? bsC : ldc;
    if (bsA << sh === Math.imul(M, rs << sh) && bsC << sh === Math.imul(M, ld << sh)) {
      rsA = rs;
      ldc = ld;
      M = Math.imul(M, batch);
      batch = 1;
    }
  }
  const size = 1 << sh;
  const slice = (b0: number, nb: number, r0: number, r1: number): number[] => [
    nb,
    r1 - r0,
    N,
    K,
    A + (b0 * bsA + r0 * rsA) * size,
    rsA,
    csA,
    bsA,
    B + b0 * bsB * size,
    rsB,
    csB,
    bsB,
    C + (b0 * bsC + r0 * ldc) * size,
    ldc,
    bsC,
    0,
  ];
  const splitRows = M > 1 && N > 1;
  const out: number[][] = [];
  if (batch === 1) {
    if (splitRows) for (const [r0, r1] of rowRanges(M, parts, rowUnit(dtype))) out.push(slice(0, 1, r0, r1));
  } else if (batch >= parts || !splitRows) {
    const n = Math.min(parts, batch);
    for (let s = 0; s < n; s++) {
      const b0 = Math.floor((s * batch) / n);
      out.push(slice(b0, Math.floor(((s + 1) * batch) / n) - b0, 0, M));
    }
  } else {
    const ranges = rowRanges(M, Math.ceil(parts / batch), rowUnit(dtype));
    for (let b = 0; b < batch; b++) for (const [r0, r1] of ranges) out.push(slice(b, 1, r0, r1));
  }
  return out.length >= 2 ? out : [];
}
