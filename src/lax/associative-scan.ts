/**
 * `lax.associativeScan`: an inclusive prefix scan with an associative combining function, in
 * O(log n) rounds of whole-array operations (the recursive odd/even scheme JAX uses), so it stays
 * a flat composition of slices, pads and selects: differentiable, batchable and jittable.
 */
import type { Array } from "../core/array.js";
import { normalizeAxis, shapeStr } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { checkFunction } from "../core/validate.js";
import { flattenOperands } from "../interpreters/trace-fn.js";
import { unflatten, type PyTreeDef } from "../tree/index.js";
import { sliceAxis } from "./sort-helpers.js";

export interface AssociativeScanOptions {
  /** Scan from the end (each output combines its element with everything after it). */
  reverse?: boolean;
  /** The axis to scan along (default 0); the same for every leaf. */
  axis?: number;
}

type Combine = (a: Array[], b: Array[]) => Array[];

/** `even` fills positions 0, 2, 4…, `odd` positions 1, 3…; a select keeps -0 and NaN payloads exact. */
function interleave(even: Array, odd: Array, axis: number): Array {
  const n = even.shape[axis]! + odd.shape[axis]!;
  const zeros = even.shape.map(() => 0);
  const pad = (x: Array, lo: number, hi: number) =>
    bind1("pad", [x], {
      lo: zeros.map((_, i) => (i === axis ? lo : 0)),
      hi: zeros.map((_, i) => (i === axis ? hi : 0)),
      interior: zeros.map((_, i) => (i === axis ? 1 : 0)),
      value: 0,
    });
  const evenPadded = pad(even, 0, n % 2 === 0 ? 1 : 0);
  const oddPadded = pad(odd, 1, n % 2 === 0 ? 0 : 1);
  const shape = evenPadded.shape;
  const pos = bind1("iota", [], { shape: [...shape], dimension: axis, dtype: "int32" });
  const isOdd = L.eq(L.binary("rem", pos, L.full({ shape, dtype: "int32" }, 2)), L.full({ shape, dtype: "int32" }, 1));
  return L.select(isOdd, oddPadded, evenPadded);
}

function scanFlat(combine: Combine, elems: Array[], axis: number): Array[] {
  const n = elems[0]!.shape[axis]!;
  if (n < 2) return elems;
  // Pairs (0,1), (2,3)… combined, then scanned recursively: that gives every odd-position prefix.
  const pairs = combine(
    elems.map((e) => sliceAxis(e, axis, 0, n - 1, 2)),
    elems.map((e) => sliceAxis(e, axis, 1, n, 2)),
  );
  const odd = scanFlat(combine, pairs, axis);
  // Even positions 2, 4… extend the odd prefix just before them by one element.
  const evenTail = combine(
    n % 2 === 0 ? odd.map((o) => sliceAxis(o, axis, 0, o.shape[axis]! - 1)) : odd,
    elems.map((e) => sliceAxis(e, axis, 2, n, 2)),
  );
  const even = evenTail.map((t, i) => bind1("concatenate", [sliceAxis(elems[i]!, axis, 0, 1), t], { axis }));
  return even.map((e, i) => interleave(e, odd[i]!, axis));
}

/**
 * Inclusive scan of `fn` (associative, applied to pytrees shaped like `elems` with the scanned
 * axis shortened) along `axis` of every leaf of `elems`: output `i` combines elements `0..i`
 * (`i..n-1` when `reverse`). `fn` must work elementwise on whole slices, as in JAX.
 *
 * @example
 * lax.associativeScan(np.add, np.array([1, 2, 3, 4])); // [1, 3, 6, 10]
 * lax.associativeScan((a, b) => ({ s: a.s.add(b.s), p: a.p.mul(b.p) }), { s: x, p: x });
 */
export function associativeScan<T>(fn: (a: T, b: T) => T, elems: T, opts: AssociativeScanOptions = {}): T {
  checkFunction("associativeScan", fn);
  checkOptions("associativeScan", opts, ["reverse", "axis"]);
  if (opts.reverse !== undefined && typeof opts.reverse !== "boolean")
    throw new TypeError(`associativeScan: reverse must be a boolean, got ${typeof opts.reverse}`);
  const [leaves, def] = flattenOperands(elems, "associativeScan");
  if (leaves.length === 0) throw new Error("associativeScan: elems has no array leaves; pass at least one array");
  const axes = leaves.map((l) => normalizeAxis("associativeScan", opts.axis ?? 0, l.ndim));
  const axis = axes[0]!;
  if (axes.some((a) => a !== axis))
    throw new Error(
      `associativeScan: axis ${opts.axis ?? 0} names different axes of leaves of different ranks (${leaves.map((l) => shapeStr(l.shape)).join(", ")}); give leaves one rank or a non-negative axis`,
    );
  const n = leaves[0]!.shape[axis]!;
  if (leaves.some((l) => l.shape[axis] !== n))
    throw new Error(
      `associativeScan: every leaf needs the same length along axis ${axis}, got shapes ${leaves.map((l) => shapeStr(l.shape)).join(", ")}`,
    );
  const combine = combineFlat(fn, def);
  const rev = (xs: Array[]) => (opts.reverse ? xs.map((x) => bind1("rev", [x], { axes: [axis] })) : xs);
  return unflatten<T>(def, rev(scanFlat(combine, rev(leaves), axis)));
}

/** Calls `fn` on pytrees and checks that it returns the same structure and shapes. */
function combineFlat<T>(fn: (a: T, b: T) => T, def: PyTreeDef): Combine {
  return (a, b) => {
    const [out, outDef] = flattenOperands(fn(unflatten<T>(def, a), unflatten<T>(def, b)), "associativeScan");
    if (!outDef.equals(def))
      throw new Error(
        `associativeScan: fn must return the structure of its inputs ${def.toString()}, got ${outDef.toString()}`,
      );
    out.forEach((o, i) => {
      const want = a[i]!;
      if (o.shape.join() !== want.shape.join() || o.dtype !== want.dtype)
        throw new Error(
          `associativeScan: fn must work elementwise, keeping the shapes and dtypes of its inputs: leaf ${i} came back ${o.dtype}${shapeStr(o.shape)}, expected ${want.dtype}${shapeStr(want.shape)}`,
        );
    });
    return out;
  };
}
