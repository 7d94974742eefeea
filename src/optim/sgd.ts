/** Stochastic gradient descent, with optional heavy-ball or Nesterov momentum. */
import { identity, named, type Hyperparam, type LearningRate } from "./base.js";
import { chain } from "./chain.js";
import { checkDecay, checkLearningRate } from "./hyperparam-checks.js";
import { traceMomentum } from "./momentum.js";
import { scaleByLearningRate } from "./scale.js";
import type { GradientTransformation, OptState } from "./types.js";
import { checkOptions } from "../core/options.js";

/** Options of `sgd`. */
export interface SgdOptions {
  /** Momentum γ in [0, 1]; omitted: plain gradient descent. */
  momentum?: Hyperparam;
  /** Nesterov momentum (needs `momentum`). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, optionally with momentum:
 * `chain(traceMomentum({ decay: γ, nesterov }), scaleByLearningRate(α))`.
 *
 * **Plain:** `w ← w − α·∇L(w)`. On `L = x²` from `x = 10` with `α = 0.2` this gives 6, 3.6, 2.16, …
 *
 * **Momentum.** Sutskever et al. (2013, eqs. 1–2) write Polyak's heavy ball in *velocity* form
 *
 *     v ← γ·v − α·∇L(w);   w ← w + v
 *
 * while this function implements Optax's *trace* form
 *
 *     t ← ∇L(w) + γ·t;    w ← w − α·t.
 *
 * They give the same iterates for a constant α: with `v₀ = t₀ = 0`, if `v = −α·t` then
 * `v' = γ·v − α·∇L = −α·(∇L + γ·t) = −α·t'`, so `w + v' = w − α·t'` at every step. The trace form
 * is used because it separates momentum from the learning rate: it is exactly
 * `chain(traceMomentum, scaleByLearningRate)`, and a schedule (or an injected learning rate)
 * rescales the whole step at once. (With a varying α the two differ slightly: the velocity form
 * keeps earlier steps scaled by the α they were taken with.)
 *
 * **Nesterov** (`nesterov: true`). Sutskever et al. (2013, eqs. 3–4) evaluate the gradient at the
 * look-ahead point:
 *
 *     v ← γ·v − α·∇L(w + γ·v);   w ← w + v.
 *
 * A gradient transformation only receives the gradient at the current params, so (as Optax and
 * PyTorch do, after Sutskever et al. 2013) the params are taken to *be* the look-ahead point
 * `w̃ = w + γ·v`. Substituting `v = −α·t` gives
 *
 *     t ← ∇L(w̃) + γ·t;   w̃ ← w̃ − α·(∇L(w̃) + γ·t),
 *
 * which is what `traceMomentum({ nesterov: true })` computes: for a constant α the iterates here
 * are exactly the look-ahead points `w + γ·v` (e.g. on `x²` from 10 with α = 0.1, γ = 0.9:
 * 6.2 = 8 + 0.9·(−2), then 2.224).
 *
 * @param learningRate α ≥ 0, or a schedule of the step count.
 * @example
 * import { np, grad } from "graft-ad";
 * import { sgd, applyUpdates } from "graft-ad/optim";
 *
 * const loss = (x: np.Array) => x.square().sum();
 * const opt = sgd(0.2);
 * let x = np.array([10]);
 * let state = opt.init(x);
 * for (let i = 0; i < 3; i++) {
 *   const [updates, next] = opt.update(grad(loss)(x), state, x);
 *   x = applyUpdates(x, updates);
 *   state = next;
 *   console.log(x.item()); // 6, 3.6, 2.16
 * }
 * const heavyBall = sgd(0.1, { momentum: 0.9, nesterov: true });
 */
export function sgd(learningRate: LearningRate, opts: SgdOptions = {}): GradientTransformation<readonly OptState[]> {
  checkOptions("sgd", opts, ["momentum", "nesterov"]);
  checkLearningRate("sgd", learningRate);
  checkDecay("sgd", "momentum", opts.momentum, { optional: true });
  if (opts.nesterov && opts.momentum === undefined)
    throw new TypeError("sgd: nesterov: true needs a momentum (e.g. { momentum: 0.9, nesterov: true })");
  return named(
    "sgd",
    chain(
      opts.momentum === undefined
        ? identity()
        : traceMomentum({ decay: opts.momentum, nesterov: opts.nesterov ?? false }),
      scaleByLearningRate(learningRate),
    ),
  );
}
