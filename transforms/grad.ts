/** `grad` and `valueAndGrad`: vjp seeded with 1 for scalar-valued functions. */
import type { GradOf } from "../src/core/array.js";
import { type Array, isArray } from "../src/core/array.js";
import { checkOptions } from "../src/core/options.js";
import { checkFunction } from "../src/core/validate.js";
import { isFloat } from "../src/core/dtype.js";
import { fullLike } from "../src/core/ops.js";
import { flatten, unflatten, type PyTreeDef } from "../src/tree/index.js";
import { vjpFlat } from "./vjp.js";
import {
  checkArgsDefined,
  checkDifferentiable,
  flattenArrays,
  frozen,
  normalizeArgnums,
  toArray,
} from "../src/interpreters/args.js";

/** The gradient's type for an argument of type T: JS numbers become Arrays, containers keep their shape. */
export type { GradOf };

type Scalar = Array | number;
type Pick<A extends unknown[], N> = N extends number
  ? GradOf<A[N]>
  : N extends readonly number[]
    ? { -readonly [K in keyof N]: GradOf<A[N[K] & number]> }
    : never;

export interface GradOptions<N extends number | readonly number[] = number | readonly number[]> {
  /** Which positional arguments to differentiate: a number or a list (default 0). */
  argnums?: N;
  /** f returns `[value, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

const GRAD_OPTIONS = ["argnums", "hasAux"] as const;

/** The error for a non-scalar output given as a JS list: with a scalar first element it was likely `[value, aux]`. */
function listOutputError(op: string, res: readonly unknown[]): TypeError {
  const first = res[0];
  const scalarFirst = (isArray(first) && first.ndim === 0) || typeof first === "number";
  return new TypeError(
    `${op}: the function must return a scalar (an array of shape []), got a JS array of ${res.length} element(s)` +
      (scalarFirst
        ? `; if it returns [value, aux], pass { hasAux: true } to differentiate the value and return aux alongside`
        : ""),
  );
}

function valueAndGradImpl(f: (...args: unknown[]) => unknown, opts: GradOptions, op: string) {
  checkFunction(op, f);
  checkOptions(op, opts, GRAD_OPTIONS);
  return (...args: unknown[]): [unknown, unknown] => {
    const argnums = normalizeArgnums(opts.argnums, args.length, op);
    const diffArgs = argnums.map((i) => args[i]);
    checkArgsDefined(diffArgs, op);
    const [flat, inDef] = flattenArrays(diffArgs, op, "differentiated arguments");
    flat.forEach((x, i) =>
      checkDifferentiable(x, op, `input leaf ${i} (of argnums ${JSON.stringify(opts.argnums ?? 0)})`),
    );
    let auxDef: PyTreeDef | undefined;
    const flatF = (...xs: Array[]): Array[] => {
      const parts = unflatten(inDef, xs) as unknown[];
      const full = args.slice();
      argnums.forEach((a, i) => (full[a] = parts[i]));
      const res = f(...full);
      let value: unknown = res;
      let auxLeaves: Array[] = [];
      if (opts.hasAux) {
        if (!globalThis.Array.isArray(res) || res.length !== 2)
          throw new TypeError(`${op}: with hasAux the function must return [value, aux]`);
        value = res[0];
        const [al, ad] = flatten(res[1]);
        auxDef = ad;
        auxLeaves = al.map((l) => toArray(l, op, "aux outputs"));
      } else if (globalThis.Array.isArray(res)) throw listOutputError(op, res);
      const v = toArray(value, op, "the function's output");
      if (v.ndim !== 0)
        throw new TypeError(
          `${op}: the function must return a scalar (shape []), got ${v.dtype}[${v.shape.join(", ")}]; use vjp or jacrev for non-scalar outputs`,
        );
      if (!isFloat(v.dtype))
        throw new TypeError(`${op}: the function's output has dtype ${v.dtype}; grad needs a float32/float64 output`);
      return [v, ...auxLeaves];
    };
    const [outs, pullback] = vjpFlat(flatF, flat, op, 1);
    const [value, ...auxOuts] = outs;
    if (!value) throw new Error(`internal error: ${op}: the traced function returned no value`);
    const grads = unflatten(inDef, pullback([fullLike(value, 1)])) as unknown[];
    const g = typeof opts.argnums === "number" || opts.argnums === undefined ? grads[0] : grads;
    let v: unknown = value;
    if (opts.hasAux) {
      if (!auxDef) throw new Error(`internal error: ${op}: the aux structure was not recorded`);
      v = [value, unflatten(auxDef, auxOuts)];
    }
    return frozen([v, g]);
  };
}

/**
 * The gradient of a scalar function with respect to argument `argnums` (default 0), as a function
 * of the same arguments. Arguments and gradients are pytrees.
 *
 * @example
 * const df = grad((x: Array) => x.mul(x).sum());
 * df(np.array([1, 2, 3])); // array([2., 4., 6.])
 */
export function grad<A extends unknown[]>(f: (...args: A) => Scalar): (...args: A) => GradOf<A[0]>;
export function grad<A extends unknown[], const N extends number | readonly number[]>(
  f: (...args: A) => Scalar,
  opts: GradOptions<N> & { hasAux?: false },
): (...args: A) => Pick<A, N>;
export function grad<A extends unknown[], Aux, const N extends number | readonly number[] = 0>(
  f: (...args: A) => readonly [Scalar, Aux],
  opts: GradOptions<N> & { hasAux: true },
): (...args: A) => [Pick<A, N>, Aux];
export function grad(f: (...args: never[]) => unknown, opts: GradOptions = {}): (...args: unknown[]) => unknown {
  const vg = valueAndGradImpl(f as (...args: unknown[]) => unknown, opts, "grad");
  return (...args) => {
    const [v, g] = vg(...args);
    return opts.hasAux ? frozen([g, (v as unknown[])[1]]) : g;
  };
}

/**
 * Like `grad`, but returns `[value, gradient]` (or `[[value, aux], gradient]` with `hasAux`).
 *
 * @example
 * const [loss, g] = valueAndGrad((w: Array) => w.square().sum())(np.array([1, 2]));
 */
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => Scalar): (...args: A) => [Array, GradOf<A[0]>];
export function valueAndGrad<A extends unknown[], const N extends number | readonly number[]>(
  f: (...args: A) => Scalar,
  opts: GradOptions<N> & { hasAux?: false },
): (...args: A) => [Array, Pick<A, N>];
export function valueAndGrad<A extends unknown[], Aux, const N extends number | readonly number[] = 0>(
  f: (...args: A) => readonly [Scalar, Aux],
  opts: GradOptions<N> & { hasAux: true },
): (...args: A) => [[Array, Aux], Pick<A, N>];
export function valueAndGrad(
  f: (...args: never[]) => unknown,
  opts: GradOptions = {},
): (...args: unknown[]) => unknown {
  return valueAndGradImpl(f as (...args: unknown[]) => unknown, opts, "valueAndGrad");
}
