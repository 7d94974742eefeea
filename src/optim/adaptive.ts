/**
 * Adaptive first-order optimizers: per-parameter step sizes from gradient statistics. Each is a
 * chain of building blocks (adaptive-scaling.ts, adam-family.ts, momentum.ts, ...), ending in
 * `scaleByLearningRate(α)` (updates are added to the params with `applyUpdates`). All take
 * `learningRate` as a number ≥ 0, a schedule of the int32 step count, or a scalar array (from
 * `injectHyperparams`), and validate every hyperparameter when they are constructed.
 *
 * Notation: `g = ∇L(w)`, `t` the step number from 1, operations elementwise.
 */
import { scaleByAdam, scaleByAdamax, scaleByAmsgrad, scaleByLion, type AdamOptions } from "./adam-family.js";
import { scaleByAdadelta, scaleByRms, scaleByRss, scaleByStddev } from "./adaptive-scaling.js";
import { identity, named, type Hyperparam, type LearningRate } from "./base.js";
import { chain } from "./chain.js";
import { checkDecay, checkHyperparam, checkLearningRate } from "./hyperparam-checks.js";
import type { MaskSpec } from "./masked.js";
import { traceMomentum } from "./momentum.js";
import { scaleByRprop, type RpropOptions } from "./rprop.js";
import { scale, scaleByLearningRate } from "./scale.js";
import { addDecayedWeights } from "./weight-decay.js";
import type { GradientTransformation, OptState } from "./types.js";
import { checkOptions } from "../core/options.js";

/** The state of the chained optimizers: one inner state per link of the chain. */
export type ChainState = readonly OptState[];

/**
 * AdaGrad (Duchi et al. 2011): each parameter's step shrinks with the sum of its squared gradients.
 * Optax's defaults: G₀ = 0.1 and ε = 1e-7 inside the root.
 *
 *     G ← G + g²;   w ← w − α·g / √(G + ε)
 *
 * `{ initialAccumulatorValue: 0, epsInSqrt: false }` gives the course notes' (and Duchi et al.'s)
 * form w ← w − α·g / (√G + ε) with G = Σ g².
 * @param learningRate α ≥ 0 (or a schedule).
 * @param opts.initialAccumulatorValue G₀ ≥ 0 (default 0.1, as Optax).
 * @param opts.eps ε ≥ 0 (default 1e-7).
 * @param opts.epsInSqrt ε inside the root (default true, as Optax) or added to √G.
 * @example
 * import { np, grad } from "graft-ad";
 * import { adagrad, applyUpdates } from "graft-ad/optim";
 * const opt = adagrad(0.5, { initialAccumulatorValue: 0, epsInSqrt: false });
 * let w = np.array([1, -2]);
 * const [u] = opt.update(grad((x: np.Array) => x.square().sum())(w), opt.init(w), w);
 * w = applyUpdates(w, u); // each coordinate moves by α·g/|g| = 0.5 on the first step: [0.5, -1.5]
 */
export function adagrad(
  learningRate: LearningRate,
  opts: { initialAccumulatorValue?: number; eps?: Hyperparam; epsInSqrt?: boolean } = {},
): GradientTransformation<ChainState> {
  checkOptions("adagrad", opts, ["initialAccumulatorValue", "eps", "epsInSqrt"]);
  checkLearningRate("adagrad", learningRate);
  checkHyperparam("adagrad", "initialAccumulatorValue", opts.initialAccumulatorValue, { min: 0, optional: true });
  checkHyperparam("adagrad", "eps", opts.eps, { min: 0, optional: true });
  return named("adagrad", chain(scaleByRss(opts), scaleByLearningRate(learningRate)));
}

/**
 * AdaDelta (Zeiler 2012): AdaGrad with decaying averages, scaled by the RMS of past updates.
 *
 *     E[g²] ← ρ·E[g²] + (1−ρ)·g²
 *     Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *     E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²
 *     w ← w − α·Δ
 *
 * Zeiler (2012) needs no manually tuned learning rate: α defaults to 1.
 * @param opts.rho ρ in [0, 1] (default 0.9). @param opts.eps ε ≥ 0 (default 1e-6).
 * @param opts.weightDecay λ ≥ 0 added as `g + λw` before the scaling (default 0), limited to `mask`.
 * @example
 * import { adadelta } from "graft-ad/optim";
 * const opt = adadelta(1, { rho: 0.95, eps: 1e-6 });
 */
export function adadelta(
  learningRate: LearningRate = 1,
  opts: { rho?: Hyperparam; eps?: Hyperparam; weightDecay?: Hyperparam; mask?: MaskSpec } = {},
): GradientTransformation<ChainState> {
  checkOptions("adadelta", opts, ["rho", "eps", "weightDecay", "mask"]);
  checkLearningRate("adadelta", learningRate);
  checkDecay("adadelta", "rho", opts.rho, { optional: true });
  checkHyperparam("adadelta", "eps", opts.eps, { min: 0, optional: true });
  checkHyperparam("adadelta", "weightDecay", opts.weightDecay, { min: 0, optional: true });
  const decay =
    opts.weightDecay === undefined || opts.weightDecay === 0
      ? identity()
      : addDecayedWeights(opts.weightDecay, opts.mask);
  return named(
    "adadelta",
    chain(decay, scaleByAdadelta({ rho: opts.rho ?? 0.9, eps: opts.eps ?? 1e-6 }), scaleByLearningRate(learningRate)),
  );
}

/** Options of `rmsprop`. */
export interface RmspropOptions {
  /** Decay λ of the averages, in [0, 1] (default 0.9). */
  decay?: Hyperparam;
  /** ε ≥ 0 (default 1e-8). */
  eps?: Hyperparam;
  /** Divide by the standard deviation instead of the RMS (default false). */
  centered?: boolean;
  /** Momentum γ applied after the scaling (default: none). */
  momentum?: Hyperparam;
  /** Nesterov momentum (needs `momentum`). */
  nesterov?: boolean;
  /** Initial value of the squared-gradient average (default 0). */
  initialScale?: number;
  /** `g/√(S+ε)` (default true, as Optax) or `g/(√S+ε)` (the course notes' form). */
  epsInSqrt?: boolean;
}

/**
 * RMSProp (Hinton 2012): AdaGrad with a decaying average of squared gradients, so the step size
 * does not vanish. ε goes inside the root by default, as in Optax:
 *
 *     S ← λ·S + (1−λ)·g²;   w ← w − α·g / √(S + ε)
 *
 * `epsInSqrt: false` gives the course notes' form `g / (√S + ε)`. `centered: true` divides by
 * `√(S − m² + ε)` with `m ← λ·m + (1−λ)·g`; `momentum: γ` accumulates
 * the scaled steps, `v ← γ·v + g/(√S + ε)`, `w ← w − α·v` (as in `sgd`).
 * @example
 * import { rmsprop } from "graft-ad/optim";
 * const opt = rmsprop(1e-3, { decay: 0.9, centered: true, momentum: 0.9 });
 */
export function rmsprop(learningRate: LearningRate, opts: RmspropOptions = {}): GradientTransformation<ChainState> {
  checkOptions("rmsprop", opts, ["decay", "eps", "centered", "momentum", "nesterov", "initialScale", "epsInSqrt"]);
  checkLearningRate("rmsprop", learningRate);
  checkDecay("rmsprop", "decay", opts.decay, { optional: true });
  checkHyperparam("rmsprop", "eps", opts.eps, { min: 0, optional: true });
  checkDecay("rmsprop", "momentum", opts.momentum, { optional: true });
  checkHyperparam("rmsprop", "initialScale", opts.initialScale, { min: 0, optional: true });
  if (opts.nesterov && opts.momentum === undefined) throw new TypeError("rmsprop: nesterov: true needs a momentum");
  const rms = {
    decay: opts.decay ?? 0.9,
    eps: opts.eps ?? 1e-8,
    initialScale: opts.initialScale ?? 0,
    epsInSqrt: opts.epsInSqrt ?? true,
  };
  return named(
    "rmsprop",
    chain(
      opts.centered ? scaleByStddev(rms) : scaleByRms(rms),
      opts.momentum === undefined
        ? identity()
        : traceMomentum({ decay: opts.momentum, nesterov: opts.nesterov ?? false }),
      scaleByLearningRate(learningRate),
    ),
  );
}

function checkAdam(op: string, o: AdamOptions): void {
  checkDecay(op, "b1", o.b1, { optional: true, maxExclusive: true });
  checkDecay(op, "b2", o.b2, { optional: true, maxExclusive: true });
  checkHyperparam(op, "eps", o.eps, { min: 0, optional: true });
  checkHyperparam(op, "epsRoot", o.epsRoot, { min: 0, optional: true });
}

/**
 * Adam (Kingma & Ba 2015): momentum on the gradient and RMSProp's scaling, both bias-corrected.
 *
 *     m ← β₁·m + (1−β₁)·g;      v ← β₂·v + (1−β₂)·g²
 *     m̂ = m / (1−β₁ᵗ);          v̂ = v / (1−β₂ᵗ)
 *     w ← w − α·m̂ / (√(v̂ + ε_root) + ε)
 *
 * On the first step `m̂ = g` and `v̂ = g²`, so the step is `−α·sign(g)` (up to ε).
 * Defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, ε_root = 0.
 * @example
 * import { np, grad, jit } from "graft-ad";
 * import { adam, applyUpdates } from "graft-ad/optim";
 * type P = { w: np.Array };
 * const loss = (p: P) => p.w.sub(3).square().sum();
 * const opt = adam(0.1);
 * let p: P = { w: np.zeros([2]) };
 * let s = opt.init(p);
 * const step = jit((p: P, s: ReturnType<typeof opt.init>) => {
 *   const [u, next] = opt.update(grad(loss)(p), s, p);
 *   return [applyUpdates(p, u), next] as const;
 * });
 * for (let i = 0; i < 200; i++) [p, s] = step(p, s);
 * console.log(p.w.toString()); // ≈ [3, 3]
 */
export function adam(learningRate: LearningRate, opts: AdamOptions = {}): GradientTransformation<ChainState> {
  checkOptions("adam", opts, ["b1", "b2", "eps", "epsRoot", "nesterov"]);
  checkLearningRate("adam", learningRate);
  checkAdam("adam", opts);
  return named("adam", chain(scaleByAdam(opts), scaleByLearningRate(learningRate)));
}

/** Options of `adamw`. */
export interface AdamwOptions extends AdamOptions {
  /** Decoupled weight decay λ ≥ 0 (default 1e-4). */
  weightDecay?: Hyperparam;
  /** Which leaves decay (a boolean pytree or prefix, or a function of the params); default all. */
  mask?: MaskSpec;
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with *decoupled* weight decay — the decay is added to
 * Adam's step instead of to the gradient, so it is not rescaled by `1/√v̂`:
 *
 *     m̂, v̂ as in Adam;   w ← w − α·( m̂ / (√(v̂ + ε_root) + ε) + λ·w )
 *
 * `mask` restricts the decay (e.g. to weight matrices, not biases or norms).
 * @example
 * import { np, tree } from "graft-ad";
 * import { adamw } from "graft-ad/optim";
 * const opt = adamw(1e-3, { weightDecay: 0.01, mask: (p: unknown) => tree.map((x: np.Array) => x.ndim > 1, p) });
 */
export function adamw(learningRate: LearningRate, opts: AdamwOptions = {}): GradientTransformation<ChainState> {
  checkOptions("adamw", opts, ["b1", "b2", "eps", "epsRoot", "nesterov", "weightDecay", "mask"]);
  checkLearningRate("adamw", learningRate);
  checkAdam("adamw", opts);
  checkHyperparam("adamw", "weightDecay", opts.weightDecay, { min: 0, optional: true });
  const { weightDecay = 1e-4, mask, ...adamOpts } = opts;
  return named(
    "adamw",
    chain(scaleByAdam(adamOpts), addDecayedWeights(weightDecay, mask), scaleByLearningRate(learningRate)),
  );
}

/**
 * NAdam (Dozat 2016): Adam with Nesterov momentum on the first moment.
 *
 *     m ← β₁·m + (1−β₁)·g;   v ← β₂·v + (1−β₂)·g²
 *     m̂ = β₁·m / (1−β₁ᵗ⁺¹) + (1−β₁)·g / (1−β₁ᵗ);   v̂ = v / (1−β₂ᵗ)
 *     w ← w − α·m̂ / (√(v̂ + ε_root) + ε)
 * @example
 * import { nadam } from "graft-ad/optim";
 * const opt = nadam(2e-3);
 */
export function nadam(
  learningRate: LearningRate,
  opts: Omit<AdamOptions, "nesterov"> = {},
): GradientTransformation<ChainState> {
  checkOptions("nadam", opts, ["b1", "b2", "eps", "epsRoot"]);
  checkLearningRate("nadam", learningRate);
  checkAdam("nadam", opts);
  return named("nadam", chain(scaleByAdam({ ...opts, nesterov: true }), scaleByLearningRate(learningRate)));
}

/**
 * AdaMax (Kingma & Ba 2015, §7): Adam with the infinity norm in place of the RMS.
 *
 *     m ← β₁·m + (1−β₁)·g;   u ← max(β₂·u, |g|)
 *     w ← w − α/(1−β₁ᵗ) · m / (u + ε)
 *
 * Defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
 * @example
 * import { adamax } from "graft-ad/optim";
 * const opt = adamax(2e-3);
 */
export function adamax(
  learningRate: LearningRate,
  opts: { b1?: Hyperparam; b2?: Hyperparam; eps?: Hyperparam } = {},
): GradientTransformation<ChainState> {
  checkOptions("adamax", opts, ["b1", "b2", "eps"]);
  checkLearningRate("adamax", learningRate);
  checkAdam("adamax", opts);
  return named("adamax", chain(scaleByAdamax(opts), scaleByLearningRate(learningRate)));
}

/**
 * AMSGrad (Reddi et al. 2018): Adam whose second-moment estimate never decreases, which restores
 * convergence on problems where Adam's step can grow again.
 *
 *     m̂, v̂ as in Adam;   v̂max ← max(v̂max, v̂);   w ← w − α·m̂ / (√(v̂max + ε_root) + ε)
 * @example
 * import { amsgrad } from "graft-ad/optim";
 * const opt = amsgrad(1e-3);
 */
export function amsgrad(
  learningRate: LearningRate,
  opts: Omit<AdamOptions, "nesterov"> = {},
): GradientTransformation<ChainState> {
  checkOptions("amsgrad", opts, ["b1", "b2", "eps", "epsRoot"]);
  checkLearningRate("amsgrad", learningRate);
  checkAdam("amsgrad", opts);
  return named("amsgrad", chain(scaleByAmsgrad(opts), scaleByLearningRate(learningRate)));
}

/** Options of `lion`. */
export interface LionOptions {
  /** Interpolation between momentum and gradient for the step direction (default 0.9). */
  b1?: Hyperparam;
  /** Momentum decay (default 0.99). */
  b2?: Hyperparam;
  /** Decoupled weight decay λ ≥ 0 (default 1e-3, as in Optax). */
  weightDecay?: Hyperparam;
  /** Which leaves decay. */
  mask?: MaskSpec;
}

/**
 * Lion (Chen et al. 2023): the step is the *sign* of an interpolation of momentum and gradient,
 * so every coordinate moves by exactly α (plus decoupled weight decay).
 *
 *     c = β₁·m + (1−β₁)·g;   w ← w − α·(sign(c) + λ·w);   m ← β₂·m + (1−β₂)·g
 *
 * Use a learning rate 3–10× smaller than Adam's (and decay it to converge exactly).
 * @example
 * import { lion } from "graft-ad/optim";
 * const opt = lion(1e-4, { weightDecay: 0.01 });
 */
export function lion(learningRate: LearningRate, opts: LionOptions = {}): GradientTransformation<ChainState> {
  checkOptions("lion", opts, ["b1", "b2", "weightDecay", "mask"]);
  checkLearningRate("lion", learningRate);
  checkDecay("lion", "b1", opts.b1, { optional: true });
  checkDecay("lion", "b2", opts.b2, { optional: true });
  checkHyperparam("lion", "weightDecay", opts.weightDecay, { min: 0, optional: true });
  const weightDecay = opts.weightDecay ?? 1e-3;
  return named(
    "lion",
    chain(
      scaleByLion({ b1: opts.b1 ?? 0.9, b2: opts.b2 ?? 0.99 }),
      weightDecay === 0 ? identity() : addDecayedWeights(weightDecay, opts.mask),
      scaleByLearningRate(learningRate),
    ),
  );
}

/**
 * Rprop (resilient propagation, Riedmiller & Braun 1993; iRprop⁻): only the *signs* of the
 * gradients are used; each parameter has its own step size Δ (starting at `learningRate`) that
 * grows by η⁺ while the gradient keeps its sign and shrinks by η⁻ when it flips:
 *
 *     s = g·g_prev
 *     Δ ← clip(η⁺·Δ if s > 0,  η⁻·Δ if s < 0,  Δ if s = 0;  Δmin, Δmax)
 *     g ← 0 if s < 0                      (skip the step after a flip)
 *     w ← w − sign(g)·Δ;   g_prev ← g
 *
 * Defaults: η⁻ = 0.5, η⁺ = 1.2, Δmin = 1e-6, Δmax = 50. Meant for full-batch gradients.
 * @param learningRate the initial step size Δ₀ > 0 (a number or scalar array; not a schedule).
 * @example
 * import { rprop } from "graft-ad/optim";
 * const opt = rprop(0.1, { etaPlus: 1.2, etaMinus: 0.5 });
 */
export function rprop(learningRate: Hyperparam, opts: RpropOptions = {}): GradientTransformation<ChainState> {
  checkOptions("rprop", opts, ["etaMinus", "etaPlus", "minStepSize", "maxStepSize"]);
  checkHyperparam("rprop", "learningRate", learningRate, { min: 0, minExclusive: true });
  checkHyperparam("rprop", "etaMinus", opts.etaMinus, { min: 0, max: 1, minExclusive: true, optional: true });
  checkHyperparam("rprop", "etaPlus", opts.etaPlus, { min: 1, optional: true });
  checkHyperparam("rprop", "minStepSize", opts.minStepSize, { min: 0, optional: true });
  checkHyperparam("rprop", "maxStepSize", opts.maxStepSize, {
    min: opts.minStepSize ?? 0,
    infinity: true,
    optional: true,
  });
  return named("rprop", chain(scaleByRprop(learningRate, opts), scale(-1)));
}
