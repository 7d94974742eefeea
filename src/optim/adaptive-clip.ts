// Adaptive gradient clipping (Brock et al. 2021; Optax's `adaptive_grad_clip`): unit-wise clipping relative to the parameter norms.
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  castLike,
  checkState,
  freezeState,
  mapTrees,
  requireParams,
  type EmptyState,
  type Hyperparam,
} from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation } from "./types.js";
import { checkOptions } from "../core/options.js";

const OP = "adaptiveGradClip";

/** The axes a unit's norm sums over, by Optax's layout conventions (IO linear, HWIO conv). */
function unitAxes(x: Array, axis: number | readonly number[] | undefined): number[] | null {
  if (axis !== undefined) return typeof axis === "number" ? [axis] : [...axis];
  if (x.shape.filter((d) => d !== 1).length <= 1) return null; // scalars and vectors: the whole leaf
  if (x.ndim === 2 || x.ndim === 3) return [0];
  if (x.ndim === 4) return [0, 1, 2];
  if (x.ndim === 5) return [0, 1, 2, 3];
  throw new RangeError(
    `${OP}: cannot pick the unit axes of a leaf of shape [${x.shape.join(", ")}] (rank 1 to 5 is understood); ` +
      "pass { axis } to say which axes a unit's norm sums over",
  );
}

/** Each unit's L2 norm, broadcast back to x's shape (Optax's `unitwise_norm`). */
function unitwiseNorm(x: Array, axis: number | readonly number[] | undefined): Array {
  const axes = unitAxes(x, axis);
  const sq = x.square();
  const summed = axes === null ? sq.sum().reshape(x.shape.map(() => 1)) : np.sum(sq, axes, { keepdims: true });
  return np.broadcastTo(summed.sqrt(), x.shape);
}

/**
 * Adaptive gradient clipping (Brock et al. 2021, "High-performance large-scale image recognition
 * without normalization"): each unit (an output column of a linear layer, an output channel of a
 * conv kernel, a whole vector) is rescaled when its gradient norm exceeds `clipping` times its
 * parameter norm:
 *
 *     m = clipping·max(‖w‖ᵤ, ε);   g ← g if ‖g‖ᵤ < m, else g·m / max(‖g‖ᵤ, 1e-6)
 *
 * Units follow Optax: rank ≤ 1 leaves are one unit, rank 2–3 sum over axis 0, rank 4 over axes
 * 0–2 (HWIO), rank 5 over 0–3; `axis` overrides. Needs `params` in `update`.
 * @example
 * chain(adaptiveGradClip(0.01), sgd(0.1, { momentum: 0.9 }));
 */
export function adaptiveGradClip(
  clipping: Hyperparam,
  opts: { eps?: Hyperparam; axis?: number | readonly number[] } = {},
): GradientTransformation<EmptyState> {
  checkOptions(OP, opts, ["eps", "axis"]);
  checkHyperparam(OP, "clipping", clipping, { min: 0 });
  checkHyperparam(OP, "eps", opts.eps, { min: 0, optional: true });
  const { eps = 1e-3, axis } = opts;
  return {
    init: () => freezeState({}),
    update: (updates, state, params) => {
      checkState(OP, state, []);
      const p = requireParams(OP, params);
      const out = mapTrees(
        OP,
        (g, w) => {
          const gNorm = unitwiseNorm(g, axis);
          const maxNorm = castLike(np.maximum(unitwiseNorm(w, axis), eps).mul(clipping), g);
          const clipped = g.mul(maxNorm.div(np.maximum(gNorm, 1e-6)));
          return castLike(np.where(gNorm.less(maxNorm), g, clipped), g);
        },
        updates,
        p,
      );
      return [freezeState(out), state];
    },
  };
}
