/**
 * graft's transforms in data-last, curried form, so they compose with fp-ts's `pipe` and `flow`:
 * `pipe(loss, fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0] }), jit)`. Each one only moves
 * the options first; the result is exactly what the transform itself returns, typed the same.
 */
import type { Array, GradOf } from "../core/array.js";
import { grad as gradT, valueAndGrad as valueAndGradT, type GradOptions } from "../../transforms/grad.js";
import { hessian as hessianT, jacfwd as jacfwdT, jacrev as jacrevT } from "../../transforms/jacobian.js";
import type { JacobianOptions } from "../../transforms/jacobian.js";
import { jit as jitT, type Jitted, type JitOptions } from "../../transforms/jit.js";
import { jvp as jvpT } from "../../transforms/jvp.js";
import { vjp as vjpT } from "../../transforms/vjp.js";
import { vmap as vmapT, type VmapOptions } from "../../transforms/vmap.js";

/** What a differentiated function returns: a scalar array or a JS number. */
type Scalar = Array | number;
type Argnums = number | readonly number[];
type AnyFn = (...args: never[]) => unknown;
/** `grad`'s implementation signature, which its overloads hide (the overloads above restore the types). */
type UntypedTransform = (f: AnyFn, opts: GradOptions) => AnyFn;
/** The gradients `grad` returns for `argnums` N of arguments A (one tree, or a tuple of them). */
export type GradsAt<A extends unknown[], N> = N extends number
  ? GradOf<A[N]>
  : N extends readonly number[]
    ? { -readonly [K in keyof N]: GradOf<A[N[K] & number]> }
    : never;

/**
 * Curried `grad`: `fp.grad(opts)(f)` is `grad(f, opts)`.
 * @example
 * const df = pipe((x: Array) => x.square().sum(), fp.grad());
 * df(np.array([1, 2])); // [2, 4]
 */
export function grad(): <A extends unknown[]>(f: (...args: A) => Scalar) => (...args: A) => GradOf<A[0]>;
export function grad<const N extends Argnums>(
  opts: GradOptions<N> & { hasAux?: false },
): <A extends unknown[]>(f: (...args: A) => Scalar) => (...args: A) => GradsAt<A, N>;
export function grad<const N extends Argnums = 0>(
  opts: GradOptions<N> & { hasAux: true },
): <A extends unknown[], Aux>(f: (...args: A) => readonly [Scalar, Aux]) => (...args: A) => [GradsAt<A, N>, Aux];
export function grad(opts: GradOptions = {}): unknown {
  return (f: AnyFn) => (gradT as unknown as UntypedTransform)(f, opts);
}

/**
 * Curried `valueAndGrad`: `fp.valueAndGrad(opts)(f)` is `valueAndGrad(f, opts)`.
 * @example
 * const [loss, g] = pipe((w: Array) => w.square().sum(), fp.valueAndGrad())(np.array([1, 2]));
 */
export function valueAndGrad(): <A extends unknown[]>(
  f: (...args: A) => Scalar,
) => (...args: A) => [Array, GradOf<A[0]>];
export function valueAndGrad<const N extends Argnums>(
  opts: GradOptions<N> & { hasAux?: false },
): <A extends unknown[]>(f: (...args: A) => Scalar) => (...args: A) => [Array, GradsAt<A, N>];
export function valueAndGrad<const N extends Argnums = 0>(
  opts: GradOptions<N> & { hasAux: true },
): <A extends unknown[], Aux>(
  f: (...args: A) => readonly [Scalar, Aux],
) => (...args: A) => [[Array, Aux], GradsAt<A, N>];
export function valueAndGrad(opts: GradOptions = {}): unknown {
  return (f: AnyFn) => (valueAndGradT as unknown as UntypedTransform)(f, opts);
}

/**
 * Curried `vmap`: `fp.vmap(opts)(f)` is `vmap(f, opts)`.
 * @example
 * const dots = pipe((a: Array, b: Array) => np.dot(a, b), fp.vmap({ inAxes: [null, 0] }));
 */
export const vmap =
  (opts: VmapOptions = {}) =>
  <A extends unknown[], R>(f: (...args: A) => R): ((...args: A) => R) =>
    vmapT(f, opts);

/**
 * Curried `jit`: `fp.jit(opts)(f)` is `jit(f, opts)` (plain `jit` already fits `pipe` without options).
 * @example
 * const step = pipe(update, fp.jit({ staticArgnums: 2 }));
 */
export const jit =
  (opts: JitOptions = {}) =>
  <A extends unknown[], R>(f: (...args: A) => R): Jitted<A, R> =>
    jitT(f, opts);

/**
 * Data-last `jvp`: `fp.jvp(primals, tangents)(f)` is `jvp(f, primals, tangents)`, `[out, tangentOut]`.
 * @example
 * pipe((x: Array) => x.sin(), fp.jvp([np.array(0)], [np.array(1)])); // [sin 0, cos 0]
 */
export const jvp =
  <A extends unknown[]>(primals: [...A], tangents: [...A]) =>
  <R>(f: (...args: A) => R): [R, R] =>
    jvpT(f, primals, tangents);

/**
 * Data-last `vjp`: `fp.vjp(...primals)(f)` is `vjp(f, ...primals)`, `[out, pullback]`.
 * @example
 * const [y, pullback] = pipe((x: Array) => x.square(), fp.vjp(np.array([1, 2])));
 */
export const vjp =
  <A extends unknown[]>(...primals: A) =>
  <R>(f: (...args: A) => R): [R, (ct: R) => A] =>
    vjpT(f, ...primals);

/**
 * Curried `jacfwd`: `fp.jacfwd(opts)(f)` is `jacfwd(f, opts)`.
 * @example
 * pipe((x: Array) => x.square(), fp.jacfwd())(np.array([1, 2])); // diag(2x)
 */
export const jacfwd =
  (opts: JacobianOptions = {}) =>
  <A extends unknown[]>(f: (...args: A) => unknown): ((...args: A) => unknown) =>
    jacfwdT(f, opts);

/**
 * Curried `jacrev`: `fp.jacrev(opts)(f)` is `jacrev(f, opts)`.
 * @example
 * pipe((x: Array) => x.square(), fp.jacrev())(np.array([1, 2])); // diag(2x)
 */
export const jacrev =
  (opts: JacobianOptions = {}) =>
  <A extends unknown[]>(f: (...args: A) => unknown): ((...args: A) => unknown) =>
    jacrevT(f, opts);

/**
 * Curried `hessian`: `fp.hessian(opts)(f)` is `hessian(f, opts)`.
 * @example
 * pipe((x: Array) => x.square().sum(), fp.hessian())(np.array([1, 2])); // 2·I
 */
export const hessian =
  (opts: JacobianOptions = {}) =>
  <A extends unknown[]>(f: (...args: A) => unknown): ((...args: A) => unknown) =>
    hessianT(f, opts);
