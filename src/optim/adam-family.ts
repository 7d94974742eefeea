// Adam-family scalings: Adam/NAdam, AdaMax, AMSGrad and Lion (scaleByAdam, scaleByAdamax, scaleByAmsgrad, scaleByLion).
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  biasCorrection,
  castLike,
  checkState,
  ema,
  freezeState,
  mapTreesN,
  oneMinus,
  safeIncrement,
  zeroCount,
  zerosLikeTree,
  type Hyperparam,
} from "./base.js";
import { checkDecay, checkEps } from "./hyperparam-checks.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";

/** Options of Adam-style scalings. */
export interface AdamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: Hyperparam;
  /** Decay of the second moment (default 0.999). */
  b2?: Hyperparam;
  /** ε added to the denominator outside the root (default 1e-8). */
  eps?: Hyperparam;
  /** ε added inside the root (default 0). */
  epsRoot?: Hyperparam;
  /** Nesterov's look-ahead on the first moment (NAdam; default false). */
  nesterov?: boolean;
}

/** The state of `scaleByAdam`: the int32 step count and the two moments. */
export interface AdamState {
  readonly count: Array;
  readonly mu: Updates;
  readonly nu: Updates;
}

function checkAdamOptions(op: string, o: AdamOptions): Required<Omit<AdamOptions, "nesterov">> & { nesterov: boolean } {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false } = o;
  checkDecay(op, "b1", b1, { maxExclusive: true });
  checkDecay(op, "b2", b2, { maxExclusive: true });
  checkEps(op, "eps", eps);
  checkEps(op, "epsRoot", epsRoot);
  return { b1, b2, eps, epsRoot, nesterov };
}

/**
 * Adam's scaling with bias correction (Kingma & Ba 2015):
 *
 *     m ← β₁·m + (1−β₁)·g;   v ← β₂·v + (1−β₂)·g²
 *     m̂ = m / (1−β₁ᵗ);      v̂ = v / (1−β₂ᵗ)
 *     u = m̂ / (√(v̂ + ε_root) + ε)
 *
 * With `nesterov: true` (NAdam), `m̂ = β₁·m/(1−β₁ᵗ⁺¹) + (1−β₁)·g/(1−β₁ᵗ)`.
 * @example
 * chain(scaleByAdam({ b1: 0.9, b2: 0.999 }), scaleByLearningRate(1e-3)); // = adam(1e-3)
 */
export function scaleByAdam(opts: AdamOptions = {}): GradientTransformation<AdamState> {
  checkOptions("scaleByAdam", opts, ["b1", "b2", "eps", "epsRoot", "nesterov"]);
  const { b1, b2, eps, epsRoot, nesterov } = checkAdamOptions("scaleByAdam", opts);
  return {
    init: (params) =>
      freezeState({
        count: zeroCount(),
        mu: zerosLikeTree(params, "scaleByAdam"),
        nu: zerosLikeTree(params, "scaleByAdam"),
      }),
    update: (updates, state) => {
      checkState("scaleByAdam", state, ["count", "mu", "nu"], ["count"]);
      const count = safeIncrement(state.count);
      const [u, mu, nu] = mapTreesN(
        "scaleByAdam",
        3,
        (g, m, v) => {
          const nm = ema(m, g, b1);
          const nv = ema(v, g.square(), b2);
          const mHat = nesterov
            ? nm
                .mul(b1)
                .div(biasCorrection(b1, safeIncrement(count), g))
                .add(g.mul(oneMinus(b1)).div(biasCorrection(b1, count, g)))
            : nm.div(biasCorrection(b1, count, g));
          const vHat = nv.div(biasCorrection(b2, count, g));
          return [castLike(mHat.div(vHat.add(epsRoot).sqrt().add(eps)), g), nm, nv];
        },
        updates,
        state.mu,
        state.nu,
      );
      return [freezeState(u), freezeState({ count, mu, nu })];
    },
  };
}

/**
 * AdaMax's scaling (Adam with the infinity norm):
 *
 *     m ← β₁·m + (1−β₁)·g;   v ← max(β₂·v, |g|);   u = m / ((1−β₁ᵗ)·(v + ε))
 * @example
 * chain(scaleByAdamax(), scaleByLearningRate(2e-3)); // = adamax(2e-3)
 */
export function scaleByAdamax(
  opts: { b1?: Hyperparam; b2?: Hyperparam; eps?: Hyperparam } = {},
): GradientTransformation<AdamState> {
  checkOptions("scaleByAdamax", opts, ["b1", "b2", "eps"]);
  const { b1, b2, eps } = checkAdamOptions("scaleByAdamax", opts);
  return {
    init: (params) =>
      freezeState({
        count: zeroCount(),
        mu: zerosLikeTree(params, "scaleByAdamax"),
        nu: zerosLikeTree(params, "scaleByAdamax"),
      }),
    update: (updates, state) => {
      checkState("scaleByAdamax", state, ["count", "mu", "nu"], ["count"]);
      const count = safeIncrement(state.count);
      const [u, mu, nu] = mapTreesN(
        "scaleByAdamax",
        3,
        (g, m, v) => {
          const nm = ema(m, g, b1);
          const nv = castLike(np.maximum(v.mul(b2), g.abs()), v);
          return [castLike(nm.div(biasCorrection(b1, count, g)).div(nv.add(eps)), g), nm, nv];
        },
        updates,
        state.mu,
        state.nu,
      );
      return [freezeState(u), freezeState({ count, mu, nu })];
    },
  };
}

/** The state of `scaleByAmsgrad`: Adam's, plus the running maximum of `v̂`. */
export interface AmsgradState extends AdamState {
  readonly nuMax: Updates;
}

/**
 * AMSGrad's scaling (Reddi et al. 2018): Adam whose denominator never decreases.
 *
 *     m, v, m̂, v̂ as in Adam;   v̂max ← max(v̂max, v̂);   u = m̂ / (√(v̂max + ε_root) + ε)
 * @example
 * chain(scaleByAmsgrad(), scaleByLearningRate(1e-3)); // = amsgrad(1e-3)
 */
export function scaleByAmsgrad(opts: Omit<AdamOptions, "nesterov"> = {}): GradientTransformation<AmsgradState> {
  checkOptions("scaleByAmsgrad", opts, ["b1", "b2", "eps", "epsRoot"]);
  const { b1, b2, eps, epsRoot } = checkAdamOptions("scaleByAmsgrad", opts);
  return {
    init: (params) =>
      freezeState({
        count: zeroCount(),
        mu: zerosLikeTree(params, "scaleByAmsgrad"),
        nu: zerosLikeTree(params, "scaleByAmsgrad"),
        nuMax: zerosLikeTree(params, "scaleByAmsgrad"),
      }),
    update: (updates, state) => {
      checkState("scaleByAmsgrad", state, ["count", "mu", "nu", "nuMax"], ["count"]);
      const count = safeIncrement(state.count);
      const [u, mu, nu, nuMax] = mapTreesN(
        "scaleByAmsgrad",
        4,
        (g, m, v, vmax) => {
          const nm = ema(m, g, b1);
          const nv = ema(v, g.square(), b2);
          const nvmax = castLike(np.maximum(vmax, nv.div(biasCorrection(b2, count, g))), vmax);
          const mHat = nm.div(biasCorrection(b1, count, g));
          return [castLike(mHat.div(nvmax.add(epsRoot).sqrt().add(eps)), g), nm, nv, nvmax];
        },
        updates,
        state.mu,
        state.nu,
        state.nuMax,
      );
      return [freezeState(u), freezeState({ count, mu, nu, nuMax })];
    },
  };
}

/** The state of `scaleByLion`: the momentum `m`. */
export interface LionState {
  readonly mu: Updates;
}

/**
 * Lion's scaling (Chen et al. 2023, "Symbolic discovery of optimization algorithms"):
 *
 *     u = sign(β₁·m + (1−β₁)·g);   m ← β₂·m + (1−β₂)·g
 * @example
 * chain(scaleByLion(), scaleByLearningRate(1e-4)); // = lion(1e-4, { weightDecay: 0 })
 */
export function scaleByLion(opts: { b1?: Hyperparam; b2?: Hyperparam } = {}): GradientTransformation<LionState> {
  checkOptions("scaleByLion", opts, ["b1", "b2"]);
  const { b1 = 0.9, b2 = 0.99 } = opts;
  checkDecay("scaleByLion", "b1", b1);
  checkDecay("scaleByLion", "b2", b2);
  return {
    init: (params) => freezeState({ mu: zerosLikeTree(params, "scaleByLion") }),
    update: (updates, state) => {
      checkState("scaleByLion", state, ["mu"]);
      const [u, mu] = mapTreesN(
        "scaleByLion",
        2,
        (g, m) => [castLike(ema(m, g, b1).sign(), g), ema(m, g, b2)],
        updates,
        state.mu,
      );
      return [freezeState(u), freezeState({ mu })];
    },
  };
}
