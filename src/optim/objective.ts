/**
 * Second-order and line-search optimizers for small problems (up to a few hundred parameters):
 * Newton's method with a damped Hessian (newton.ts), L-BFGS (lbfgs.ts), nonlinear conjugate
 * gradient (Fletcher–Reeves, Polak–Ribière+; nonlinear-cg.ts), and Levenberg–Marquardt for least
 * squares (levenberg-marquardt.ts). This module holds what they share: argument checks, flattening
 * a parameter pytree into one vector, and the flat objective.
 *
 * Two kinds of API, because these methods need the objective itself, not only its gradient:
 *
 * - **Transformations bound to an objective.** `newton(f, opts)` is an ordinary, *traceable*
 *   gradient transformation: `update(grads, state, params)` evaluates the Hessian of `f` at
 *   `params` and returns −lr·(H + αI)⁻¹·g, so `jit(opt.update)` works. `newton(opts)` (no `f`)
 *   takes the Hessian as an extra argument, `update(grads, state, params, { hessian })`.
 *   `lbfgs(f, opts)` and `nonlinearCG(f, opts)` have the same `init`/`update` shape but run a Wolfe
 *   line search on the host inside `update` (JS control flow on values read back), so they are
 *   eager only: call them outside `jit`.
 * - **A solver.** `minimize(f, x0, { method })` runs any of the methods to convergence and reports
 *   `{ x, value, iterations, converged, history, ... }`; `levenbergMarquardt(residuals, x0)` is the
 *   least-squares solver behind `method: "lm"`.
 *
 * Parameters may be any pytree of float32/float64 arrays; internally they are flattened into one
 * vector (in float64 if any leaf is float64, else float32) and results come back in the original
 * structure and dtypes. All numerics are graft ops (gradients by `valueAndGrad`, Hessians by
 * `hessian`, Jacobians by `jacfwd`, jitted once per solver); only the scalars that steer the
 * line search and the stopping tests are read back. Each solver is a generator core that yields
 * those reads (drive.ts): the public functions read synchronously (CPU, wasm), their `…Async`
 * forms (`minimizeAsync`, `updateAsync`, `levenbergMarquardtAsync`) await them (WebGPU), with the
 * same results.
 */
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import type { Params } from "./types.js";
import type { Reads } from "./drive.js";

/** An objective: a scalar-valued function of a pytree of float arrays. */
export type Objective<T = Params> = (params: T) => Array | number;

export type FloatDType = "float32" | "float64";

// ----------------------------------------------------------------------------------------------
// argument checks

export function rangeError(op: string, msg: string): never {
  throw new RangeError(`${op}: ${msg}`);
}
export function checkNonNeg(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))
    rangeError(op, `${what} must be a finite number >= 0, got ${String(v)}`);
  return v;
}
export function checkPos(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
    rangeError(op, `${what} must be a finite number > 0, got ${String(v)}`);
  return v;
}
export function checkInt(op: string, what: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    rangeError(op, `${what} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}
export function checkFn(op: string, what: string, f: unknown): void {
  if (typeof f !== "function")
    throw new TypeError(`${op}: ${what} must be a function, got ${f === null ? "null" : typeof f}`);
}

// ----------------------------------------------------------------------------------------------
// flattening a parameter pytree into one vector

export interface Flattener<T> {
  n: number;
  dtype: FloatDType;
  ravel(t: unknown, what?: string): Array;
  unravel(v: Array): T;
}

export function flattener<T>(op: string, params: T): Flattener<T> {
  const [leaves, def] = tree.flatten(params);
  if (leaves.length === 0) throw new TypeError(`${op}: the parameters contain no arrays`);
  leaves.forEach((l, i) => {
    if (!(l instanceof Array) || (l.dtype !== "float32" && l.dtype !== "float64"))
      throw new TypeError(
        `${op}: every parameter leaf must be a float32 or float64 Array; leaf ${i} is ${l instanceof Array ? l.dtype : typeof l}`,
      );
  });
  // Each leaf's shape, dtype, size and offset in the flat vector.
  let offset = 0;
  const specs = (leaves as Array[]).map((a) => {
    const spec = { shape: a.shape, dtype: a.dtype as FloatDType, size: a.size, offset };
    offset += a.size;
    return spec;
  });
  const dtype: FloatDType = specs.some((s) => s.dtype === "float64") ? "float64" : "float32";
  const n = offset;
  if (n === 0) throw new TypeError(`${op}: the parameters have no elements`);
  return {
    n,
    dtype,
    ravel(t: unknown, what = "the gradient"): Array {
      const [ls, d] = tree.flatten(t);
      if (!d.equals(def))
        throw new TypeError(
          `${op}: ${what} must have the parameters' structure ${def.toString()}, got ${d.toString()}`,
        );
      // Same structure, so ls has one leaf per spec.
      const flat = specs.map((spec, i) => {
        const l = ls[i];
        const a = l instanceof Array ? l : np.asArray(l as number, op);
        if (a.size !== spec.size)
          throw new TypeError(
            `${op}: leaf ${i} of ${what} has shape [${a.shape.join(", ")}], expected [${spec.shape.join(", ")}]`,
          );
        return a.reshape([a.size]).astype(dtype);
      });
      const [first, ...more] = flat;
      return first !== undefined && more.length === 0 ? first : np.concatenate(flat);
    },
    unravel(v: Array): T {
      const parts = specs.map((spec) => {
        const piece = specs.length === 1 ? v : v.get(np.slice(spec.offset, spec.offset + spec.size));
        return piece.reshape([...spec.shape]).astype(spec.dtype);
      });
      return tree.unflatten<T>(def, parts);
    },
  };
}

/** f on the flat vector, checked to return a scalar. */
export function flatObjective<T>(op: string, f: Objective<T>, fl: Flattener<T>): (v: Array) => Array {
  return (v: Array): Array => {
    const out = f(fl.unravel(v));
    const a = out instanceof Array ? out : typeof out === "number" ? np.asArray(out, op) : undefined;
    if (a === undefined)
      throw new TypeError(`${op}: the objective must return a scalar Array, got ${out === null ? "null" : typeof out}`);
    if (a.size !== 1)
      throw new TypeError(
        `${op}: the objective must return a scalar, got shape [${a.shape.join(", ")}] (for least squares use levenbergMarquardt or method "lm")`,
      );
    const s = a.reshape([]);
    return s.dtype === "float32" || s.dtype === "float64" ? s : s.astype(fl.dtype);
  };
}

// ----------------------------------------------------------------------------------------------
// host reads, as steps of a solver core (drive.ts runs them synchronously or awaits them)

/** The values of several size-1 arrays, read together (one round trip on an asynchronous backend). */
export function* readAll(...arrays: Array[]): Reads<readonly number[]> {
  return yield arrays;
}
/** The value of a size-1 array. */
export function* num(a: Array): Reads<number> {
  const [v] = yield [a];
  return v as number; // one array asked, one value given
}
/** ‖v‖∞, computed on the array's backend, then read. */
export const maxAbs = (v: Array): Array => np.max(np.abs(v));
export const infNorm = (v: Array): Reads<number> => num(maxAbs(v));
/** aᵀb, computed on the arrays' backend, then read. */
export const dotNum = (a: Array, b: Array): Reads<number> => num(np.vdot(a, b));
