/**
 * Quickprop (Fahlman 1988, "An empirical study of learning speed in back-propagation networks"):
 * per-parameter Newton steps whose second derivative is estimated from the last two gradients.
 * The course notes derive it as Newton's update w ← w − E'/E'' with the secant estimate
 * E'' ≈ (E'(t) − E'(t−1)) / Δw(t−1), which gives
 *
 *     Δw(t) = g(t) / (g(t−1) − g(t)) · Δw(t−1)
 *
 * — the step to the minimum of the parabola through the two slopes.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { castLike, checkState, freezeState, mapTreesN, named, zerosLikeTree, type Hyperparam } from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";

/** The state of `quickprop`: the previous gradient and the previous step Δw (the update returned). */
export interface QuickpropState {
  readonly prevGrad: Updates;
  readonly prevStep: Updates;
}

/** Options of `quickprop`. */
export interface QuickpropOptions {
  /** The maximum growth factor μ: no step exceeds μ times the previous one (default 1.75, Fahlman's). */
  maxGrowth?: Hyperparam;
}

/**
 * Quickprop (Fahlman 1988), elementwise, with ε = `learningRate` and μ = `maxGrowth`:
 *
 *     Δw = −ε·g                                   where Δw₋ = 0 (first step, or after a zero step)
 *     Δw = g/(g₋ − g)·Δw₋  [+ (−ε·g) if g·Δw₋ < 0]  otherwise, but
 *     Δw = μ·Δw₋           when the parabola's step would exceed μ·Δw₋ or go uphill,
 *                          i.e. when (g − μ/(1+μ)·g₋)·Δw₋ < 0
 *
 * The gradient term is added while the slope still points along the previous step (no minimum
 * crossed yet). Where the secant is flat (g = g₋) outside that case the step is 0, which restarts
 * the parameter with a gradient step. The updates are the steps Δw themselves (already descending).
 * @example
 * import { quickprop } from "graft-ad/optim";
 * const opt = quickprop(0.1, { maxGrowth: 1.75 });
 */
export function quickprop(
  learningRate: Hyperparam,
  opts: QuickpropOptions = {},
): GradientTransformation<QuickpropState> {
  const op = "quickprop";
  checkOptions(op, opts, ["maxGrowth"]);
  checkHyperparam(op, "learningRate", learningRate, { min: 0, minExclusive: true });
  checkHyperparam(op, "maxGrowth", opts.maxGrowth, { min: 0, minExclusive: true, optional: true });
  const mu = opts.maxGrowth ?? 1.75;
  const shrink = typeof mu === "number" ? mu / (1 + mu) : mu.div(np.add(1, mu));
  const inner: GradientTransformation<QuickpropState> = {
    init: (params) => freezeState({ prevGrad: zerosLikeTree(params, op), prevStep: zerosLikeTree(params, op) }),
    update: (updates, state) => {
      checkState(op, state, ["prevGrad", "prevStep"]);
      const [u, prevGrad, prevStep] = mapTreesN(
        op,
        3,
        (g: Array, gPrev: Array, dPrev: Array) => {
          const gradientStep = g.mul(learningRate).neg();
          const denom = gPrev.sub(g);
          const flat = denom.equal(0);
          const parabola = np.where(flat, np.zerosLike(g), g.div(np.where(flat, np.onesLike(denom), denom))).mul(dPrev);
          const capped = g.sub(gPrev.mul(shrink)).mul(dPrev).less(0);
          const quad = np.where(capped, dPrev.mul(mu), parabola);
          const downhill = g.mul(dPrev).less(0);
          const step = np.where(
            dPrev.equal(0),
            gradientStep,
            quad.add(np.where(downhill, gradientStep, np.zerosLike(g))),
          );
          const d = castLike(step, g);
          return [d, g, d];
        },
        updates,
        state.prevGrad,
        state.prevStep,
      );
      return [freezeState(u), freezeState({ prevGrad, prevStep })];
    },
  };
  return named(op, inner);
}
