// Second-moment scalings: RMSProp, centered RMSProp, AdaGrad and AdaDelta (scaleByRms, scaleByStddev, scaleByRss, scaleByAdadelta).
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  castLike,
  checkState,
  ema,
  freezeState,
  fullLikeTree,
  mapTreesN,
  zerosLikeTree,
  type Hyperparam,
} from "./base.js";
import { checkDecay, checkEps, checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";

/** Options shared by the RMS-style scalings. */
export interface RmsOptions {
  /** Decay λ of the moving averages (default 0.9). */
  decay?: Hyperparam;
  /** ε added to the denominator (default 1e-8). */
  eps?: Hyperparam;
  /** Initial value of the second-moment accumulator (default 0). */
  initialScale?: number;
  /** Put ε inside the square root, `g/√(S+ε)` (default true, as Optax), instead of `g/(√S+ε)`. */
  epsInSqrt?: boolean;
}

const rmsDenominator = (s: Array, eps: Hyperparam, inSqrt: boolean): Array =>
  inSqrt ? s.add(eps).sqrt() : s.sqrt().add(eps);

/** The state of `scaleByRms`: the moving average `S` of squared gradients. */
export interface RmsState {
  readonly nu: Updates;
}

/**
 * RMSProp's scaling: a decaying average of squared gradients divides the gradient.
 *
 *     S ← λ·S + (1−λ)·g²;   u = g / (√S + ε)
 * @example
 * chain(scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3)); // = rmsprop(1e-3)
 */
export function scaleByRms(opts: RmsOptions = {}): GradientTransformation<RmsState> {
  checkOptions("scaleByRms", opts, ["decay", "eps", "initialScale", "epsInSqrt"]);
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true } = opts;
  checkDecay("scaleByRms", "decay", decay);
  checkEps("scaleByRms", "eps", eps);
  checkHyperparam("scaleByRms", "initialScale", initialScale, { min: 0 });
  return {
    init: (params) => freezeState({ nu: fullLikeTree(params, initialScale, "scaleByRms") }),
    update: (updates, state) => {
      checkState("scaleByRms", state, ["nu"]);
      const [u, nu] = mapTreesN(
        "scaleByRms",
        2,
        (g, s) => {
          const ns = ema(s, g.square(), decay);
          return [castLike(g.div(rmsDenominator(ns, eps, epsInSqrt)), g), ns];
        },
        updates,
        state.nu,
      );
      return [freezeState(u), freezeState({ nu })];
    },
  };
}

/** The state of `scaleByStddev`: moving averages of gradients and of their squares. */
export interface StddevState {
  readonly mu: Updates;
  readonly nu: Updates;
}

/**
 * Centered RMSProp's scaling: divides by an estimate of the gradient's standard deviation.
 *
 *     m ← λ·m + (1−λ)·g;   S ← λ·S + (1−λ)·g²;   u = g / (√(S − m²) + ε)
 * @example
 * chain(scaleByStddev(), scaleByLearningRate(1e-3)); // = rmsprop(1e-3, { centered: true })
 */
export function scaleByStddev(opts: RmsOptions = {}): GradientTransformation<StddevState> {
  checkOptions("scaleByStddev", opts, ["decay", "eps", "initialScale", "epsInSqrt"]);
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true } = opts;
  checkDecay("scaleByStddev", "decay", decay);
  checkEps("scaleByStddev", "eps", eps);
  checkHyperparam("scaleByStddev", "initialScale", initialScale, { min: 0 });
  return {
    init: (params) =>
      freezeState({
        mu: zerosLikeTree(params, "scaleByStddev"),
        nu: fullLikeTree(params, initialScale, "scaleByStddev"),
      }),
    update: (updates, state) => {
      checkState("scaleByStddev", state, ["mu", "nu"]);
      const [u, mu, nu] = mapTreesN(
        "scaleByStddev",
        3,
        (g, m, s) => {
          const nm = ema(m, g, decay);
          const ns = ema(s, g.square(), decay);
          // max(·, 0) guards the tiny negative values rounding can give.
          const variance = np.maximum(ns.sub(nm.square()), 0);
          return [castLike(g.div(rmsDenominator(variance, eps, epsInSqrt)), g), nm, ns];
        },
        updates,
        state.mu,
        state.nu,
      );
      return [freezeState(u), freezeState({ mu, nu })];
    },
  };
}

/** The state of `scaleByRss`: the running sum `G` of squared gradients. */
export interface RssState {
  readonly sumOfSquares: Updates;
}

/**
 * AdaGrad's scaling by the root of the sum of squared gradients (Duchi et al. 2011), with Optax's
 * defaults (G₀ = 0.1, ε = 1e-7 inside the root):
 *
 *     G ← G + g²;   u = g / √(G + ε)   (0 where G = 0)
 *
 * `epsInSqrt: false` gives the course notes' form u = g / (√G + ε).
 * @example
 * chain(scaleByRss(), scaleByLearningRate(0.5)); // = adagrad(0.5)
 */
export function scaleByRss(
  opts: { initialAccumulatorValue?: number; eps?: Hyperparam; epsInSqrt?: boolean } = {},
): GradientTransformation<RssState> {
  checkOptions("scaleByRss", opts, ["initialAccumulatorValue", "eps", "epsInSqrt"]);
  const { initialAccumulatorValue = 0.1, eps = 1e-7, epsInSqrt = true } = opts;
  checkHyperparam("scaleByRss", "initialAccumulatorValue", initialAccumulatorValue, { min: 0 });
  checkEps("scaleByRss", "eps", eps);
  return {
    init: (params) => freezeState({ sumOfSquares: fullLikeTree(params, initialAccumulatorValue, "scaleByRss") }),
    update: (updates, state) => {
      checkState("scaleByRss", state, ["sumOfSquares"]);
      const [u, sumOfSquares] = mapTreesN(
        "scaleByRss",
        2,
        (g, s) => {
          const ns = castLike(s.add(g.square()), s);
          // Optax: where(G > 0, rsqrt(G + ε), 0)·g; the course notes' form: g / (√G + ε).
          const scaled = epsInSqrt
            ? np.where(ns.greater(0), np.rsqrt(ns.add(eps)), 0).mul(g)
            : g.div(ns.sqrt().add(eps));
          return [castLike(scaled, g), ns];
        },
        updates,
        state.sumOfSquares,
      );
      return [freezeState(u), freezeState({ sumOfSquares })];
    },
  };
}

/** The state of `scaleByAdadelta`: averages of squared gradients and of squared updates. */
export interface AdadeltaState {
  readonly eG: Updates;
  readonly eX: Updates;
}

/**
 * AdaDelta's scaling (Zeiler 2012): the ratio of two RMS's replaces the learning rate.
 *
 *     E[g²] ← ρ·E[g²] + (1−ρ)·g²
 *     Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *     E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²;   u = Δ
 * @example
 * chain(scaleByAdadelta({ rho: 0.9 }), scaleByLearningRate(1)); // = adadelta()
 */
export function scaleByAdadelta(
  opts: { rho?: Hyperparam; eps?: Hyperparam } = {},
): GradientTransformation<AdadeltaState> {
  checkOptions("scaleByAdadelta", opts, ["rho", "eps"]);
  const { rho = 0.9, eps = 1e-6 } = opts;
  checkDecay("scaleByAdadelta", "rho", rho);
  checkEps("scaleByAdadelta", "eps", eps);
  return {
    init: (params) =>
      freezeState({ eG: zerosLikeTree(params, "scaleByAdadelta"), eX: zerosLikeTree(params, "scaleByAdadelta") }),
    update: (updates, state) => {
      checkState("scaleByAdadelta", state, ["eG", "eX"]);
      const [u, eG, eX] = mapTreesN(
        "scaleByAdadelta",
        3,
        (g, eg, ex) => {
          const neg2 = ema(eg, g.square(), rho);
          const delta = castLike(ex.add(eps).sqrt().div(neg2.add(eps).sqrt()).mul(g), g);
          return [delta, neg2, ema(ex, delta.square(), rho)];
        },
        updates,
        state.eG,
        state.eX,
      );
      return [freezeState(u), freezeState({ eG, eX })];
    },
  };
}
