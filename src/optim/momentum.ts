// Momentum as a trace of past updates (traceMomentum).
import { castLike, checkState, freezeState, mapTreesN, zerosLikeTree, type Hyperparam } from "./base.js";
import { checkDecay } from "./hyperparam-checks.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";

/** The state of `traceMomentum`: the velocity (trace) `t`, shaped like the params. */
export interface TraceState {
  readonly trace: Updates;
}

/**
 * Momentum as a trace of past updates (Optax's `trace`):
 *
 *     t ← g + γ·t;   u = t              (heavy ball)
 *     t ← g + γ·t;   u = g + γ·t        (nesterov: true)
 *
 * Chained before `scaleByLearningRate(α)` this is SGD with momentum; see `sgd` for how it relates
 * to the velocity form `v ← γv − α∇L; w ← w + v`.
 * @example
 * const opt = chain(traceMomentum({ decay: 0.9, nesterov: true }), scaleByLearningRate(0.1));
 */
export function traceMomentum(
  opts: { decay?: Hyperparam; nesterov?: boolean } = {},
): GradientTransformation<TraceState> {
  checkOptions("traceMomentum", opts, ["decay", "nesterov"]);
  const decay = opts.decay ?? 0.9;
  const nesterov = opts.nesterov ?? false;
  checkDecay("traceMomentum", "decay", decay);
  return {
    init: (params) => freezeState({ trace: zerosLikeTree(params, "traceMomentum") }),
    update: (updates, state) => {
      checkState("traceMomentum", state, ["trace"]);
      const [u, trace] = mapTreesN(
        "traceMomentum",
        2,
        (g, t) => {
          const nt = castLike(g.add(t.mul(decay)), t);
          return [nesterov ? castLike(g.add(nt.mul(decay)), g) : castLike(nt, g), nt];
        },
        updates,
        state.trace,
      );
      return [freezeState(u), freezeState({ trace })];
    },
  };
}
