/** Shared argument handling for the public transforms: pytrees in, flat arrays through, pytrees out. */
import { type Array, describeValue, isArray } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { convert, scalar } from "../core/ops.js";
import { asArray } from "../core/convert.js";
import { freeze } from "immer";
import { flatten, unflatten, type PyTreeDef } from "../tree/index.js";
import { foreignArrayNote } from "../core/validate.js";

/** Turns a pytree leaf into an array: JS numbers become weakly typed float32 scalars. */
export function toArray(x: unknown, op: string, where: string, numbers: "float" | "asArray" = "float"): Array {
  if (isArray(x)) return x;
  if (typeof x === "number") return numbers === "float" ? scalar(x, "float32", true) : asArray(x, op);
  if (typeof x === "boolean") return scalar(x ? 1 : 0, "bool");
  throw new TypeError(
    `${op}: ${where} must be graft arrays, numbers or pytrees of them; found ${describeValue(x)}${foreignArrayNote(x)}`,
  );
}

/**
 * Flattens a pytree of arrays/numbers into arrays plus its structure. JS numbers become weak
 * float32 scalars (they are differentiated), or follow np.asArray (integers → weak int32) for
 * transforms that do not differentiate.
 */
export function flattenArrays(
  tree: unknown,
  op: string,
  where: string,
  numbers: "float" | "asArray" = "float",
): [Array[], PyTreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => toArray(l, op, where, numbers)), def];
}

/**
 * Checks tangents against their primals (same shapes and dtypes; weakly typed JS-number tangents
 * are converted) and returns them ready for a JVP.
 */
export function matchTangents(op: string, primals: readonly Array[], tangents: readonly Array[]): Array[] {
  if (tangents.length !== primals.length)
    throw new Error(`internal error: ${op}: ${tangents.length} tangent leaves for ${primals.length} primal leaves`);
  return tangents.map((t, i) => {
    const x = primals[i]!;
    if (x.shape.join() !== t.shape.join())
      throw new Error(`${op}: tangent leaf ${i} has shape [${t.shape}] but its primal has shape [${x.shape}]`);
    if (t.dtype === x.dtype) return t;
    if (!t.weakType)
      throw new TypeError(
        `${op}: tangent leaf ${i} has dtype ${t.dtype} but its primal has dtype ${x.dtype}; tangents must match their primals' dtypes`,
      );
    return convert(t, x.dtype);
  });
}

/** Rejects `undefined` top-level arguments, which would otherwise flatten to an empty pytree. */
export function checkArgsDefined(args: readonly unknown[], op: string): void {
  args.forEach((a, i) => {
    if (a === undefined)
      throw new TypeError(`${op}: argument ${i} is undefined; pass an array, a number or a pytree of them`);
  });
}

/** The output structure `flatFn` recorded in `out`; an internal error if the function has not run yet. */
export function recordedDef(out: { def?: PyTreeDef }, op: string): PyTreeDef {
  if (!out.def) throw new Error(`internal error: ${op} read the function's output structure before calling it`);
  return out.def;
}

/** Wraps a pytree function as a flat one, recording the output structure in `out.def` (read it with `recordedDef`). */
export function flatFn<A extends unknown[]>(
  f: (...args: A) => unknown,
  inDef: PyTreeDef,
  op: string,
  out: { def?: PyTreeDef },
): (...xs: Array[]) => Array[] {
  return (...xs) => {
    const args = unflatten(inDef, xs) as A;
    const [leaves, def] = flattenArrays(f(...args), op, "function outputs");
    out.def = def;
    return leaves;
  };
}

/** Throws unless `x` can be differentiated (a float array). */
export function checkDifferentiable(x: Array, op: string, what: string): void {
  if (!isFloat(x.dtype))
    throw new TypeError(
      `${op}: ${what} has dtype ${x.dtype}, but only float32/float64 values can be differentiated. ` +
        `Convert it with .astype("float32"), or leave it out of argnums.`,
    );
}

/** Normalizes argnums (number or list) against the argument count. */
export function normalizeArgnums(argnums: number | readonly number[] | undefined, nargs: number, op: string): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === "number" ? [argnums] : [...argnums];
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs)
      throw new RangeError(
        `${op}: argnums ${JSON.stringify(argnums ?? 0)} is out of range for a call with ${nargs} argument(s); ` +
          `pass the values to differentiate as arguments of the function`,
      );
    return a < 0 ? a + nargs : a;
  });
}

/** Deep-freezes the containers of a result pytree (arrays are immutable already). */
export function frozen<T>(t: T): T {
  return freeze(t, true);
}
