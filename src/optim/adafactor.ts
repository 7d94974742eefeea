/**
 * Adafactor (Shazeer & Stern 2018), as Optax 0.2.8 builds it: a second-moment estimate that is
 * *factored* into row and column averages for large matrices (memory O(n + m) instead of O(nm)),
 * update clipping by block RMS, steps relative to the parameters' RMS, optional momentum and
 * weight decay.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import type { ChainState } from "./adaptive.js";
import {
  castLike,
  checkSameStructure,
  checkState,
  freezeState,
  identity,
  mapTrees,
  named,
  OptimStructureError,
  requireParams,
  safeIncrement,
  zeroCount,
  type EmptyState,
  type Hyperparam,
  type LearningRate,
} from "./base.js";
import { chain } from "./chain.js";
import { ema } from "./ema.js";
import { checkDecay, checkHyperparam, checkLearningRate } from "./hyperparam-checks.js";
import type { MaskSpec } from "./masked.js";
import { scale, scaleByLearningRate } from "./scale.js";
import { addDecayedWeights } from "./weight-decay.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";
import { tree } from "../tree/index.js";

/** The state of Adafactor's factored RMS: the step count and, per leaf, row, column or full averages. */
export interface FactoredState {
  readonly count: Array;
  /** Row averages of g² (factored leaves; a placeholder [1] zero otherwise). */
  readonly vRow: Updates;
  /** Column averages of g² (factored leaves; a placeholder otherwise). */
  readonly vCol: Updates;
  /** The full average of g² (unfactored leaves; a placeholder otherwise). */
  readonly v: Updates;
}

/** The (second largest, largest) axes of a leaf to factor over, or null when it is not factored. */
function factoredDims(shape: readonly number[], factored: boolean, minDim: number): [number, number] | null {
  if (!factored || shape.length < 2) return null;
  // A stable sort of the axes by size, as NumPy's argsort gives on such short shapes.
  const sorted = shape.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [d1, d0] = [sorted[sorted.length - 2]![1], sorted[sorted.length - 1]![1]];
  return shape[d1]! < minDim ? null : [d1, d0];
}

interface FactoredOptions {
  factored: boolean;
  decayRate: Hyperparam;
  decayOffset: number;
  minDimSizeToFactor: number;
  eps: Hyperparam;
}

/**
 * Scaling by the factored estimate of the gradient RMS (Optax's `scale_by_factored_rms`). With
 * β̂ₜ = 1 − (t + 1)^(−decayRate) (float32, as Optax) and G = g² + ε:
 * factored: R ← β̂·R + (1−β̂)·mean(G, cols), C ← β̂·C + (1−β̂)·mean(G, rows),
 * u = g / √(R/mean(R)) / √C; unfactored: V ← β̂·V + (1−β̂)·G, u = g/√V.
 */
function scaleByFactoredRms(o: FactoredOptions): GradientTransformation<FactoredState> {
  const op = "adafactor";
  const placeholder = (p: Array) => np.zeros([1], { dtype: p.dtype });
  const dims = (p: Array) => factoredDims(p.shape, o.factored, o.minDimSizeToFactor);
  const without = (p: Array, axis: number) =>
    np.zeros(
      p.shape.filter((_, i) => i !== axis),
      { dtype: p.dtype },
    );
  return {
    init: (params) => {
      const leaf = (f: (p: Array, d: [number, number] | null) => Array) =>
        tree.map((p: unknown) => f(p as Array, dims(p as Array)), params);
      return freezeState({
        count: zeroCount(),
        vRow: leaf((p, d) => (d === null ? placeholder(p) : without(p, d[1]))),
        vCol: leaf((p, d) => (d === null ? placeholder(p) : without(p, d[0]))),
        v: leaf((p, d) => (d === null ? np.zerosLike(p) : placeholder(p))),
      });
    },
    update: (updates, state, params) => {
      checkState(op, state, ["count", "vRow", "vCol", "v"], ["count"]);
      const p = requireParams(op, params);
      const t = state.count.sub(o.decayOffset).add(1).astype("float32");
      const decay = np.subtract(1, np.power(t, np.negative(o.decayRate))).astype("float32");
      const keep = np.subtract(1, decay).astype("float32");
      // Leaf by leaf over the params' structure; the state leaves' shapes differ from the params'
      // (row/column averages, placeholders), so mapTreesN's same-shape check does not apply.
      checkSameStructure(op, "the updates", updates, "the params", p);
      const [gs, def] = tree.flatten(updates);
      const [rs, cs, fs, ws] = [state.vRow, state.vCol, state.v, p].map((t) => tree.leaves(t) as Array[]);
      if ([rs, cs, fs].some((l) => l!.length !== gs.length))
        throw new OptimStructureError(`${op}: the state does not match the params (it must come from init(params))`);
      const outs = gs.map((gl, i) => {
        const g = gl as Array;
        const w = ws![i]!;
        const [r, c, full] = [rs![i]!, cs![i]!, fs![i]!];
        const d = dims(w);
        const gSq = g.square().add(o.eps);
        const avg = (old: Array, fresh: Array) =>
          castLike(castLike(decay, old).mul(old).add(castLike(keep, old).mul(fresh)), w);
        if (d === null) {
          const nv = avg(full, gSq);
          return [castLike(g.mul(np.power(nv, -0.5)), g), placeholder(w), placeholder(w), nv];
        }
        const [d1, d0] = d;
        const nr = avg(r, np.mean(gSq, d0));
        const nc = avg(c, np.mean(gSq, d1));
        const reducedD1 = d1 > d0 ? d1 - 1 : d1;
        const rowFactor = np.power(nr.div(np.mean(nr, reducedD1, { keepdims: true })), -0.5);
        const colFactor = np.power(nc, -0.5);
        const out = g.mul(np.expandDims(rowFactor, d0)).mul(np.expandDims(colFactor, d1));
        return [castLike(out, g), nr, nc, placeholder(w)];
      });
      const [u, vRow, vCol, v] = [0, 1, 2, 3].map((k) =>
        tree.unflatten(
          def,
          outs.map((o) => o[k]!),
        ),
      ) as [typeof updates, unknown, unknown, unknown];
      return [freezeState(u), freezeState({ count: safeIncrement(state.count), vRow, vCol, v })];
    },
  };
}

/** Divides each leaf by max(1, RMS(u)/threshold) (Optax's `clip_by_block_rms`). */
function clipByBlockRms(threshold: Hyperparam): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("adafactor", state, []);
      const out = mapTrees(
        "adafactor",
        (u) => castLike(u.div(np.maximum(1, u.square().mean().sqrt().div(threshold))), u),
        updates,
      );
      return [freezeState(out), state];
    },
  };
}

/** max(RMS(x), minRms), with the small case's RMS taken of ones (Optax's `safe_root_mean_squares`). */
function safeRms(x: Array, minRms: number): Array {
  const small = x.square().mean().sqrt().lessEqual(minRms);
  const masked = np.where(small, np.onesLike(x), x);
  return castLike(np.where(small, minRms, masked.square().mean().sqrt()), x);
}

/** Multiplies each leaf's update by its parameter's RMS, at least 1e-3 (Optax's `scale_by_param_block_rms`). */
function scaleByParamBlockRms(): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state, params) => {
      checkState("adafactor", state, []);
      const p = requireParams("adafactor", params);
      return [freezeState(mapTrees("adafactor", (u, w) => castLike(u.mul(safeRms(w, 1e-3)), u), updates, p)), state];
    },
  };
}

/** Options of `adafactor` (Optax's defaults). */
export interface AdafactorOptions {
  /** Factor only leaves whose two largest axes are at least this long (default 128). */
  minDimSizeToFactor?: number;
  /** The exponent c of the second-moment decay β̂ₜ = 1 − (t + 1)^(−c) (default 0.8). */
  decayRate?: Hyperparam;
  /** Steps subtracted from t in β̂ₜ, for fine-tuning (integer, default 0). */
  decayOffset?: number;
  /** Multiply the step by the parameter's RMS (at least 1e-3; default true). */
  multiplyByParameterScale?: boolean;
  /** Clip each leaf's update to block RMS ≤ this; `null` turns clipping off (default 1). */
  clippingThreshold?: Hyperparam | null;
  /** Momentum (an EMA without bias correction) on the update; default none. */
  momentum?: Hyperparam;
  /** The momentum's accumulator dtype (default "float32", as Optax). */
  dtypeMomentum?: "float32" | "float64";
  /** Decoupled weight decay rate; default none. */
  weightDecayRate?: Hyperparam;
  /** ε added to g² (default 1e-30). */
  eps?: Hyperparam;
  /** Use factored second moments at all (default true). */
  factored?: boolean;
  /** Which leaves decay. */
  weightDecayMask?: MaskSpec;
}

/**
 * Adafactor (Shazeer & Stern 2018, "Adafactor: adaptive learning rates with sublinear memory
 * cost"), chained as Optax does: factored RMS scaling, block-RMS clipping, the learning rate,
 * the parameter-RMS scale, momentum, weight decay, then −1:
 *
 *     u = g/√V̂ (V̂ = R·Cᵀ/mean(R) for matrices with two axes ≥ minDimSizeToFactor)
 *     u ← u / max(1, RMS(u)/d);   w ← w − α·max(RMS(w), 1e-3)·u
 *
 * `learningRate` may be omitted (no scaling: the relative step is then max(RMS(w), 1e-3)).
 * @example
 * import { adafactor } from "graft-ad/optim";
 * const opt = adafactor(1e-2, { minDimSizeToFactor: 32 });
 */
export function adafactor(
  learningRate?: LearningRate,
  opts: AdafactorOptions = {},
): GradientTransformation<ChainState> {
  const op = "adafactor";
  checkOptions(op, opts, [
    "minDimSizeToFactor",
    "decayRate",
    "decayOffset",
    "multiplyByParameterScale",
    "clippingThreshold",
    "momentum",
    "dtypeMomentum",
    "weightDecayRate",
    "eps",
    "factored",
    "weightDecayMask",
  ]);
  if (learningRate !== undefined) checkLearningRate(op, learningRate);
  checkHyperparam(op, "minDimSizeToFactor", opts.minDimSizeToFactor, { min: 0, integer: true, optional: true });
  checkHyperparam(op, "decayRate", opts.decayRate, { min: 0, optional: true });
  checkHyperparam(op, "decayOffset", opts.decayOffset, { min: 0, integer: true, optional: true });
  if (opts.clippingThreshold !== null)
    checkHyperparam(op, "clippingThreshold", opts.clippingThreshold, { min: 0, minExclusive: true, optional: true });
  checkDecay(op, "momentum", opts.momentum, { optional: true });
  checkHyperparam(op, "weightDecayRate", opts.weightDecayRate, { min: 0, optional: true });
  checkHyperparam(op, "eps", opts.eps, { min: 0, optional: true });
  const clippingThreshold = opts.clippingThreshold === undefined ? 1 : opts.clippingThreshold;
  const links: GradientTransformation[] = [
    scaleByFactoredRms({
      factored: opts.factored ?? true,
      decayRate: opts.decayRate ?? 0.8,
      decayOffset: opts.decayOffset ?? 0,
      minDimSizeToFactor: opts.minDimSizeToFactor ?? 128,
      eps: opts.eps ?? 1e-30,
    }),
    clippingThreshold === null ? identity() : clipByBlockRms(clippingThreshold),
    learningRate === undefined ? identity() : scaleByLearningRate(learningRate, { flipSign: false }),
    opts.multiplyByParameterScale === false ? identity() : scaleByParamBlockRms(),
    opts.momentum === undefined
      ? identity()
      : ema(opts.momentum, { debias: false, accumulatorDtype: opts.dtypeMomentum ?? "float32" }),
    opts.weightDecayRate === undefined ? identity() : addDecayedWeights(opts.weightDecayRate, opts.weightDecayMask),
    scale(-1),
  ];
  return named(op, chain(...links));
}
