/** Float64 central differences over pytree arguments, and the numerical Jacobian. */
import { Array, describeValue } from "../core/array.js";
import * as np from "../numpy/index.js";
import { flattenWithPath, unflatten, type PyTreeDef } from "../tree/index.js";

/** A pytree flattened to float64 array leaves, with each leaf's path (`[0].w`). */
export interface FlatTree {
  readonly leaves: Array[];
  readonly paths: string[];
  readonly def: PyTreeDef;
}

/**
 * Throws a TypeError unless `args` is a JS array (the positional arguments), catching the common
 * slip of passing one graft Array (`f(x)`-style) instead of `[x]`.
 */
export function assertArgsList(op: string, args: unknown): void {
  if (globalThis.Array.isArray(args)) return;
  const got =
    args instanceof Array
      ? `an Array of shape [${args.shape.join(", ")}]`
      : args === undefined || args === null || typeof args === "object"
        ? describeValue(args)
        : `a ${typeof args} (${String(args)})`;
  throw new TypeError(`${op}: args must be a list of arguments, e.g. ${op}(f, [x]); got ${got}`);
}

/** A fresh float64 array holding `data`. */
export const f64 = (data: Float64Array, shape: readonly number[]): Array => np.array(data, { shape, dtype: "float64" });

/** The elements of any array as float64 (a copy). */
export const toF64Data = (x: Array): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);

/**
 * Float64 copies of every leaf of `tree` (JS numbers become 0-d arrays). Throws for leaves that
 * cannot be differentiated (integer or bool arrays, other objects). `sawFloat32` reports whether
 * any leaf was float32 or a JS number (used to pick per-dtype defaults).
 */
export function toFloat64Tree(tree: unknown, op: string): FlatTree & { tree: unknown; sawFloat32: boolean } {
  const [pl, def] = flattenWithPath(tree);
  let sawFloat32 = false;
  const leaves = pl.map(([path, leaf]) => {
    if (typeof leaf === "number") {
      sawFloat32 = true;
      return f64(new Float64Array([leaf]), []);
    }
    if (!(leaf instanceof Array))
      throw new TypeError(
        `${op}: argument leaf ${path || "(root)"} is ${describeValue(leaf)}; expected graft arrays or numbers`,
      );
    if (leaf.dtype !== "float32" && leaf.dtype !== "float64")
      throw new TypeError(
        `${op}: argument leaf ${path || "(root)"} has dtype ${leaf.dtype}; only float arguments can be differentiated (close over integer arguments instead)`,
      );
    if (leaf.dtype === "float32") sawFloat32 = true;
    return f64(toF64Data(leaf), leaf.shape);
  });
  return { leaves, paths: pl.map(([p]) => p), def, tree: unflatten(def, leaves), sawFloat32 };
}

/** Flattens a function output to arrays (JS numbers become float64 scalars). */
export function flattenOutput(out: unknown, op: string): FlatTree {
  const [pl, def] = flattenWithPath(out);
  const leaves = pl.map(([path, leaf]) => {
    if (leaf instanceof Array) return leaf;
    if (typeof leaf === "number") return f64(new Float64Array([leaf]), []);
    throw new TypeError(
      `${op}: output leaf ${path || "(root)"} is ${describeValue(leaf)}; expected graft arrays or numbers`,
    );
  });
  return { leaves, paths: pl.map(([p]) => p), def };
}

/**
 * Throws unless `data` (one entry per output leaf) has the leaf count and leaf sizes of `like`, the
 * outputs at the given arguments: a function whose output structure changes between calls cannot
 * be differentiated numerically.
 */
function checkSameOutputs(op: string, like: readonly Array[], data: readonly ArrayLike<number>[], when: string): void {
  if (data.length === like.length && data.every((d, o) => d.length === like[o]?.size)) return;
  const sizes = (ns: number[]): string => `[${ns.join(", ")}]`;
  throw new Error(
    `${op}: the function's output leaves ${when} have sizes ${sizes(data.map((d) => d.length))}, but ${sizes(like.map((l) => l.size))} at the given arguments; it must return outputs of the same structure and shapes on every call`,
  );
}

/** Default step and tolerance for the dtypes the arguments had. */
export const defaultEps = (sawFloat32: boolean): number => (sawFloat32 ? 1e-3 : 1e-4);
export const defaultTol = (sawFloat32: boolean): number => (sawFloat32 ? 2e-3 : 1e-5);

/**
 * Central difference of `fn` (a function of the flat leaves) along `dir` in leaf `i` only:
 * (fn(x + eps·dir) - fn(x - eps·dir)) / 2eps, one Float64Array per output leaf. `out` holds the
 * output leaves of `fn(leaves)`; both shifted outputs must have their structure and sizes.
 */
export function centralDifference(
  fn: (leaves: Array[]) => unknown,
  leaves: readonly Array[],
  out: readonly Array[],
  i: number,
  dir: Float64Array,
  eps: number,
  op: string,
): Float64Array[] {
  const leaf = leaves[i];
  if (leaf === undefined) throw new Error(`internal error: ${op}: leaf ${i} of ${leaves.length}`);
  if (dir.length !== leaf.size)
    throw new Error(`internal error: ${op}: direction of size ${dir.length} for leaf ${i} of size ${leaf.size}`);
  const base = toF64Data(leaf);
  const at = (s: number): Float64Array[] => {
    const d = base.map((v, k) => v + s * eps * dir[k]!);
    const shifted = leaves.map((l, j) => (j === i ? f64(d, l.shape) : l));
    const data = flattenOutput(fn(shifted), op).leaves.map(toF64Data);
    checkSameOutputs(op, out, data, `at x ${s > 0 ? "+" : "−"} eps·dir`);
    return data;
  };
  const plus = at(1);
  const minus = at(-1);
  return plus.map((p, o) => {
    const m = minus[o]!; // both have out's structure
    return p.map((v, k) => (v - m[k]!) / (2 * eps));
  });
}

/** Options of `numericalJacobian`. */
export interface NumericalJacobianOptions {
  /** Central-difference step (default 1e-4 for float64 arguments, 1e-3 when any is float32). */
  eps?: number;
  /** Which positional arguments to differentiate: a number (default 0) or a list, as in `jacfwd`. */
  argnums?: number | readonly number[];
}

/**
 * The Jacobian of `f` at `args` by float64 central differences, laid out like `jacfwd(f)(...args)`:
 * nested output-tree → input-tree, each block shaped `[...out.shape, ...in.shape]` (float64).
 * With a list `argnums`, each output leaf maps to a tuple with one entry per listed argument.
 * Costs two evaluations of `f` per input element, so keep inputs small.
 *
 * @example
 * numericalJacobian((x: Array) => x.sin(), [np.array([0, 1])]);
 * // ≈ jacfwd((x: Array) => x.sin())(np.array([0, 1])) = diag(cos x)
 */
export function numericalJacobian<A extends unknown[]>(
  f: (...args: A) => unknown,
  args: A,
  opts: NumericalJacobianOptions = {},
): unknown {
  const op = "numericalJacobian";
  assertArgsList(op, args);
  const n = args.length;
  const list = opts.argnums === undefined ? [0] : typeof opts.argnums === "number" ? [opts.argnums] : [...opts.argnums];
  const argnums = list.map((a) => {
    if (!Number.isInteger(a) || a < -n || a >= n)
      throw new RangeError(`${op}: argnums ${JSON.stringify(opts.argnums)} is out of range for ${n} argument(s)`);
    return a < 0 ? a + n : a;
  });
  const single = opts.argnums === undefined || typeof opts.argnums === "number";
  const flat = toFloat64Tree(
    argnums.map((a) => args[a]),
    op,
  );
  const eps = opts.eps ?? defaultEps(flat.sawFloat32);
  const fn = (leaves: Array[]): unknown => {
    const parts = unflatten(flat.def, leaves) as unknown[];
    const full = args.slice() as A;
    argnums.forEach((a, k) => (full[a] = parts[k]));
    return f(...full);
  };
  const out = flattenOutput(fn(flat.leaves), op);
  const blocks = out.leaves.map((o) => flat.leaves.map((x) => new Float64Array(o.size * x.size)));
  flat.leaves.forEach((x, i) => {
    for (let k = 0; k < x.size; k++) {
      const dir = new Float64Array(x.size);
      dir[k] = 1;
      centralDifference(fn, flat.leaves, out.leaves, i, dir, eps, op).forEach((col, o) => {
        const block = blocks[o]![i]!;
        for (let r = 0; r < col.length; r++) block[r * x.size + k] = col[r]!;
      });
    }
  });
  const rows = blocks.map((row, o) => {
    const byArg = unflatten(
      flat.def,
      row.map((b, i) => f64(b, [...out.leaves[o]!.shape, ...flat.leaves[i]!.shape])),
    ) as unknown[];
    return single ? byArg[0] : byArg;
  });
  return unflatten(out.def, rows);
}
