/**
 * Adam variants from Optax 0.2.8, same defaults and math: RAdam (rectified second moment),
 * AdaBelief (second moment of the prediction error g − m) and Yogi (additive second-moment
 * update). Each is a building block (`scaleByRadam`, `scaleByBelief`, `scaleByYogi`) and an
 * optimizer (`radam`, `adabelief`, `yogi`) that chains it with `scaleByLearningRate`.
 *
 * Notation: `g` the incoming gradient, `t` the step number from 1, operations elementwise.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  biasCorrection,
  castLike,
  checkState,
  ema,
  freezeState,
  fullLikeTree,
  mapTreesN,
  named,
  oneMinus,
  safeIncrement,
  zeroCount,
  zerosLikeTree,
  type Hyperparam,
  type LearningRate,
} from "./base.js";
import { chain } from "./chain.js";
import { checkDecay, checkHyperparam, checkLearningRate } from "./hyperparam-checks.js";
import type { AdamState } from "./adam-family.js";
import type { ChainState } from "./adaptive.js";
import { scaleByLearningRate } from "./scale.js";
import type { GradientTransformation } from "./types.js";
import { checkOptions } from "../core/options.js";

/** Options of `scaleByRadam` and `radam`. */
export interface RadamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: Hyperparam;
  /** Decay of the second moment (default 0.999). */
  b2?: Hyperparam;
  /** ε outside the root (default 1e-8). */
  eps?: Hyperparam;
  /** ε inside the root (default 0). */
  epsRoot?: Hyperparam;
  /** Smallest ρₜ (length of the approximated SMA) for which the rectified step is used (default 5). */
  threshold?: Hyperparam;
  /** Nesterov's look-ahead on the first moment (default false). */
  nesterov?: boolean;
}

/** Options of `scaleByBelief` and `adabelief`. */
export interface BeliefOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: Hyperparam;
  /** Decay of the prediction-error moment (default 0.999). */
  b2?: Hyperparam;
  /** ε outside the root (default 1e-16, as in Optax; the paper uses 1e-8). */
  eps?: Hyperparam;
  /** ε added to the second moment every step (default 1e-16; the paper uses 0). */
  epsRoot?: Hyperparam;
  /** Nesterov's look-ahead on the first moment (default false). */
  nesterov?: boolean;
}

/** Options of `scaleByYogi`. */
export interface YogiOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: Hyperparam;
  /** Decay of the second moment (default 0.999). */
  b2?: Hyperparam;
  /** ε outside the root (default 1e-3). */
  eps?: Hyperparam;
  /** ε inside the root (default 0). */
  epsRoot?: Hyperparam;
  /** Initial value of both moments (default 1e-6). */
  initialAccumulatorValue?: number;
}

function checkMoments(op: string, o: { b1?: Hyperparam; b2?: Hyperparam; eps?: Hyperparam; epsRoot?: Hyperparam }) {
  checkDecay(op, "b1", o.b1, { optional: true, maxExclusive: true });
  checkDecay(op, "b2", o.b2, { optional: true, maxExclusive: true });
  checkHyperparam(op, "eps", o.eps, { min: 0, optional: true });
  checkHyperparam(op, "epsRoot", o.epsRoot, { min: 0, optional: true });
}

/** m̂ (optionally Nesterov's β₁·m/(1−β₁ᵗ⁺¹) + (1−β₁)·g/(1−β₁ᵗ)), as Optax computes it. */
function firstMomentHat(m: Array, g: Array, b1: Hyperparam, count: Array, nesterov: boolean): Array {
  if (!nesterov) return m.div(biasCorrection(b1, count, g));
  return m
    .div(biasCorrection(b1, safeIncrement(count), g))
    .mul(b1)
    .add(g.div(biasCorrection(b1, count, g)).mul(oneMinus(b1)));
}

const momentsState = (op: string, params: unknown, init?: number): AdamState =>
  freezeState({
    count: zeroCount(),
    mu: init === undefined ? zerosLikeTree(params, op) : fullLikeTree(params, init, op),
    nu: init === undefined ? zerosLikeTree(params, op) : fullLikeTree(params, init, op),
  });

/**
 * A scaling over Adam's state `{ count, mu, nu }`: `step(g, m, v, count)` gives each leaf's update
 * and its new moments (count already incremented).
 */
function momentScaling(
  op: string,
  initialValue: number | undefined,
  step: (g: Array, m: Array, v: Array, count: Array) => [Array, Array, Array],
): GradientTransformation<AdamState> {
  return {
    init: (params) => momentsState(op, params, initialValue),
    update: (updates, state) => {
      checkState(op, state, ["count", "mu", "nu"], ["count"]);
      const count = safeIncrement(state.count);
      const [u, mu, nu] = mapTreesN(op, 3, (g, m, v) => step(g, m, v, count), updates, state.mu, state.nu);
      return [freezeState(u), freezeState({ count, mu, nu })];
    },
  };
}

/**
 * RAdam's scaling (Liu et al. 2020, "On the variance of the adaptive learning rate and beyond"):
 * Adam's moments, with the adaptive step used only once the variance of v̂ is tractable.
 *
 *     ρ∞ = 2/(1−β₂) − 1;   ρₜ = ρ∞ − 2t·β₂ᵗ/(1−β₂ᵗ)
 *     rₜ = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))
 *     u = rₜ·m̂ / (√(v̂ + ε_root) + ε)   if ρₜ ≥ threshold,   u = m̂ otherwise
 * @example
 * chain(scaleByRadam(), scaleByLearningRate(1e-3)); // = radam(1e-3)
 */
export function scaleByRadam(opts: RadamOptions = {}): GradientTransformation<AdamState> {
  const op = "scaleByRadam";
  checkOptions(op, opts, ["b1", "b2", "eps", "epsRoot", "threshold", "nesterov"]);
  checkMoments(op, opts);
  checkHyperparam(op, "threshold", opts.threshold, { optional: true });
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5, nesterov = false } = opts;
  return momentScaling(op, undefined, (g, m, v, count) => {
    const nm = ema(m, g, b1);
    const nv = ema(v, g.square(), b2);
    const t = count.astype(g.dtype);
    const b2t = np.power(b2, t).astype(g.dtype);
    // ρ∞ in float64 when β₂ is a JS number: ρₜ cancels most of it, so its rounding would show.
    const roInf =
      typeof b2 === "number"
        ? np.array(2 / (1 - b2) - 1, { dtype: g.dtype })
        : np.divide(2, oneMinus(b2)).sub(1).astype(g.dtype);
    const ro = roInf.sub(t.mul(b2t).mul(2).div(np.subtract(1, b2t)));
    const r = ro
      .sub(4)
      .mul(ro.sub(2))
      .mul(roInf)
      .div(roInf.sub(4).mul(roInf.sub(2)).mul(ro))
      .sqrt();
    const mHat = firstMomentHat(nm, g, b1, count, nesterov);
    const vHat = nv.div(biasCorrection(b2, count, g));
    const rectified = r.mul(mHat).div(vHat.add(epsRoot).sqrt().add(eps));
    return [castLike(np.where(ro.greaterEqual(threshold), rectified, mHat), g), nm, nv];
  });
}

/**
 * AdaBelief's scaling (Zhuang et al. 2020): Adam whose second moment tracks the squared
 * prediction error (g − m)², so the step is large where the gradient is predictable.
 *
 *     m ← β₁·m + (1−β₁)·g;   s ← β₂·s + (1−β₂)·(g − m)² + ε_root
 *     u = m̂ / (√ŝ + ε)   (m̂, ŝ bias-corrected as in Adam)
 * @example
 * chain(scaleByBelief(), scaleByLearningRate(1e-3)); // = adabelief(1e-3)
 */
export function scaleByBelief(opts: BeliefOptions = {}): GradientTransformation<AdamState> {
  const op = "scaleByBelief";
  checkOptions(op, opts, ["b1", "b2", "eps", "epsRoot", "nesterov"]);
  checkMoments(op, opts);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-16, epsRoot = 1e-16, nesterov = false } = opts;
  return momentScaling(op, undefined, (g, m, s, count) => {
    const nm = ema(m, g, b1);
    const ns = castLike(ema(s, g.sub(nm).square(), b2).add(epsRoot), s);
    const mHat = firstMomentHat(nm, g, b1, count, nesterov);
    const sHat = ns.div(biasCorrection(b2, count, g));
    return [castLike(mHat.div(sHat.sqrt().add(eps)), g), nm, ns];
  });
}

/**
 * Yogi's scaling (Zaheer et al. 2018): the second moment moves by a bounded, additive amount,
 * so it cannot collapse the way Adam's can when gradients suddenly shrink.
 *
 *     m ← β₁·m + (1−β₁)·g;   v ← v − (1−β₂)·sign(v − g²)·g²
 *     u = m̂ / (√(v̂ + ε_root) + ε)   (m₀ = v₀ = initialAccumulatorValue)
 * @example
 * chain(scaleByYogi(), scaleByLearningRate(1e-2)); // = yogi(1e-2)
 */
export function scaleByYogi(opts: YogiOptions = {}): GradientTransformation<AdamState> {
  const op = "scaleByYogi";
  checkOptions(op, opts, ["b1", "b2", "eps", "epsRoot", "initialAccumulatorValue"]);
  checkMoments(op, opts);
  checkHyperparam(op, "initialAccumulatorValue", opts.initialAccumulatorValue, { min: 0, optional: true });
  const { b1 = 0.9, b2 = 0.999, eps = 1e-3, epsRoot = 0, initialAccumulatorValue = 1e-6 } = opts;
  return momentScaling(op, initialAccumulatorValue, (g, m, v, count) => {
    const nm = ema(m, g, b1);
    const g2 = g.square();
    const nv = castLike(v.sub(v.sub(g2).sign().mul(g2).mul(oneMinus(b2))), v);
    const mHat = nm.div(biasCorrection(b1, count, g));
    const vHat = nv.div(biasCorrection(b2, count, g));
    return [castLike(mHat.div(vHat.add(epsRoot).sqrt().add(eps)), g), nm, nv];
  });
}

/**
 * RAdam (Liu et al. 2020): Adam with its adaptive step switched on, and rectified, only once the
 * variance of the second-moment estimate is tractable (ρₜ ≥ threshold); before that, momentum SGD
 * on m̂. Defaults (Optax's): β₁ = 0.9, β₂ = 0.999, ε = 1e-8, threshold = 5.
 * @example
 * import { radam } from "graft-ad/optim";
 * const opt = radam(1e-3);
 */
export function radam(learningRate: LearningRate, opts: RadamOptions = {}): GradientTransformation<ChainState> {
  checkOptions("radam", opts, ["b1", "b2", "eps", "epsRoot", "threshold", "nesterov"]);
  checkLearningRate("radam", learningRate);
  return named("radam", chain(scaleByRadam(opts), scaleByLearningRate(learningRate)));
}

/**
 * AdaBelief (Zhuang et al. 2020): Adam with the second moment of (g − m) in place of g².
 * Defaults (Optax's): β₁ = 0.9, β₂ = 0.999, ε = 1e-16, ε_root = 1e-16.
 * @example
 * import { adabelief } from "graft-ad/optim";
 * const opt = adabelief(1e-3);
 */
export function adabelief(learningRate: LearningRate, opts: BeliefOptions = {}): GradientTransformation<ChainState> {
  checkOptions("adabelief", opts, ["b1", "b2", "eps", "epsRoot", "nesterov"]);
  checkLearningRate("adabelief", learningRate);
  return named("adabelief", chain(scaleByBelief(opts), scaleByLearningRate(learningRate)));
}

/**
 * Yogi (Zaheer et al. 2018): Adam with the additive second-moment update v ← v − (1−β₂)·sign(v − g²)·g².
 * Defaults (Optax's): β₁ = 0.9, β₂ = 0.999, ε = 1e-3.
 * @example
 * import { yogi } from "graft-ad/optim";
 * const opt = yogi(1e-2);
 */
export function yogi(
  learningRate: LearningRate,
  opts: { b1?: Hyperparam; b2?: Hyperparam; eps?: Hyperparam } = {},
): GradientTransformation<ChainState> {
  checkOptions("yogi", opts, ["b1", "b2", "eps"]);
  checkLearningRate("yogi", learningRate);
  return named("yogi", chain(scaleByYogi(opts), scaleByLearningRate(learningRate)));
}
