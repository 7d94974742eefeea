/**
 * `graft-ad/random`: functional, counter-based pseudo-random numbers, bit-compatible with JAX's
 * default PRNG (`jax.random` with the `"threefry2x32"` implementation).
 *
 * A key is a plain `uint32[2]` array (JAX's legacy `PRNGKey` layout). Functions never change a
 * key: the same key always gives the same numbers, so derive fresh keys with {@link split} or
 * {@link foldIn}. Everything is a pure composition of graft primitives, so it works under `jit`,
 * and `vmap` over a batch of keys (`uint32[n, 2]`) gives a batch of independent samples.
 *
 * **Compatibility with JAX.** The top-level functions follow JAX's current default,
 * `jax_threefry_partitionable=True` (the default since JAX 0.5.0); {@link legacy} holds the same
 * API under the scheme older JAX versions used (`jax_threefry_partitionable=False`). In both:
 * - bit-identical to JAX: {@link key} (as `jax.random.PRNGKey`; x64 disabled unless asked),
 *   {@link split}, {@link foldIn}, {@link bits}, {@link threefry2x32}, {@link uniform} (float32;
 *   float64 as JAX computes it with `jax_enable_x64`), {@link bernoulli}, {@link randint} (int32,
 *   uint32), {@link permutation}, {@link shuffle} and uniform {@link choice} (JAX's rounds of
 *   stable sorting by random bits, via the argsort primitive). `uniform` with bounds whose
 *   span is not a power of two computes `u·(max−min)+min` as one fused multiply-add, as XLA emits
 *   it on CPU/GPU (emulated exactly in the array's dtype by a two-product and a two-sum);
 * - equal up to the rounding of XLA's transcendental functions (its float32 `log`, `log1p`, `erf`
 *   are not always correctly rounded; graft's are): {@link normal} (float32: the same uniform
 *   draw, XLA's ErfInv32 polynomial with its fused multiply-adds), {@link truncatedNormal},
 *   {@link gumbel}, {@link exponential}, {@link categorical} and weighted {@link choice} (an ulp
 *   can, rarely, change an argmax or a bucket);
 * - not reproduced: float64 `normal`/`truncatedNormal` (graft refines erfinv by Newton steps on
 *   erf instead of XLA's float64 polynomial), and weighted `choice` with replacement sums `p` with
 *   a sequential `cumsum`, whose float32 rounding can differ from XLA's.
 * - the distributions ({@link laplace}, {@link logistic}, {@link cauchy}, {@link lognormal},
 *   {@link rademacher}, {@link geometric}, {@link gamma}, {@link loggamma}, {@link beta},
 *   {@link dirichlet}, {@link chisquare}, {@link t}, {@link poisson}, {@link multivariateNormal},
 *   {@link orthogonal}) follow JAX 0.10.2's algorithms and key splits (gamma's and poisson's
 *   rejection loops included), so they agree with JAX up to the same roundings (and, for
 *   multivariateNormal and orthogonal, the rounding of the factorization): checked against JAX runs
 *   in test/random/distributions-jax.test.ts. Derivatives with respect to gamma's (loggamma's,
 *   beta's, dirichlet's, chisquare's, t's) shape parameters are JAX's implicit reparameterization
 *   gradients (`random_gamma_grad`), within 10⁻⁴ relative in float32 (test/random/gamma-grad.test.ts);
 *   {@link binomial} and {@link multinomial} give JAX's counts exactly on the fixtures.
 *
 * Checked against values printed by JAX: its documentation's `uniform(key(0))` = 0.947667 and
 * `uniform(split(key(0))[1])` = 0.00729382 (legacy: 0.41845703 and 0.10536897), the legacy
 * `split(PRNGKey(0))` = `[[4146024105, 967050713], [2718843009, 1272950319]]`, the quickstart's
 * legacy `normal(PRNGKey(0), (10,))`; the Random123 known-answer vectors for threefry2x32; and
 * outputs of JAX runs for `split`, `normal`, `randint`, `choice` and `permutation` (see
 * test/random/random.test.ts).
 *
 * @example
 * import { random } from "graft-ad";
 * const k = random.key(0);
 * const [k1, k2] = [0, 1].map((i) => random.split(k).get(i));
 * const x = random.normal(k1, [3, 2]);
 * const idx = random.randint(k2, [5], 0, 10);
 * const batch = vmap((k: Array) => random.uniform(k, [4]))(random.split(k, 8)); // [8, 4]
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { shapeStr } from "../core/shape.js";
import { defaultBackendName, withBackend } from "../core/backend-choice.js";
import { isConcrete } from "../core/concrete.js";
import { threefry2x32Counts, ORIGINAL, PARTITIONABLE, type Scheme } from "./threefry.js";
import * as S from "./samplers.js";
import * as DS from "./distributions-simple.js";
import * as DG from "./distributions-gamma.js";
import * as DM from "./distributions-mvn.js";
import * as DP from "./distributions-poisson.js";
import * as DO from "./distributions-orthogonal.js";
import * as DB from "./distributions-binomial.js";
import type { Key, RandomApi } from "./api.js";

/**
 * Runs a sampler on its key's backend, as `jit` runs on its arguments': the constants it makes
 * (bounds, counters) are created there too, so a key on "cpu" or "webgpu" works whatever the
 * default backend is. Traced keys (inside jit/vmap) run where the trace runs.
 */
function onKeyBackend<R>(k: unknown, f: () => R): R {
  return isConcrete(k) && k.backend !== defaultBackendName() ? withBackend(k.backend, f) : f();
}

export type {
  FloatDType,
  ShapeLike,
  KeyOptions,
  UniformOptions,
  DTypeOptions,
  RandintOptions,
  CategoricalOptions,
  PermutationOptions,
  ChoiceOptions,
} from "./samplers.js";
export type { IntOrFloatDTypeOptions } from "./distributions-simple.js";
export type { MultivariateNormalOptions } from "./distributions-mvn.js";
export type { PoissonOptions } from "./distributions-poisson.js";
export type { OrthogonalOptions } from "./distributions-orthogonal.js";
export type { MultinomialOptions } from "./distributions-binomial.js";

export type { Key, RandomApi } from "./api.js";

/**
 * A key from an integer seed, as `jax.random.PRNGKey(seed)` (and the data of `jax.random.key`):
 * `[0, seed mod 2^32]`, JAX's default (x64 disabled). The seed must then be a 32-bit integer, in
 * [-2^31, 2^32) (negative seeds wrap: `key(-1)` is `[0, 4294967295]`); a seed outside that range,
 * a non-integer or NaN is an error (it would otherwise alias a seed in range: `key(2 ** 32)` would
 * equal `key(0)`). With `{ x64: true }`, the seed is a signed 64-bit integer in [-2^63, 2^63),
 * split into [high word, low word], as JAX builds it with `jax_enable_x64` (so
 * `key(-1, { x64: true })` is `[4294967295, 4294967295]`). Seeds beyond 2^53 need a bigint. An
 * integer scalar array seed (e.g. a traced one under `vmap`) gives `[0, seed]`.
 *
 * @example random.key(42).tolist() // [0, 42]
 */
export const key = (seed: number | bigint | Array, opts?: S.KeyOptions): Key => S.key(seed, opts);

/**
 * JAX's `threefry_2x32(keypair, count)`: the raw Threefry-2x32 hash of a uint32 array of counters
 * under a key (the counts are hashed as pairs (first half, second half), padded with a 0 when odd).
 *
 * @example random.threefry2x32(random.key(0), np.array([0, 0], { dtype: "uint32" })) // [0x6b200159, 0x99ba4efe]
 */
export function threefry2x32(k: Key, count: Array): Array {
  S.checkKey("threefry2x32", k);
  if (count.dtype !== "uint32")
    throw new TypeError(`random.threefry2x32: counts must be uint32, got ${count.dtype}${shapeStr(count.shape)}`);
  return threefry2x32Counts(k, count);
}

/**
 * Folds an integer into a key, giving a new key: `jax.random.fold_in(key, data)` (the same in both
 * threefry schemes). `data` is a 32-bit integer (negative values wrap) or an integer scalar array.
 *
 * @example random.foldIn(random.key(0), 1).tolist() // [928981903, 3453687069]
 */
export const foldIn = (k: Key, data: number | Array): Key => onKeyBackend(k, () => S.foldIn(k, data));

function bindScheme(scheme: Scheme): RandomApi {
  return Object.freeze({
    split: (k: Key, num?: S.ShapeLike) => onKeyBackend(k, () => S.split(scheme, k, num)),
    bits: (k: Key, shape?: S.ShapeLike) => onKeyBackend(k, () => S.bits(scheme, k, shape)),
    uniform: (k: Key, shape?: S.ShapeLike, opts?: S.UniformOptions) =>
      onKeyBackend(k, () => S.uniform(scheme, k, shape, opts)),
    normal: (k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => S.normal(scheme, k, shape, opts)),
    truncatedNormal: (k: Key, lower: ArrayOrScalar, upper: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => S.truncatedNormal(scheme, k, lower, upper, shape, opts)),
    bernoulli: (k: Key, p?: ArrayOrScalar, shape?: S.ShapeLike) =>
      onKeyBackend(k, () => S.bernoulli(scheme, k, p, shape)),
    randint: (k: Key, shape: S.ShapeLike, minval: ArrayOrScalar, maxval: ArrayOrScalar, opts?: S.RandintOptions) =>
      onKeyBackend(k, () => S.randint(scheme, k, shape, minval, maxval, opts)),
    gumbel: (k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => S.gumbel(scheme, k, shape, opts)),
    exponential: (k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => S.exponential(scheme, k, shape, opts)),
    categorical: (k: Key, logits: Array, opts?: S.CategoricalOptions) =>
      onKeyBackend(k, () => S.categorical(scheme, k, logits, opts)),
    permutation: (k: Key, x: number | Array, opts?: S.PermutationOptions) =>
      onKeyBackend(k, () => S.permutation(scheme, k, x, opts)),
    shuffle: (k: Key, x: Array, opts?: { axis?: number }) => onKeyBackend(k, () => S.shuffle(scheme, k, x, opts)),
    choice: (k: Key, a: number | Array, shape?: S.ShapeLike, opts?: S.ChoiceOptions) =>
      onKeyBackend(k, () => S.choice(scheme, k, a, shape, opts)),
    laplace: (k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DS.laplace(scheme, k, shape, opts)),
    logistic: (k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DS.logistic(scheme, k, shape, opts)),
    cauchy: (k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DS.cauchy(scheme, k, shape, opts)),
    lognormal: (k: Key, sigma?: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DS.lognormal(scheme, k, sigma, shape, opts)),
    rademacher: (k: Key, shape?: S.ShapeLike, opts?: DS.IntOrFloatDTypeOptions) =>
      onKeyBackend(k, () => DS.rademacher(scheme, k, shape, opts)),
    geometric: (k: Key, p: ArrayOrScalar, shape?: S.ShapeLike, opts?: DS.IntOrFloatDTypeOptions) =>
      onKeyBackend(k, () => DS.geometric(scheme, k, p, shape, opts)),
    gamma: (k: Key, a: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DG.gamma(scheme, k, a, shape, opts)),
    loggamma: (k: Key, a: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DG.loggamma(scheme, k, a, shape, opts)),
    beta: (k: Key, a: ArrayOrScalar, b: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DG.beta(scheme, k, a, b, shape, opts)),
    dirichlet: (k: Key, alpha: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DG.dirichlet(scheme, k, alpha, shape, opts)),
    chisquare: (k: Key, df: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DG.chisquare(scheme, k, df, shape, opts)),
    t: (k: Key, df: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DG.t(scheme, k, df, shape, opts)),
    multivariateNormal: (
      k: Key,
      mean: ArrayOrScalar,
      cov: ArrayOrScalar,
      shape?: S.ShapeLike,
      opts?: DM.MultivariateNormalOptions,
    ) => onKeyBackend(k, () => DM.multivariateNormal(scheme, k, mean, cov, shape, opts)),
    poisson: (k: Key, lam: ArrayOrScalar, shape?: S.ShapeLike, opts?: DP.PoissonOptions) =>
      onKeyBackend(k, () => DP.poisson(scheme, k, lam, shape, opts)),
    orthogonal: (k: Key, n: number, shape?: S.ShapeLike, opts?: DO.OrthogonalOptions) =>
      onKeyBackend(k, () => DO.orthogonal(scheme, k, n, shape, opts)),
    binomial: (k: Key, n: ArrayOrScalar, p: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions) =>
      onKeyBackend(k, () => DB.binomial(scheme, k, n, p, shape, opts)),
    multinomial: (k: Key, n: ArrayOrScalar, p: ArrayOrScalar, opts?: DB.MultinomialOptions) =>
      onKeyBackend(k, () => DB.multinomial(scheme, k, n, p, opts)),
    foldIn,
    key,
  });
}

const current = bindScheme(PARTITIONABLE);

/**
 * The same API under JAX's original threefry scheme (`jax_threefry_partitionable=False`, the
 * default before JAX 0.5.0), for reproducing numbers from older JAX versions. Keys are shared:
 * only `split`, `bits` and the samplers built on them differ.
 *
 * @example random.legacy.split(random.key(0)).tolist() // [[4146024105, 967050713], [2718843009, 1272950319]]
 */
export const legacy: RandomApi = bindScheme(ORIGINAL);

/** {@inheritDoc RandomApi.split} @example random.split(random.key(0), 3).shape // [3, 2] */
export const split: RandomApi["split"] = current.split;
/** {@inheritDoc RandomApi.bits} @example random.bits(random.key(0), [2]).tolist() // [4070199207, 4202968722] */
export const bits: RandomApi["bits"] = current.bits;
/** {@inheritDoc RandomApi.uniform} @example random.uniform(random.key(0)).item() // 0.947667 */
export const uniform: RandomApi["uniform"] = current.uniform;
/** {@inheritDoc RandomApi.normal} @example random.normal(random.key(1), [2, 3]) */
export const normal: RandomApi["normal"] = current.normal;
/** {@inheritDoc RandomApi.truncatedNormal} @example random.truncatedNormal(random.key(0), -2, 2, [100]) */
export const truncatedNormal: RandomApi["truncatedNormal"] = current.truncatedNormal;
/** {@inheritDoc RandomApi.bernoulli} @example random.bernoulli(random.key(0), 0.3, [10]) */
export const bernoulli: RandomApi["bernoulli"] = current.bernoulli;
/** {@inheritDoc RandomApi.randint} @example random.randint(random.key(0), [5], 0, 10) */
export const randint: RandomApi["randint"] = current.randint;
/**
 * {@inheritDoc RandomApi.gumbel}
 * @example random.gumbel(random.key(0), [3]).tolist() // [2.9233..., 3.8326..., -0.0968...]
 */
export const gumbel: RandomApi["gumbel"] = current.gumbel;
/**
 * {@inheritDoc RandomApi.exponential}
 * @example random.exponential(random.key(0), [3]).tolist() // [2.9501..., 3.8434..., 0.4039...]
 */
export const exponential: RandomApi["exponential"] = current.exponential;
/** {@inheritDoc RandomApi.categorical} @example random.categorical(random.key(0), np.log(np.array([0.2, 0.8])), { shape: [10] }) */
export const categorical: RandomApi["categorical"] = current.categorical;
/** {@inheritDoc RandomApi.permutation} @example random.permutation(random.key(0), 5) // a shuffle of 0..4 */
export const permutation: RandomApi["permutation"] = current.permutation;
/** {@inheritDoc RandomApi.shuffle} @example random.shuffle(random.key(0), np.arange(5)).tolist() // [0, 1, 4, 3, 2] */
export const shuffle: RandomApi["shuffle"] = current.shuffle;
/** {@inheritDoc RandomApi.choice} @example random.choice(random.key(0), 10, [3], { replace: false }) */
export const choice: RandomApi["choice"] = current.choice;
/** {@inheritDoc RandomApi.laplace} @example random.laplace(random.key(0), [3]) */
export const laplace: RandomApi["laplace"] = current.laplace;
/** {@inheritDoc RandomApi.logistic} @example random.logistic(random.key(0), [3]) */
export const logistic: RandomApi["logistic"] = current.logistic;
/** {@inheritDoc RandomApi.cauchy} @example random.cauchy(random.key(0), [3]) */
export const cauchy: RandomApi["cauchy"] = current.cauchy;
/** {@inheritDoc RandomApi.lognormal} @example random.lognormal(random.key(0), 0.5, [3]) */
export const lognormal: RandomApi["lognormal"] = current.lognormal;
/** {@inheritDoc RandomApi.rademacher} @example random.rademacher(random.key(0), [4]) // int32 ±1 */
export const rademacher: RandomApi["rademacher"] = current.rademacher;
/** {@inheritDoc RandomApi.geometric} @example random.geometric(random.key(0), 0.3, [4]) // int32 ≥ 1 */
export const geometric: RandomApi["geometric"] = current.geometric;
/** {@inheritDoc RandomApi.gamma} @example random.gamma(random.key(0), 2.5, [3]) */
export const gamma: RandomApi["gamma"] = current.gamma;
/** {@inheritDoc RandomApi.loggamma} @example random.loggamma(random.key(0), 0.01, [3]) */
export const loggamma: RandomApi["loggamma"] = current.loggamma;
/** {@inheritDoc RandomApi.beta} @example random.beta(random.key(0), 2, 5, [3]) */
export const beta: RandomApi["beta"] = current.beta;
/** {@inheritDoc RandomApi.dirichlet} @example random.dirichlet(random.key(0), np.array([1, 2, 3])) // sums to 1 */
export const dirichlet: RandomApi["dirichlet"] = current.dirichlet;
/** {@inheritDoc RandomApi.chisquare} @example random.chisquare(random.key(0), 3, [3]) */
export const chisquare: RandomApi["chisquare"] = current.chisquare;
/** {@inheritDoc RandomApi.t} @example random.t(random.key(0), 5, [3]) */
export const t: RandomApi["t"] = current.t;
/**
 * {@inheritDoc RandomApi.multivariateNormal}
 * @example random.multivariateNormal(random.key(0), np.array([0, 1]), np.array([[1, 0.5], [0.5, 2]]), [5]) // [5, 2]
 */
export const multivariateNormal: RandomApi["multivariateNormal"] = current.multivariateNormal;
/** {@inheritDoc RandomApi.poisson} @example random.poisson(random.key(0), 3.5, [4]) // int32 counts */
export const poisson: RandomApi["poisson"] = current.poisson;
/** {@inheritDoc RandomApi.orthogonal} @example random.orthogonal(random.key(0), 3) // Q with QᵀQ = I */
export const orthogonal: RandomApi["orthogonal"] = current.orthogonal;
/** {@inheritDoc RandomApi.binomial} @example random.binomial(random.key(0), 10, 0.3, [4]) // float32 counts in 0..10 */
export const binomial: RandomApi["binomial"] = current.binomial;
/**
 * {@inheritDoc RandomApi.multinomial}
 * @example random.multinomial(random.key(0), 20, np.array([0.2, 0.3, 0.5])) // 3 counts summing to 20
 */
export const multinomial: RandomApi["multinomial"] = current.multinomial;
