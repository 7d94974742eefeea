/**
 * Joining, splitting, tiling, padding and flipping arrays, composed from the concatenate / slice /
 * broadcast_in_dim / reshape / gather / pad / rev primitives (so all are differentiable, batchable
 * and jittable). Inputs of several arrays are promoted to a common dtype.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { fromTypedArray } from "../core/eval.js";
import { normalizeAxes, normalizeAxis, shapeStr, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { asArray, promote } from "../core/convert.js";

function checkList(op: string, xs: readonly ArrayOrScalar[]): Array[] {
  if (!globalThis.Array.isArray(xs) || xs.length === 0) throw new Error(`${op}: need at least one array`);
  return promote(op, ...xs);
}

/**
 * Joins arrays along an existing axis (all other sizes must match); `axis = null` flattens first.
 *
 * @example np.concatenate([np.ones([2, 3]), np.zeros([1, 3])]) // shape [3, 3]
 */
export function concatenate(xs: readonly ArrayOrScalar[], axis: number | null = 0): Array {
  let arrs = checkList("concatenate", xs);
  if (axis === null) arrs = arrs.map((a) => L.reshape(a, [a.size]));
  const a0 = arrs[0]!;
  if (a0.ndim === 0) throw new Error("concatenate: zero-dimensional arrays cannot be concatenated (use stack)");
  const ax = normalizeAxis("concatenate", axis ?? 0, a0.ndim);
  arrs.forEach((a, k) => {
    if (a.ndim !== a0.ndim || a.shape.some((n, i) => i !== ax && n !== a0.shape[i]))
      throw new Error(
        `concatenate: array ${k} has shape ${shapeStr(a.shape)} but array 0 has ${shapeStr(a0.shape)}; ` +
          `all sizes except axis ${ax} must match (and ranks must be equal)`,
      );
  });
  return arrs.length === 1 ? a0 : bind1("concatenate", arrs, { axis: ax });
}

/**
 * Joins equally shaped arrays along a new axis.
 *
 * @example np.stack([np.ones([3]), np.zeros([3])], 1) // shape [3, 2]
 */
export function stack(xs: readonly ArrayOrScalar[], axis = 0): Array {
  const arrs = checkList("stack", xs);
  const s0 = arrs[0]!.shape;
  const ax = normalizeAxis("stack", axis, s0.length + 1);
  arrs.forEach((a, k) => {
    if (a.shape.length !== s0.length || a.shape.some((n, i) => n !== s0[i]))
      throw new Error(
        `stack: all arrays must have the same shape; array ${k} has ${shapeStr(a.shape)} but array 0 has ${shapeStr(s0)}`,
      );
  });
  const shape = [...s0.slice(0, ax), 1, ...s0.slice(ax)];
  return concatenate(
    arrs.map((a) => L.reshape(a, shape)),
    ax,
  );
}

/** Stacks along axis 0 after making each input at least 2-D (1-D `[n]` becomes `[1, n]`). @example np.vstack([a, b]) */
export function vstack(xs: readonly ArrayOrScalar[]): Array {
  return concatenate(
    checkList("vstack", xs).map((a) => (a.ndim >= 2 ? a : L.reshape(a, [1, a.size]))),
    0,
  );
}

/** Stacks along axis 1 (axis 0 for 1-D inputs; scalars become 1-D). @example np.hstack([a, b]) */
export function hstack(xs: readonly ArrayOrScalar[]): Array {
  const arrs = checkList("hstack", xs).map((a) => (a.ndim === 0 ? L.reshape(a, [1]) : a));
  return concatenate(arrs, arrs[0]!.ndim === 1 ? 0 : 1);
}

const sliceAxis = (x: Array, axis: number, lo: number, hi: number): Array =>
  bind1("slice", [x], {
    start: x.shape.map((_, i) => (i === axis ? lo : 0)),
    limit: x.shape.map((n, i) => (i === axis ? hi : n)),
    strides: x.shape.map(() => 1),
  });

/**
 * Splits into equal sections (a number, which must divide the axis) or at the given indices
 * (NumPy semantics: `[2, 5]` gives `x[:2]`, `x[2:5]`, `x[5:]`; out-of-range indices give empty parts).
 *
 * @example np.split(np.arange(6), 3) // three arrays of 2; np.split(np.arange(6), [1, 4])
 */
export function split(x: ArrayOrScalar, indicesOrSections: number | readonly number[], axis = 0): Array[] {
  const a = asArray(x, "split");
  if (a.ndim === 0) throw new Error("split: cannot split a zero-dimensional array");
  const ax = normalizeAxis("split", axis, a.ndim);
  const n = a.shape[ax]!;
  let bounds: number[];
  if (typeof indicesOrSections === "number") {
    const k = indicesOrSections;
    if (!Number.isInteger(k) || k <= 0)
      throw new RangeError(`split: the number of sections must be a positive integer, got ${k}`);
    if (n % k !== 0)
      throw new Error(
        `split: array split does not result in an equal division: axis ${ax} of size ${n} into ${k} sections`,
      );
    bounds = globalThis.Array.from({ length: k - 1 }, (_, i) => ((i + 1) * n) / k);
  } else {
    if (!indicesOrSections.every((i) => Number.isInteger(i)))
      throw new TypeError(`split: indices must be integers, got ${JSON.stringify(indicesOrSections)}`);
    bounds = indicesOrSections.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n));
  }
  const edges = [0, ...bounds, n];
  return edges.slice(1).map((hi, i) => {
    const lo = edges[i]!;
    return sliceAxis(a, ax, lo, Math.max(lo, hi));
  });
}

/**
 * Repeats the whole array `reps` times along each axis (NumPy's tile: the shorter of x.ndim and
 * reps.length is padded with leading 1s).
 *
 * @example np.tile(np.array([1, 2]), [2, 2]) // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function tile(x: ArrayOrScalar, reps: number | readonly number[]): Array {
  const a = asArray(x, "tile");
  const r0 = typeof reps === "number" ? [reps] : [...reps];
  if (r0.some((r) => !Number.isInteger(r) || r < 0))
    throw new RangeError(`tile: reps must be non-negative integers, got ${JSON.stringify(reps)}`);
  const nd = Math.max(a.ndim, r0.length);
  const shape = [...globalThis.Array<number>(nd - a.ndim).fill(1), ...a.shape];
  const r = [...globalThis.Array<number>(nd - r0.length).fill(1), ...r0];
  const interleaved = shape.flatMap((n, i) => [r[i]!, n]);
  const b = L.broadcastInDim(
    L.reshape(a, shape),
    interleaved,
    shape.map((_, i) => 2 * i + 1),
  );
  return L.reshape(
    b,
    shape.map((n, i) => n * r[i]!),
  );
}

const int32Const = (vals: readonly number[]): Array => fromTypedArray(Int32Array.from(vals), [vals.length], "int32");

/**
 * Repeats each element `repeats` times along `axis` (the flattened array when omitted); a list
 * gives a count per element (its length must match the axis, or be 1).
 *
 * @example np.repeat(np.array([1, 2]), 2) // [1, 1, 2, 2]; np.repeat(np.array([1, 2]), [1, 3]) // [1, 2, 2, 2]
 */
export function repeat(x: ArrayOrScalar, repeats: number | readonly number[], axis?: number | null): Array {
  let a = asArray(x, "repeat");
  if (axis === undefined || axis === null) a = L.reshape(a, [a.size]);
  const ax = normalizeAxis("repeat", axis ?? 0, a.ndim);
  const n = a.shape[ax]!;
  const reps = typeof repeats === "number" ? [repeats] : repeats;
  if (reps.some((r) => !Number.isInteger(r) || r < 0))
    throw new RangeError(`repeat: repeats must be non-negative integers, got ${JSON.stringify(repeats)}`);
  if (reps.length === 1) {
    const k = reps[0]!;
    const shape = [...a.shape.slice(0, ax + 1), k, ...a.shape.slice(ax + 1)];
    const b = L.broadcastInDim(
      a,
      shape,
      a.shape.map((_, i) => (i <= ax ? i : i + 1)),
    );
    return L.reshape(
      b,
      a.shape.map((m, i) => (i === ax ? m * k : m)),
    );
  }
  if (reps.length !== n) throw new Error(`repeat: got ${reps.length} repeat counts for axis ${ax} of size ${n}`);
  return bind1("gather", [a, int32Const(reps.flatMap((r, i) => globalThis.Array<number>(r).fill(i)))], { axis: ax });
}

/** Padding widths: one number for every side, `[lo, hi]` for every axis, or one `[lo, hi]` (or number) per axis. */
export type PadWidth = number | readonly number[] | readonly (number | readonly number[])[];
export type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap";

function padPairs(w: PadWidth, ndim: number): [number, number][] {
  const pair = (p: number | readonly number[]): [number, number] => {
    if (typeof p === "number") return [p, p];
    if (p.length === 1) return [p[0]!, p[0]!];
    if (p.length === 2) return [p[0]!, p[1]!];
    throw new Error(`pad: each pad width must be a number or [before, after], got ${JSON.stringify(p)}`);
  };
  let out: [number, number][];
  if (typeof w === "number") out = globalThis.Array.from({ length: ndim }, () => pair(w));
  else if (w.every((p) => typeof p === "number"))
    out = globalThis.Array.from({ length: ndim }, () => pair(w as readonly number[]));
  else if (w.length === 1) out = globalThis.Array.from({ length: ndim }, () => pair(w[0]!));
  else if (w.length === ndim) out = w.map(pair);
  else throw new Error(`pad: got ${w.length} pad widths for an array of rank ${ndim}`);
  if (out.flat().some((v) => !Number.isInteger(v) || v < 0))
    throw new RangeError(`pad: pad widths must be non-negative integers, got ${JSON.stringify(w)}`);
  return out;
}

/** Source index in [0, n) for output position p (relative to the original start) under `mode`. */
function padSource(mode: Exclude<PadMode, "constant">, p: number, n: number): number {
  if (mode === "edge") return Math.min(Math.max(p, 0), n - 1);
  if (mode === "wrap") return ((p % n) + n) % n;
  if (mode === "symmetric") {
    const q = ((p % (2 * n)) + 2 * n) % (2 * n);
    return q < n ? q : 2 * n - 1 - q;
  }
  if (n === 1) return 0;
  const q = ((p % (2 * n - 2)) + 2 * n - 2) % (2 * n - 2);
  return q < n ? q : 2 * n - 2 - q;
}

/**
 * Pads each axis (NumPy's pad). Modes: "constant" (`constantValues`, default 0), "edge" (repeat
 * the border), "reflect" (mirror without the border), "symmetric" (mirror with it), "wrap".
 *
 * @example np.pad(np.array([1, 2]), [1, 2]) // [0, 1, 2, 0, 0]; np.pad(x, 1, { mode: "edge" })
 */
export function pad(
  x: ArrayOrScalar,
  padWidth: PadWidth,
  opts: { mode?: PadMode; constantValues?: number } = {},
): Array {
  checkOptions("pad", opts, ["mode", "constantValues"]);
  const a = asArray(x, "pad");
  const pairs = padPairs(padWidth, a.ndim);
  const mode = opts.mode ?? "constant";
  if (mode === "constant") {
    const value = opts.constantValues ?? 0;
    return bind1("pad", [a], {
      lo: pairs.map((p) => p[0]),
      hi: pairs.map((p) => p[1]),
      interior: pairs.map(() => 0),
      value,
    });
  }
  if (!["edge", "reflect", "symmetric", "wrap"].includes(mode))
    throw new Error(`pad: unknown mode "${String(mode)}" (constant, edge, reflect, symmetric or wrap)`);
  if (opts.constantValues !== undefined)
    throw new Error(`pad: constantValues only applies to mode "constant", not "${mode}"`);
  let out = a;
  pairs.forEach(([lo, hi], ax) => {
    if (lo === 0 && hi === 0) return;
    const n = a.shape[ax]!;
    if (n === 0) throw new Error(`pad: cannot pad empty axis ${ax} in mode "${mode}"`);
    const src = globalThis.Array.from({ length: lo + n + hi }, (_, i) => padSource(mode, i - lo, n));
    out = bind1("gather", [out, int32Const(src)], { axis: ax });
  });
  return out;
}

/**
 * Reverses the order of elements along `axis` (all axes by default).
 *
 * @example np.flip(np.array([[1, 2], [3, 4]]), 1) // [[2, 1], [4, 3]]
 */
export function flip(x: ArrayOrScalar, axis?: number | readonly number[] | null): Array {
  const a = asArray(x, "flip");
  const axes = normalizeAxes("flip", axis, a.ndim).filter((ax) => a.shape[ax]! > 1);
  return axes.length === 0 || sizeOf(a.shape) === 0 ? a : bind1("rev", [a], { axes });
}
