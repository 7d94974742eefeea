/** Hessian-vector products (forward-over-reverse) and small dense Hessians built from them. */
import type { Array } from "../core/array.js";
import { unflatten } from "../tree/index.js";
import { jvp } from "../../transforms/jvp.js";
import { grad } from "../../transforms/grad.js";
import { jit } from "../../transforms/jit.js";
import { FlatSpace, paramLeaves } from "./flat.js";
import { runAsync, runSync, type Reading } from "./host-read.js";

/** A scalar loss of a parameter pytree (close over data, or see `hvp`'s example). */
export type LossFn<P> = (params: P) => Array | number;

/**
 * The Hessian of `f` at `params` times `v`, H·v, by forward-over-reverse differentiation
 * (`jvp` of `grad`): one gradient evaluation's cost, never forming H. `params` is any pytree of
 * float arrays and `v` must have its structure and shapes (leaves are cast to the params' dtypes);
 * the result has that structure too. Traceable: use it inside `jit`, `vmap` or another transform.
 *
 * @example
 * const f = (p: { w: Array }) => p.w.pow(3).sum();
 * hvp(f, { w: np.array([1, 2]) }, { w: np.array([1, 0]) }); // { w: [6, 0] }
 *
 * // With data as a traced argument, compiled once:
 * const hvpJit = jit((p: Params, v: Params, x: Array) => hvp((q: Params) => loss(q, x), p, v));
 */
export function hvp<P>(f: LossFn<P>, params: P, v: P): P {
  if (typeof f !== "function") throw new TypeError(`hvp: f must be a function of the params, got ${typeof f}`);
  const [pLeaves, pDef] = paramLeaves(params, "hvp");
  const [vLeaves, vDef] = paramLeaves(v, "hvp", "v");
  if (!pDef.equals(vDef))
    throw new Error(`hvp: v must have the structure of params; got ${vDef} but params are ${pDef}`);
  const vCast = vLeaves.map((vi, i) => {
    const pi = pLeaves[i]!; // same structure (checked above)
    if (vi.shape.join() !== pi.shape.join())
      throw new Error(`hvp: v leaf ${i} has shape [${vi.shape}] but its params leaf has shape [${pi.shape}]`);
    return vi.dtype === pi.dtype ? vi : vi.astype(pi.dtype);
  });
  const p = unflatten(pDef, pLeaves) as P;
  const t = unflatten(pDef, vCast) as P;
  const g = grad((q: P) => f(q)) as (q: P) => unknown;
  return jvp((q: P) => g(q) as P, [p], [t])[1];
}

/**
 * A compiled `v ↦ H(params)·v` on flat float64 vectors (host side), for the iterative eigensolvers:
 * the HVP is jitted once per (f, params structure) and runs in the params' dtypes on their backend;
 * each application reads its result back. Counts its calls in `calls`.
 */
export function flatHvp<P>(
  f: LossFn<P>,
  space: FlatSpace<P>,
): { apply: (v: Float64Array) => Reading<Float64Array>; calls: number } {
  const compiled = jit((p: P, v: P) => hvp(f, p, v));
  const params = space.params;
  const state = {
    calls: 0,
    *apply(v: Float64Array): Reading<Float64Array> {
      state.calls++;
      const out = yield* space.readVector(compiled(params, space.fromVector(v)), "hvp(f, params, v)");
      for (let i = 0; i < out.length; i++)
        if (!Number.isFinite(out[i]!))
          throw new RangeError(
            `${space.op}: the Hessian-vector product has a NaN or infinite entry (index ${i}); is the loss finite and twice differentiable at params?`,
          );
      return out;
    },
  };
  return state;
}

/** The dense Hessian from n Hessian-vector products, reading each column back. */
function* denseHessianRun<P>(f: LossFn<P>, params: P, op: string): Reading<number[][]> {
  const space = new FlatSpace(params, op);
  const hv = flatHvp(f, space);
  const n = space.size;
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    cols.push(yield* hv.apply(e));
  }
  return cols.map((_, i) => cols.map((c, j) => (c[i]! + cols[i]![j]!) / 2));
}

/**
 * The full Hessian of `f` at `params` as a dense float64 matrix over the flattened parameters
 * (leaves in pytree order, each row-major), from n Hessian-vector products. Meant for small
 * problems and tests: memory is n², time n HVPs. The result is symmetrized, (H + Hᵀ)/2.
 *
 * @example
 * denseHessian((p: { w: Array }) => p.w.square().sum(), { w: np.ones([2]) }); // [[2, 0], [0, 2]]
 */
export function denseHessian<P>(f: LossFn<P>, params: P): number[][] {
  return runSync(denseHessianRun(f, params, "denseHessian"), "denseHessianAsync");
}

/**
 * {@link denseHessian} for backends that read asynchronously (WebGPU): the same matrix, with each
 * Hessian-vector product read by `await x.data()`.
 *
 * @example
 * await denseHessianAsync((p: { w: Array }) => p.w.square().sum(), { w: np.ones([2]) }); // [[2, 0], [0, 2]]
 */
export function denseHessianAsync<P>(f: LossFn<P>, params: P): Promise<number[][]> {
  return runAsync(denseHessianRun(f, params, "denseHessianAsync"));
}
