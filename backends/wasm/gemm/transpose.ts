/**
 * In-register transpose of a lanes × lanes block (4 × 4 f32, 2 × 2 f64) with i8x16.shuffle, which
 * V8 turns into unpack/shuffle instructions. Packing uses it where the source is contiguous along
 * k but the packed rows run across k (row-major A, transposed B): `lanes` vector loads and stores
 * replace lanes² scalar moves.
 */
import type { Code } from "../encoder/code.js";
import type { ElemOps } from "./dtype.js";

/** i8x16.shuffle of two vectors on the stack picking 32-bit (f32) or 64-bit (f64) lanes. */
function pick(c: Code, width: 4 | 8, lanes: readonly number[]): void {
  const bytes: number[] = [];
  for (const l of lanes) for (let b = 0; b < width; b++) bytes.push(l * width + b);
  c.shuffle(bytes);
}

/**
 * rows[i] holds row i of the block; afterwards out[i] (v128 locals, may not alias rows) holds
 * column i. `tmp` needs `lanes` v128 locals for the 4 × 4 case.
 */
export function transposeBlock(
  c: Code,
  e: ElemOps,
  rows: readonly number[],
  out: readonly number[],
  tmp: readonly number[],
): void {
  const at = (xs: readonly number[], i: number): number => xs[i] as number;
  if (e.lanes === 2) {
    c.get(at(rows, 0)).get(at(rows, 1));
    pick(c, 8, [0, 2]);
    c.set(at(out, 0));
    c.get(at(rows, 0)).get(at(rows, 1));
    pick(c, 8, [1, 3]);
    c.set(at(out, 1));
    return;
  }
  // [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3] …
  const halves: [number, number, readonly number[], number][] = [
    [0, 1, [0, 4, 1, 5], 0],
    [0, 1, [2, 6, 3, 7], 1],
    [2, 3, [0, 4, 1, 5], 2],
    [2, 3, [2, 6, 3, 7], 3],
  ];
  for (const [x, y, l, t] of halves) {
    c.get(at(rows, x)).get(at(rows, y));
    pick(c, 4, l);
    c.set(at(tmp, t));
  }
  // … then [a0 b0 c0 d0] = low halves of t0 and t2, [a1 b1 c1 d1] = high halves, and so on.
  const quads: [number, number, readonly number[], number][] = [
    [0, 2, [0, 1, 4, 5], 0],
    [0, 2, [2, 3, 6, 7], 1],
    [1, 3, [0, 1, 4, 5], 2],
    [1, 3, [2, 3, 6, 7], 3],
  ];
  for (const [x, y, l, o] of quads) {
    c.get(at(tmp, x)).get(at(tmp, y));
    pick(c, 4, l);
    c.set(at(out, o));
  }
}
