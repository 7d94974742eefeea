/** fast-check arbitraries for shapes, arrays and pytrees of arrays. */
import fc from "fast-check";
import type { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import * as np from "../numpy/index.js";

/** Options of `arbShape`. */
export interface ShapeOptions {
  /** Smallest rank (default 0). */
  minRank?: number;
  /** Largest rank (default 3). */
  maxRank?: number;
  /** Smallest size of an axis (default 1; pass 0 to allow empty arrays). */
  minDim?: number;
  /** Largest size of an axis (default 4). */
  maxDim?: number;
}

/**
 * Array shapes: `minRank..maxRank` axes of size `minDim..maxDim`.
 *
 * @example
 * fc.assert(fc.property(arbShape({ maxRank: 2 }), (s) => np.zeros(s).ndim === s.length));
 */
export function arbShape(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 3, minDim = 1, maxDim = 4 } = opts;
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** Options of `arbArray` and `arbArrayOfShape`. */
export interface ArrayOptions {
  /** Element type (default float32). */
  dtype?: DType;
  /** Smallest element (default -10; for int dtypes rounded up). */
  min?: number;
  /** Largest element (default 10). */
  max?: number;
  /** Allow NaN elements (float dtypes only; default false). */
  nan?: boolean;
}

const elements = (size: number, opts: ArrayOptions): fc.Arbitrary<ArrayLike<number>> => {
  const dtype = opts.dtype ?? "float32";
  const len = { minLength: size, maxLength: size };
  const lo = opts.min ?? (dtype === "uint32" || dtype === "bool" ? 0 : -10);
  const hi = opts.max ?? (dtype === "bool" ? 1 : 10);
  if (!(lo <= hi)) throw new RangeError(`arbArray: min (${lo}) must not exceed max (${hi})`);
  switch (dtype) {
    case "float32": {
      // Rounding to float32 must not step outside [min, max].
      let [a, b] = [Math.fround(lo), Math.fround(hi)];
      if (a < lo) a = nextUp32(a);
      if (b > hi) b = nextDown32(b);
      return fc.float32Array({ ...len, min: a, max: b, noNaN: !opts.nan, noDefaultInfinity: true });
    }
    case "float64":
      return fc.float64Array({ ...len, min: lo, max: hi, noNaN: !opts.nan, noDefaultInfinity: true });
    case "int32":
      return fc.int32Array({ ...len, min: Math.ceil(lo), max: Math.floor(hi) });
    case "uint32":
      return fc.uint32Array({ ...len, min: Math.max(0, Math.ceil(lo)), max: Math.floor(hi) });
    case "bool":
      return fc.uint8Array({ ...len, min: Math.max(0, Math.ceil(lo)), max: Math.min(1, Math.floor(hi)) });
  }
};
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const step32 = (x: number, up: boolean): number => {
  if (x === 0) return up ? 1.4e-45 : -1.4e-45;
  f32[0] = x;
  u32[0]! += x > 0 === up ? 1 : -1;
  return f32[0];
};
const nextUp32 = (x: number): number => step32(x, true);
const nextDown32 = (x: number): number => step32(x, false);

/**
 * Arrays of a fixed shape, generated through typed arrays (no NaN or ±Infinity unless `nan`).
 *
 * @example
 * arbArrayOfShape([2, 3], { dtype: "float64", min: 0.1, max: 2 });
 */
export function arbArrayOfShape(shape: readonly number[], opts: ArrayOptions = {}): fc.Arbitrary<Array> {
  const dtype = opts.dtype ?? "float32";
  const s = [...shape];
  const size = s.reduce((a, b) => a * b, 1);
  return elements(size, opts).map((data) => np.array(Float64Array.from(data), { shape: s, dtype }));
}

/**
 * Arrays of a given `shape`, or of random shapes (`arbShape` options) when it is omitted.
 * Elements lie in [min, max] (default [-10, 10]); float32 by default.
 *
 * @example
 * fc.assert(fc.property(arbArray({ dtype: "float64", maxRank: 2 }), (x) => x.add(0).dtype === "float64"));
 */
export function arbArray(opts: ArrayOptions & ShapeOptions & { shape?: readonly number[] } = {}): fc.Arbitrary<Array> {
  if (opts.shape) return arbArrayOfShape(opts.shape, opts);
  return arbShape(opts).chain((s) => arbArrayOfShape(s, opts));
}

/** A nested structure of plain objects and lists whose leaves are `T`. */
export type Pytree<T> = T | Pytree<T>[] | { [key: string]: Pytree<T> };

/** Options of `arbPytree`. */
export interface PytreeOptions {
  /** Maximum nesting depth of containers (default 2; 0 gives bare leaves). */
  maxDepth?: number;
  /** Maximum children of a list or object (default 3). */
  maxChildren?: number;
  /** Allow empty lists and objects (default false). */
  empty?: boolean;
}

const KEYS = ["a", "b", "c", "w", "bias", "x_1"] as const;

/**
 * Pytrees: nested plain objects and lists (up to `maxDepth`) with leaves from `leaf`.
 *
 * @example
 * const params = arbPytree(arbArray({ dtype: "float64", maxRank: 2 }), { maxDepth: 2 });
 * fc.assert(fc.property(params, (p) => tree.leaves(p).every((l) => l instanceof Array)));
 */
export function arbPytree<T>(leaf: fc.Arbitrary<T>, opts: PytreeOptions = {}): fc.Arbitrary<Pytree<T>> {
  const { maxDepth = 2, maxChildren = 3, empty = false } = opts;
  const minLength = empty ? 0 : 1;
  const level = (depth: number): fc.Arbitrary<Pytree<T>> => {
    if (depth <= 0) return leaf;
    const sub = level(depth - 1);
    const list = fc.array(sub, { minLength, maxLength: maxChildren });
    const obj = fc
      .uniqueArray(fc.constantFrom(...KEYS), { minLength, maxLength: Math.min(maxChildren, KEYS.length) })
      .chain((keys) =>
        fc.tuple(...keys.map(() => sub)).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]!]))),
      );
    return fc.oneof({ depthSize: "small" }, leaf, list, obj);
  };
  return level(maxDepth);
}

/**
 * `n` shapes that broadcast together under NumPy rules: each is a suffix of a common shape with
 * some axes replaced by 1.
 *
 * @example
 * fc.assert(fc.property(arbBroadcastableShapes(2), ([a, b]) => np.add(np.zeros(a), np.zeros(b)) !== undefined));
 */
export function arbBroadcastableShapes(n: number, opts: ShapeOptions = {}): fc.Arbitrary<number[][]> {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`arbBroadcastableShapes: n must be a positive integer, got ${n}`);
  return arbShape(opts).chain((full) => {
    const one = fc.tuple(
      fc.integer({ min: 0, max: full.length }),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
    );
    return fc
      .tuple(...globalThis.Array.from({ length: n }, () => one))
      .map((specs) =>
        specs.map(([rank, ones]) =>
          full.slice(full.length - rank).map((d, i) => (ones[full.length - rank + i] ? 1 : d)),
        ),
      );
  });
}
