/**
 * The shape of graft-ad/random's API: every sampler, with its JAX counterpart and semantics in its
 * TSDoc. index.ts binds it to one of JAX's two threefry key-derivation schemes.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import type * as DB from "./distributions-binomial.js";
import type * as DM from "./distributions-mvn.js";
import type * as DO from "./distributions-orthogonal.js";
import type * as DP from "./distributions-poisson.js";
import type * as DS from "./distributions-simple.js";
import type * as S from "./samplers.js";

/** A PRNG key: a `uint32[2]` array (or `uint32[n, 2]`, a batch of keys for `vmap`). */
export type Key = Array;

/** The random-number API, bound to one of JAX's threefry key-derivation schemes. */
export interface RandomApi {
  /**
   * Splits a key into `num` new keys (`[num, 2]`), or a shape of keys (`[...shape, 2]`):
   * `jax.random.split`. Take one with `.get(i)`.
   */
  split(k: Key, num?: S.ShapeLike): Key;
  /** Uniform random uint32 bits of `shape`: `jax.random.bits`. */
  bits(k: Key, shape?: S.ShapeLike): Array;
  /**
   * Uniform floats in [minval, maxval) (default [0, 1)), float32 or float64: `jax.random.uniform`.
   * Bounds are numbers or arrays broadcasting to `shape`.
   */
  uniform(k: Key, shape?: S.ShapeLike, opts?: S.UniformOptions): Array;
  /** Standard normal samples, `√2·erfinv(u)` for u uniform in (-1, 1): `jax.random.normal`. */
  normal(k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /**
   * Standard normal samples truncated to the open interval (lower, upper), by the inverse CDF:
   * `jax.random.truncated_normal`. The shape defaults to the broadcast shape of the bounds.
   */
  truncatedNormal(
    k: Key,
    lower: ArrayOrScalar,
    upper: ArrayOrScalar,
    shape?: S.ShapeLike,
    opts?: S.DTypeOptions,
  ): Array;
  /** Booleans that are true with probability `p` (default 0.5): `jax.random.bernoulli`. */
  bernoulli(k: Key, p?: ArrayOrScalar, shape?: S.ShapeLike): Array;
  /**
   * Integers uniform in [minval, maxval) (numbers or integer arrays broadcasting to `shape`),
   * int32 (default) or uint32: `jax.random.randint`.
   */
  randint(k: Key, shape: S.ShapeLike, minval: ArrayOrScalar, maxval: ArrayOrScalar, opts?: S.RandintOptions): Array;
  /** Standard Gumbel samples, `-log(-log(u))`: `jax.random.gumbel`. */
  gumbel(k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Standard exponential samples, `-log1p(-u)`: `jax.random.exponential`. */
  exponential(k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /**
   * Category indices (int32) drawn with probabilities `softmax(logits)` along `axis`, by the
   * Gumbel-max trick: `jax.random.categorical`.
   */
  categorical(k: Key, logits: Array, opts?: S.CategoricalOptions): Array;
  /**
   * A random permutation of `0..n-1` (int32) for a JS integer `n`, or of an array's slices along
   * `axis` (each 1-D vector independently with `independent`): `jax.random.permutation`. Sorting is
   * done by a stable argsort of random bits, O(n log n) per permuted vector.
   */
  permutation(k: Key, x: number | Array, opts?: S.PermutationOptions): Array;
  /** Shuffles every vector along `axis` independently: JAX's (deprecated) `jax.random.shuffle`. */
  shuffle(k: Key, x: Array, opts?: { axis?: number }): Array;
  /**
   * Samples of `shape` from `a` (a JS integer n meaning `0..n-1`, or an array, drawing along
   * `axis`), with or without replacement, uniformly or with probabilities `p`:
   * `jax.random.choice`. Without replacement the size may not exceed n.
   */
  choice(k: Key, a: number | Array, shape?: S.ShapeLike, opts?: S.ChoiceOptions): Array;
  /** Standard Laplace samples, `sign(u)·log1p(-|u|)` for u uniform in (-1, 1): `jax.random.laplace`. */
  laplace(k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Standard logistic samples, `log(u) - log1p(-u)`: `jax.random.logistic`. */
  logistic(k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Standard Cauchy samples, `tan(π(u - 1/2))`: `jax.random.cauchy`. */
  cauchy(k: Key, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /**
   * Log-normal samples `exp(sigma·z)` (sigma default 1; the shape defaults to sigma's):
   * `jax.random.lognormal`.
   */
  lognormal(k: Key, sigma?: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** ±1 with equal probability, int32 by default: `jax.random.rademacher`. */
  rademacher(k: Key, shape?: S.ShapeLike, opts?: DS.IntOrFloatDTypeOptions): Array;
  /**
   * Geometric samples (trials to the first success, ≥ 1) with success probability `p`, int32 by
   * default: `jax.random.geometric`.
   */
  geometric(k: Key, p: ArrayOrScalar, shape?: S.ShapeLike, opts?: DS.IntOrFloatDTypeOptions): Array;
  /**
   * Gamma(a, 1) samples by Marsaglia–Tsang rejection, one key per element: `jax.random.gamma`.
   * The shape defaults to a's. Differentiable in `a` by implicit reparameterization, as JAX.
   */
  gamma(k: Key, a: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Logarithms of Gamma(a, 1) samples, accurate for small `a`: `jax.random.loggamma`. */
  loggamma(k: Key, a: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Beta(a, b) samples from two log-gamma draws: `jax.random.beta`. */
  beta(k: Key, a: ArrayOrScalar, b: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /**
   * Dirichlet samples for concentrations `alpha` `[..., n]`, of shape `[...shape, n]` (shape
   * defaults to alpha's batch shape): `jax.random.dirichlet`.
   */
  dirichlet(k: Key, alpha: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Chi-square samples with `df` degrees of freedom, `2·Gamma(df/2)`: `jax.random.chisquare`. */
  chisquare(k: Key, df: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /** Student's t samples with `df` degrees of freedom, `z·√((df/2)/Gamma(df/2))`: `jax.random.t`. */
  t(k: Key, df: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /**
   * Multivariate normal samples `mean + L·z`, L = cholesky(cov), of shape `[...shape, n]` (shape
   * defaults to the broadcast batch shapes of mean `[..., n]` and cov `[..., n, n]`):
   * `jax.random.multivariate_normal` with `method: "cholesky"`.
   */
  multivariateNormal(
    k: Key,
    mean: ArrayOrScalar,
    cov: ArrayOrScalar,
    shape?: S.ShapeLike,
    opts?: DM.MultivariateNormalOptions,
  ): Array;
  /**
   * Poisson samples with rate `lam` (int32 by default; the shape defaults to lam's), by Knuth's
   * method for lam < 10 and transformed rejection above: `jax.random.poisson`.
   */
  poisson(k: Key, lam: ArrayOrScalar, shape?: S.ShapeLike, opts?: DP.PoissonOptions): Array;
  /**
   * Random matrices `[...shape, n, m]` (m defaults to n) with orthonormal columns (or rows when
   * n < m), Haar-distributed: `jax.random.orthogonal`.
   */
  orthogonal(k: Key, n: number, shape?: S.ShapeLike, opts?: DO.OrthogonalOptions): Array;
  /**
   * Binomial counts (floats) of `n` trials with success probability `p` (the shape defaults to
   * their broadcast shape), by inversion where n·min(p, 1−p) ≤ 10 and BTRS rejection above;
   * NaN for n < 0 or p outside [0, 1], +∞ for n = +∞: `jax.random.binomial`.
   */
  binomial(k: Key, n: ArrayOrScalar, p: ArrayOrScalar, shape?: S.ShapeLike, opts?: S.DTypeOptions): Array;
  /**
   * Multinomial counts (floats) of `n` trials over the outcomes along p's last axis (p is
   * normalised), of shape `opts.shape` (the full shape, default p's): `jax.random.multinomial`.
   */
  multinomial(k: Key, n: ArrayOrScalar, p: ArrayOrScalar, opts?: DB.MultinomialOptions): Array;
  /** Folds an integer into a key (see the top-level {@link foldIn}). */
  foldIn(k: Key, data: number | Array): Key;
  /** A key from a seed (see the top-level {@link key}). */
  key(seed: number | bigint | Array, opts?: S.KeyOptions): Key;
}
