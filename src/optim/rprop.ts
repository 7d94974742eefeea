// Resilient propagation: per-parameter step sizes adapted from gradient signs (scaleByRprop).
import * as np from "../numpy/index.js";
import { castLike, checkState, freezeState, fullLikeTree, mapTreesN, zerosLikeTree, type Hyperparam } from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";

/** Options of `scaleByRprop`. */
export interface RpropOptions {
  /** Factor (< 1) applied to a step size when its gradient changes sign (default 0.5). */
  etaMinus?: number;
  /** Factor (> 1) applied to a step size when its gradient keeps its sign (default 1.2). */
  etaPlus?: number;
  /** Lower clamp of the step sizes (default 1e-6). */
  minStepSize?: number;
  /** Upper clamp of the step sizes (default 50). */
  maxStepSize?: number;
}

/** The state of `scaleByRprop`: per-parameter step sizes and the previous (effective) gradient. */
export interface RpropState {
  readonly stepSizes: Updates;
  readonly prevUpdates: Updates;
}

function checkRprop(op: string, o: RpropOptions): Required<RpropOptions> {
  const { etaMinus = 0.5, etaPlus = 1.2, minStepSize = 1e-6, maxStepSize = 50 } = o;
  checkHyperparam(op, "etaMinus", etaMinus, { min: 0, max: 1, minExclusive: true });
  checkHyperparam(op, "etaPlus", etaPlus, { min: 1 });
  checkHyperparam(op, "minStepSize", minStepSize, { min: 0 });
  checkHyperparam(op, "maxStepSize", maxStepSize, { min: minStepSize, infinity: true });
  return { etaMinus, etaPlus, minStepSize, maxStepSize };
}

/**
 * Resilient propagation (Riedmiller & Braun 1993; the iRprop⁻ variant, as PyTorch and Optax):
 * each parameter has its own step size Δ, adapted from the signs of successive gradients only.
 *
 *     s = g·g_prev
 *     Δ ← clip(η⁺·Δ if s > 0,  η⁻·Δ if s < 0,  Δ otherwise;  Δmin, Δmax)
 *     g ← 0 if s < 0   (after a sign flip the step is skipped)
 *     u = sign(g)·Δ;   g_prev ← g
 *
 * The result points *up* the gradient; `rprop` chains `scale(-1)` after it.
 * @example
 * chain(scaleByRprop(0.1), scale(-1)); // = rprop(0.1)
 */
export function scaleByRprop(initialStepSize: Hyperparam, opts: RpropOptions = {}): GradientTransformation<RpropState> {
  checkOptions("scaleByRprop", opts, ["etaMinus", "etaPlus", "minStepSize", "maxStepSize"]);
  checkHyperparam("scaleByRprop", "initialStepSize", initialStepSize, { min: 0 });
  const { etaMinus, etaPlus, minStepSize, maxStepSize } = checkRprop("scaleByRprop", opts);
  return {
    init: (params) =>
      freezeState({
        stepSizes: fullLikeTree(params, initialStepSize, "scaleByRprop"),
        prevUpdates: zerosLikeTree(params, "scaleByRprop"),
      }),
    update: (updates, state) => {
      checkState("scaleByRprop", state, ["stepSizes", "prevUpdates"]);
      const [u, stepSizes, prevUpdates] = mapTreesN(
        "scaleByRprop",
        3,
        (g, step, prev) => {
          const s = g.mul(prev);
          const flipped = s.less(0);
          const grown = np.where(s.greater(0), step.mul(etaPlus), np.where(flipped, step.mul(etaMinus), step));
          const nstep = castLike(np.clip(grown, minStepSize, maxStepSize), step);
          const geff = np.where(flipped, np.zerosLike(g), g);
          return [castLike(geff.sign().mul(nstep), g), nstep, castLike(geff, prev)];
        },
        updates,
        state.stepSizes,
        state.prevUpdates,
      );
      return [freezeState(u), freezeState({ stepSizes, prevUpdates })];
    },
  };
}
