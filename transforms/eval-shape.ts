/**
 * `evalShape`: the shapes and dtypes a function would return, found by tracing it on abstract
 * values (no array data is read and nothing is computed).
 */
import type { Array } from "../src/core/array.js";
import { ShapedArray } from "../src/core/aval.js";
import { checkFunction } from "../src/core/validate.js";
import { traceToProgram } from "../src/interpreters/staging.js";
import { currentTrace } from "../src/core/trace.js";
import { flatten, unflatten, type PyTreeDef } from "../src/tree/index.js";
import { checkArgsDefined, flatFn, frozen, recordedDef, toArray } from "../src/interpreters/args.js";

/** `T` with each array (or number) leaf replaced by its `ShapedArray`. */
export type ShapeTree<T> = T extends Array | number | boolean
  ? ShapedArray
  : T extends readonly unknown[]
    ? { readonly [K in keyof T]: ShapeTree<T[K]> }
    : T extends object
      ? { readonly [K in keyof T]: ShapeTree<T[K]> }
      : T;

/** Arguments where any array leaf may instead be given as a `ShapedArray` or a JS number. */
export type AbstractArgs<T> = T extends Array
  ? T | ShapedArray | number
  : T extends number | boolean
    ? T | ShapedArray
    : T extends readonly unknown[]
      ? { [K in keyof T]: AbstractArgs<T[K]> }
      : T extends object
        ? { [K in keyof T]: AbstractArgs<T[K]> }
        : T;

/**
 * The abstract value of each leaf of `args`: `ShapedArray`s as they are, graft arrays by their aval,
 * JS numbers as `np.asArray` would type them (integers weak int32, others weak float32).
 * @internal
 */
export function abstractLeaves(
  args: unknown,
  op: string,
  where: string,
  numbers: "float" | "asArray",
): [ShapedArray[], PyTreeDef] {
  const [leaves, def] = flatten(args);
  return [leaves.map((l) => (l instanceof ShapedArray ? l : toArray(l, op, where, numbers).aval)), def];
}

/**
 * Returns the shapes and dtypes (as a pytree of `ShapedArray`) that `f(...args)` would produce,
 * without computing anything: `f` is traced on abstract values. Arguments may be graft arrays, JS
 * numbers, `ShapedArray`s (standing for arrays of that shape and dtype), or pytrees of these.
 * Reading data inside `f` (`.item()`, `.dataSync()`, `Number(x)`) throws a `ConcretizationError`.
 *
 * @example
 * const out = evalShape((a: Array, b: Array) => ({ y: np.matmul(a, b), n: a.sum() }), new ShapedArray([128, 64], "float32"), np.ones([64, 10]));
 * out.y.shape; // [128, 10]
 * out.n.dtype; // "float32"
 */
export function evalShape<A extends unknown[], R>(f: (...args: A) => R, ...args: AbstractArgs<A>): ShapeTree<R> {
  checkFunction("evalShape", f);
  checkArgsDefined(args, "evalShape");
  const [avals, inDef] = abstractLeaves(args, "evalShape", "arguments", "asArray");
  const out: { def?: PyTreeDef } = {};
  const { program } = traceToProgram(flatFn(f, inDef, "evalShape", out), avals, currentTrace(), "evalShape");
  return frozen(unflatten(recordedDef(out, "evalShape"), program.outAvals) as ShapeTree<R>);
}
