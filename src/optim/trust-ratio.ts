/**
 * Layer-wise trust ratios (Optax 0.2.8's `scale_by_trust_ratio`, `lamb`, `lars`): each leaf's
 * update is rescaled so that its norm is a fixed fraction of the leaf's parameter norm, which keeps
 * large-batch training stable across layers of very different scales.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { scaleByAdam } from "./adam-family.js";
import type { ChainState } from "./adaptive.js";
import {
  castLike,
  checkState,
  freezeState,
  mapTrees,
  named,
  requireParams,
  type EmptyState,
  type Hyperparam,
  type LearningRate,
} from "./base.js";
import { chain } from "./chain.js";
import { checkDecay, checkHyperparam, checkLearningRate } from "./hyperparam-checks.js";
import { masked, type MaskSpec } from "./masked.js";
import { traceMomentum } from "./momentum.js";
import { scaleByLearningRate } from "./scale.js";
import { addDecayedWeights } from "./weight-decay.js";
import type { GradientTransformation } from "./types.js";
import { checkOptions } from "../core/options.js";

/**
 * ‖x‖₂ over all elements, or `minNorm` when the norm is at most `minNorm` (Optax's `safe_norm`). The
 * norm of the small case is taken of ones instead of x, so its gradient stays finite at x = 0.
 */
export function safeNorm(x: Array, minNorm: Hyperparam): Array {
  const small = x.square().sum().sqrt().lessEqual(minNorm);
  const masked = np.where(small, np.onesLike(x), x);
  return castLike(np.where(small, minNorm, masked.square().sum().sqrt()), x);
}

/** Options of `scaleByTrustRatio`. */
export interface TrustRatioOptions {
  /** Norms below this are raised to it (default 0: no clipping). */
  minNorm?: Hyperparam;
  /** The ratio's coefficient (default 1). */
  trustCoefficient?: Hyperparam;
  /** Added to the update's norm (default 0). */
  eps?: Hyperparam;
}

/**
 * Scales each leaf's update by its trust ratio (You et al. 2017, LARS; 2020, LAMB):
 *
 *     r = c·‖w‖ / (‖u‖ + ε);   u ← r·u       (r = 1 where ‖w‖ = 0 or ‖u‖ = 0)
 *
 * with ‖·‖ the L2 norm of the whole leaf, raised to `minNorm`. Needs `params` in `update`.
 * @example
 * chain(scaleByAdam(), scaleByTrustRatio(), scaleByLearningRate(1e-3)); // = lamb(1e-3)
 */
export function scaleByTrustRatio(opts: TrustRatioOptions = {}): GradientTransformation<EmptyState> {
  const op = "scaleByTrustRatio";
  checkOptions(op, opts, ["minNorm", "trustCoefficient", "eps"]);
  checkHyperparam(op, "minNorm", opts.minNorm, { min: 0, optional: true });
  checkHyperparam(op, "trustCoefficient", opts.trustCoefficient, { min: 0, optional: true });
  checkHyperparam(op, "eps", opts.eps, { min: 0, optional: true });
  const { minNorm = 0, trustCoefficient = 1, eps = 0 } = opts;
  return {
    init: () => freezeState({}),
    update: (updates, state, params) => {
      checkState(op, state, []);
      const p = requireParams(op, params);
      const out = mapTrees(
        op,
        (u, w) => {
          const wNorm = safeNorm(w, minNorm);
          const uNorm = safeNorm(u, minNorm);
          const ratio = wNorm.mul(trustCoefficient).div(uNorm.add(eps));
          const degenerate = np.logicalOr(wNorm.equal(0), uNorm.equal(0));
          return castLike(u.mul(np.where(degenerate, 1, ratio)), u);
        },
        updates,
        p,
      );
      return [freezeState(out), state];
    },
  };
}

/** Options of `lamb`. */
export interface LambOptions {
  /** Adam's β₁ (default 0.9). */
  b1?: Hyperparam;
  /** Adam's β₂ (default 0.999). */
  b2?: Hyperparam;
  /** Adam's ε (default 1e-6). */
  eps?: Hyperparam;
  /** Adam's ε inside the root (default 0). */
  epsRoot?: Hyperparam;
  /** Decoupled weight decay λ ≥ 0, added before the trust ratio (default 0). */
  weightDecay?: Hyperparam;
  /** Which leaves decay (default all). */
  mask?: MaskSpec;
}

/**
 * LAMB (You et al. 2020, "Large batch optimization for deep learning"): Adam's step plus decoupled
 * weight decay, rescaled per leaf by the trust ratio ‖w‖/‖·‖:
 *
 *     a = m̂/(√(v̂ + ε_root) + ε) + λ·w;   w ← w − α·(‖w‖/‖a‖)·a
 *
 * Defaults (Optax's): β₁ = 0.9, β₂ = 0.999, ε = 1e-6, λ = 0.
 * @example
 * import { lamb } from "graft-ad/optim";
 * const opt = lamb(1e-3, { weightDecay: 0.01 });
 */
export function lamb(learningRate: LearningRate, opts: LambOptions = {}): GradientTransformation<ChainState> {
  checkOptions("lamb", opts, ["b1", "b2", "eps", "epsRoot", "weightDecay", "mask"]);
  checkLearningRate("lamb", learningRate);
  checkHyperparam("lamb", "weightDecay", opts.weightDecay, { min: 0, optional: true });
  const { b1 = 0.9, b2 = 0.999, eps = 1e-6, epsRoot = 0, weightDecay = 0, mask } = opts;
  return named(
    "lamb",
    chain(
      scaleByAdam({ b1, b2, eps, epsRoot }),
      addDecayedWeights(weightDecay, mask),
      scaleByTrustRatio(),
      scaleByLearningRate(learningRate),
    ),
  );
}

/** Options of `lars`. */
export interface LarsOptions {
  /** Weight decay λ ≥ 0 added to the gradient (default 0). */
  weightDecay?: Hyperparam;
  /** Which leaves decay (default all). */
  weightDecayMask?: MaskSpec;
  /** The trust ratio's coefficient η (default 0.001). */
  trustCoefficient?: Hyperparam;
  /** Added to the update's norm in the trust ratio (default 0). */
  eps?: Hyperparam;
  /** Which leaves get the trust ratio (default all). */
  trustRatioMask?: MaskSpec;
  /** Momentum γ (default 0.9). */
  momentum?: Hyperparam;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * LARS (You et al. 2017, "Large batch training of convolutional networks"): SGD with momentum on
 * the gradient plus weight decay, rescaled per leaf by η·‖w‖/‖·‖ (Optax's chain order: decay,
 * trust ratio, learning rate, then momentum):
 *
 *     a = g + λ·w;   t ← −α·η·(‖w‖/(‖a‖ + ε))·a + γ·t;   w ← w + t
 *
 * Defaults (Optax's): λ = 0, η = 0.001, ε = 0, γ = 0.9.
 * @example
 * import { lars } from "graft-ad/optim";
 * const opt = lars(0.1, { weightDecay: 1e-4 });
 */
export function lars(learningRate: LearningRate, opts: LarsOptions = {}): GradientTransformation<ChainState> {
  checkOptions("lars", opts, [
    "weightDecay",
    "weightDecayMask",
    "trustCoefficient",
    "eps",
    "trustRatioMask",
    "momentum",
    "nesterov",
  ]);
  checkLearningRate("lars", learningRate);
  checkHyperparam("lars", "weightDecay", opts.weightDecay, { min: 0, optional: true });
  checkDecay("lars", "momentum", opts.momentum, { optional: true });
  const {
    weightDecay = 0,
    weightDecayMask = true,
    trustCoefficient = 0.001,
    eps = 0,
    trustRatioMask = true,
    momentum = 0.9,
    nesterov = false,
  } = opts;
  return named(
    "lars",
    chain(
      addDecayedWeights(weightDecay, weightDecayMask),
      masked(scaleByTrustRatio({ trustCoefficient, eps }), trustRatioMask),
      scaleByLearningRate(learningRate),
      traceMomentum({ decay: momentum, nesterov }),
    ),
  );
}
