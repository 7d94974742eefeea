/** Host-side helpers for the property suite: float64 input domains, comparisons, index math. */
import fc from "fast-check";
import { Array, np, tree } from "../src/index.js";
import { arbArray, arbShape, type ShapeOptions } from "../src/testing/index.js";

/** Where an op's inputs live: [min, max], then an optional elementwise or whole-array remap. */
export interface Domain {
  min: number;
  max: number;
  /** Elementwise remap, e.g. pushing values away from a kink. */
  post?: (v: number) => number;
  /** Whole-array remap (after `post`), e.g. making all elements distinct. */
  postAll?: (data: Float64Array) => Float64Array;
}

export const REAL: Domain = { min: -3, max: 3 };
export const POSITIVE: Domain = { min: 0.2, max: 4 };
/** Values with |v| ≥ 0.3. */
export const awayFrom0 = (d: Domain = REAL): Domain => ({ ...d, post: (v) => (v >= 0 ? v + 0.3 : v - 0.3) });
/** Values on the grid Z + offset (two grids with offsets 0.25 and 0.75 never come within 0.5). */
export const grid = (offset: number, d: Domain = REAL): Domain => ({ ...d, post: (v) => Math.round(v) + offset });
/** All elements distinct, at least ~0.2 apart (random order kept): for max/min/std. */
export const DISTINCT: Domain = {
  min: -3,
  max: 3,
  postAll: (data) => {
    const order = globalThis.Array.from(data.keys()).sort((a, b) => data[a]! - data[b]! || a - b);
    const out = new Float64Array(data.length);
    order.forEach((k, rank) => (out[k] = rank * 0.25 - 1 + data[k]! * 0.005));
    return out;
  },
};

/** Re-creates `x` with each element remapped. */
export function remap(x: Array, d: Domain): Array {
  let data: Float64Array = Float64Array.from(x.dataSync() as ArrayLike<number>);
  if (d.post) data = data.map(d.post);
  if (d.postAll) data = d.postAll(data);
  return np.array(data, { shape: x.shape, dtype: "float64" });
}

/** float64 arrays in a domain, of a given shape or random shapes. */
export function arbIn(d: Domain, shape?: readonly number[] | ShapeOptions): fc.Arbitrary<Array> {
  const s = globalThis.Array.isArray(shape)
    ? { shape: shape as readonly number[] }
    : { maxRank: 2, maxDim: 3, ...(shape as ShapeOptions | undefined) };
  return arbArray({ dtype: "float64", min: d.min, max: d.max, ...s }).map((x) => remap(x, d));
}

/** Small shapes for gradient checks (FD cost grows with the size). */
export const smallShape = (opts: ShapeOptions = {}): fc.Arbitrary<number[]> =>
  arbShape({ maxRank: 2, maxDim: 3, ...opts });

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
export const stridesOf = (shape: readonly number[]): number[] => {
  const s = new globalThis.Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
};
export const unravel = (flat: number, shape: readonly number[]): number[] => {
  const idx: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    idx.unshift(shape[i] ? flat % shape[i]! : 0);
    flat = shape[i] ? Math.floor(flat / shape[i]!) : 0;
  }
  return idx;
};

/** Host copy of `x` taken at index `i` of `axis` (the axis removed). */
export function sliceAxis(x: Array, axis: number, i: number): Array {
  const shape = x.shape;
  const out = shape.filter((_, k) => k !== axis);
  const src = x.dataSync();
  const st = stridesOf(shape);
  const data = new Float64Array(sizeOf(out));
  for (let f = 0; f < data.length; f++) {
    const idx = unravel(f, out);
    idx.splice(axis, 0, i);
    data[f] = src[idx.reduce((s, v, k) => s + v * st[k]!, 0)]!;
  }
  return np.array(data, { shape: out, dtype: x.dtype });
}

/** Host stack of same-shaped arrays along a new `axis`. */
export function stackAxis(xs: readonly Array[], axis: number): Array {
  const inner = xs[0]!.shape;
  const shape = [...inner];
  shape.splice(axis, 0, xs.length);
  const datas = xs.map((x) => x.dataSync());
  const data = new Float64Array(sizeOf(shape));
  for (let f = 0; f < data.length; f++) {
    const idx = unravel(f, shape);
    const [b] = idx.splice(axis, 1);
    data[f] = datas[b!]![idx.reduce((s, v, k) => s * inner[k]! + v, 0)]!;
  }
  return np.array(data, { shape, dtype: xs[0]!.dtype });
}

export interface Tol {
  atol?: number;
  rtol?: number;
}

/** Throws (with shapes, worst element and values) unless `got` matches `want` in shape and values. */
export function expectClose(got: unknown, want: unknown, tol: Tol = {}, what = "value"): void {
  const { atol = 1e-9, rtol = 1e-9 } = tol;
  if (!(got instanceof Array) || !(want instanceof Array))
    throw new Error(`${what}: expected arrays, got ${String(got)} and ${String(want)}`);
  const [g, w] = [got, want];
  if (g.shape.join() !== w.shape.join()) throw new Error(`${what}: shape [${g.shape}] != expected [${w.shape}]`);
  const gd = g.dataSync();
  const wd = w.dataSync();
  for (let k = 0; k < gd.length; k++) {
    const a = gd[k]!;
    const b = wd[k]!;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)))
      throw new Error(
        `${what}: element ${k} (index [${unravel(k, g.shape)}]) is ${a}, expected ${b} (atol ${atol}, rtol ${rtol})\n got ${g}\n want ${w}`,
      );
  }
}

/** `expectClose` over two pytrees of arrays with the same structure. */
export function expectTreeClose(got: unknown, want: unknown, tol: Tol = {}, what = "value"): void {
  const [gl, gdef] = tree.flatten(got);
  const [wl, wdef] = tree.flatten(want);
  const [gd, wd] = [gdef.toString(), wdef.toString()];
  if (gd !== wd) throw new Error(`${what}: structure ${gd} != expected ${wd}`);
  gl.forEach((l, i) => expectClose(l, wl[i], tol, `${what} leaf ${i}`));
}

/**
 * Shapes for differential suites: `base`, of rank 0..3 from `dim` with at most `maxSize`
 * elements, and `pair`, two shapes that broadcast together (one a suffix of the other with some
 * axes set to 1), either first (x0 sets the shape of constants in exprs.ts).
 */
export function broadcastShapes(
  dim: fc.Arbitrary<number>,
  maxSize: number,
): { base: fc.Arbitrary<number[]>; pair: fc.Arbitrary<[number[], number[]]> } {
  const base = fc.array(dim, { maxLength: 3 }).map((s) => {
    const out = [...s];
    while (sizeOf(out) > maxSize) out.pop();
    return out;
  });
  const pair = fc
    .tuple(base, fc.nat(3), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.boolean())
    .map(([b, drop, ones, swap]): [number[], number[]] => {
      const other = b.slice(Math.min(drop, b.length)).map((d, i) => (ones[i] ? 1 : d));
      return swap ? [other, b] : [b, other];
    });
  return { base, pair };
}
