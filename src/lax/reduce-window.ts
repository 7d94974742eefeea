/**
 * `lax.reduceWindow`: a monoid reduction over sliding windows (pooling), composed from a pad and
 * one strided slice per window position, so every transform comes from those primitives.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { type ConvPadding, paddingPairs } from "./conv.js";
import { dilateDim } from "./prims/conv.js";

/** The reductions reduceWindow supports (JAX passes `lax.add`, `lax.max`, … as the computation). */
export type ReduceWindowOp = "sum" | "add" | "max" | "min" | "prod" | "mul";

export interface ReduceWindowOptions {
  /** Dilation of the operand (init-valued holes between elements). Default 1s. */
  baseDilation?: readonly number[];
  /** Dilation of the window. Default 1s. */
  windowDilation?: readonly number[];
}

const OP = "reduceWindow";
const OPS: readonly ReduceWindowOp[] = ["sum", "add", "max", "min", "prod", "mul"];

/** Combines the running result with the next window element. */
function combiner(op: ReduceWindowOp): (acc: Array, b: Array) => Array {
  switch (op) {
    case "sum":
    case "add":
      return L.add;
    case "prod":
    case "mul":
      return L.mul;
    case "max":
    case "min": {
      // A select (not elementwise max) so that, as in JAX, a tie sends the whole gradient to one
      // element (the first in window order) rather than splitting it; NaN wins like lax.max.
      const better = op === "max" ? "gt" : "lt";
      return (acc, b) => L.select(L.binary("or", L.binary(better, b, acc), L.binary("ne", b, b)), b, acc);
    }
  }
}

/** Whether `init` leaves every value unchanged under `op` (then it is not combined in). */
function isIdentity(op: ReduceWindowOp, init: number, dtype: string): boolean {
  if (op === "sum" || op === "add") return init === 0;
  if (op === "prod" || op === "mul") return init === 1;
  const lowest = dtype === "int32" ? -2147483648 : dtype === "uint32" ? 0 : Number.NEGATIVE_INFINITY;
  const highest = dtype === "int32" ? 2147483647 : dtype === "uint32" ? 4294967295 : Number.POSITIVE_INFINITY;
  return op === "max" ? init === lowest : init === highest;
}

function checkCounts(name: string, xs: readonly number[], n: number, min: number): void {
  if (xs.length !== n || !xs.every((v) => Number.isInteger(v) && v >= min))
    throw new Error(`${OP}: ${name} needs ${n} integers >= ${min} (one per operand axis), got [${xs.join(", ")}]`);
}

/**
 * Reduces each window of `x` with `op` starting from `init` (JAX's `lax.reduce_window` for the
 * monoids add, mul, max and min): windows of `windowDimensions` at `windowStrides`, after padding
 * with `init` ("SAME", "VALID" or [lo, hi] per axis) and optional base/window dilation. Max/min
 * gradients go to the first extremal element of each window.
 *
 * @example
 * const x = np.arange(16).reshape([4, 4]);
 * lax.reduceWindow(x, -Infinity, "max", [2, 2], [2, 2], "VALID"); // [[5, 7], [13, 15]]
 */
export function reduceWindow(
  x: ArrayOrScalar,
  init: number,
  op: ReduceWindowOp,
  windowDimensions: readonly number[],
  windowStrides?: readonly number[],
  padding: ConvPadding = "VALID",
  opts: ReduceWindowOptions = {},
): Array {
  checkOptions(OP, opts, ["baseDilation", "windowDilation"]);
  const a = asArray(x, OP);
  if (!OPS.includes(op)) throw new Error(`${OP}: op must be one of ${OPS.join(", ")}, got '${String(op)}'`);
  if (typeof init !== "number") throw new Error(`${OP}: init must be a number, got ${typeof init}`);
  if (a.dtype === "bool") throw new Error(`${OP}: bool operands are not supported; convert to a number dtype first`);
  const n = a.ndim;
  const ones = a.shape.map(() => 1);
  const strides = windowStrides ?? ones;
  const baseDil = opts.baseDilation ?? ones;
  const winDil = opts.windowDilation ?? ones;
  checkCounts("windowDimensions", windowDimensions, n, 0);
  checkCounts("windowStrides", strides, n, 1);
  checkCounts("baseDilation", baseDil, n, 1);
  checkCounts("windowDilation", winDil, n, 1);
  const pads = paddingPairs(OP, padding, a.shape, windowDimensions, strides);
  const padded0 = bind1("pad", [a], {
    lo: pads.map(([lo]) => Math.max(lo, 0)),
    hi: pads.map(([, hi]) => Math.max(hi, 0)),
    interior: baseDil.map((d) => d - 1),
    value: init,
  });
  // Negative pads crop (as in XLA).
  const padded = bind1("slice", [padded0], {
    start: pads.map(([lo]) => Math.max(-lo, 0)),
    limit: padded0.shape.map((s, d) => s - Math.max(-pads[d]![1], 0)),
    strides: ones,
  });
  const outShape = padded.shape.map((s, d) => {
    const w = dilateDim(windowDimensions[d]!, winDil[d]!);
    return s < w ? 0 : Math.floor((s - w) / strides[d]!) + 1;
  });
  const initArr = L.full({ shape: outShape, dtype: a.dtype }, init);
  const count = windowDimensions.reduce((p, k) => p * k, 1);
  if (count === 0 || outShape.includes(0)) return initArr;
  const combine = combiner(op);
  let acc: Array | undefined;
  const k = new globalThis.Array<number>(n).fill(0);
  for (let i = 0; i < count; i++) {
    const start = k.map((v, d) => v * winDil[d]!);
    const win = bind1("slice", [padded], {
      start,
      limit: start.map((s, d) => s + (outShape[d]! - 1) * strides[d]! + 1),
      strides: [...strides],
    });
    acc = acc === undefined ? win : combine(acc, win);
    for (let d = n - 1; d >= 0 && ++k[d]! === windowDimensions[d]!; d--) k[d] = 0;
  }
  const result = acc as Array;
  return isIdentity(op, init, a.dtype) ? result : combine(initArr, result);
}
