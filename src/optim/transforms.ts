/**
 * Building blocks: gradient transformations that optimizers chain together (Optax's
 * `scale_by_*`, `trace`, `add_decayed_weights`, clipping). Each maps gradients `g` to updates `u`
 * leaf by leaf with `np` ops only (traceable), keeps its state as a frozen pytree of arrays with
 * the params' dtypes, and validates its hyperparameters when it is constructed.
 *
 * Notation below: `g` the incoming update (a gradient, or the previous link's output), `t` the
 * step number counted from 1, all operations elementwise.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  biasCorrection,
  castLike,
  checkDecay,
  checkEps,
  checkHyperparam,
  checkLearningRate,
  checkState,
  freezeState,
  fullLikeTree,
  globalNorm,
  mapTrees,
  mapTreesN,
  requireParams,
  resolveSchedule,
  safeIncrement,
  zeroCount,
  zerosLikeTree,
  type EmptyState,
  type Hyperparam,
  type LearningRate,
} from "./base.js";
import { masked, type MaskSpec } from "./combinators.js";
import type { GradientTransformation, Schedule, Updates } from "./types.js";

const oneMinus = (b: Hyperparam): Hyperparam => (typeof b === "number" ? 1 - b : np.subtract(1, b));
const neg = (v: Hyperparam): Hyperparam => (typeof v === "number" ? -v : v.neg());
/** β·m + (1-β)·x: an exponential moving average step. */
const ema = (m: Array, x: Array, b: Hyperparam): Array => castLike(m.mul(b).add(x.mul(oneMinus(b))), m);

// ---------------------------------------------------------------------------------------------
// Scaling

/** The state of a schedule-driven transformation: the int32 step count. */
export interface CountState {
  readonly count: Array;
}

/**
 * Multiplies every update by a fixed factor: `u = f·g`.
 * @example
 * const [u] = scale(0.5).update({ w: np.array([2]) }, scale(0.5).init({ w: np.zeros([1]) })); // { w: [1] }
 */
export function scale(factor: Hyperparam): GradientTransformation<EmptyState> {
  checkHyperparam("scale", "factor", factor);
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("scale", state, []);
      return [freezeState(mapTrees("scale", (g) => castLike(g.mul(factor), g), updates)), state];
    },
  };
}

/**
 * Multiplies the updates by `schedule(t)` where `t` is the int32 step count (0 at the first
 * update), kept in the state: `u = schedule(count)·g`.
 * @example
 * const halving = scaleBySchedule((t) => np.power(0.5, t));
 */
export function scaleBySchedule(schedule: Schedule): GradientTransformation<CountState> {
  if (typeof schedule !== "function") throw new TypeError(`scaleBySchedule: schedule must be a function of the step count, got ${typeof schedule}`);
  return {
    init: () => freezeState({ count: zeroCount() }),
    update: (updates, state) => {
      checkState("scaleBySchedule", state, ["count"], ["count"]);
      const s = resolveSchedule(schedule, state.count);
      const out = mapTrees("scaleBySchedule", (g) => castLike(g.mul(s), g), updates);
      return [freezeState(out), freezeState({ count: safeIncrement(state.count) })];
    },
  };
}

/**
 * Scales by the learning rate with the sign flipped (so adding the result descends): `u = -α·g`.
 * A schedule is evaluated at the step count kept in the state; a number or array is used as is.
 * Pass `{ flipSign: false }` to scale by `+α`.
 * @example
 * const gd = scaleByLearningRate(0.1); // plain gradient descent: w ← w - 0.1·∇L
 */
export function scaleByLearningRate(
  learningRate: LearningRate,
  opts: { flipSign?: boolean } = {},
): GradientTransformation<EmptyState | CountState> {
  checkLearningRate("scaleByLearningRate", learningRate);
  const flip = opts.flipSign ?? true;
  if (typeof learningRate === "function")
    return scaleBySchedule((count) => {
      const lr = resolveSchedule(learningRate, count);
      return flip ? neg(lr) : lr;
    }) as GradientTransformation<EmptyState | CountState>;
  return scale(flip ? neg(learningRate) : learningRate) as GradientTransformation<EmptyState | CountState>;
}

/**
 * Replaces each update by its sign: `u = sign(g)` (signSGD; the core of Lion and Rprop).
 * @example
 * chain(scaleBySign(), scaleByLearningRate(0.01));
 */
export function scaleBySign(): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("scaleBySign", state, []);
      return [freezeState(mapTrees("scaleBySign", (g) => g.sign(), updates)), state];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Momentum

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
export function traceMomentum(opts: { decay?: Hyperparam; nesterov?: boolean } = {}): GradientTransformation<TraceState> {
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

// ---------------------------------------------------------------------------------------------
// Second-moment scaling: AdaGrad, RMSProp, AdaDelta

/** Options shared by the RMS-style scalings. */
export interface RmsOptions {
  /** Decay λ of the moving averages (default 0.9). */
  decay?: Hyperparam;
  /** ε added to the denominator (default 1e-8). */
  eps?: Hyperparam;
  /** Initial value of the second-moment accumulator (default 0). */
  initialScale?: number;
  /** Put ε inside the square root, `g/√(S+ε)`, instead of `g/(√S+ε)` (default false, as in the notes). */
  epsInSqrt?: boolean;
}

const rmsDenominator = (s: Array, eps: Hyperparam, inSqrt: boolean): Array => (inSqrt ? s.add(eps).sqrt() : s.sqrt().add(eps));

/** The state of `scaleByRms`: the moving average `S` of squared gradients. */
export interface RmsState {
  readonly nu: Updates;
}

/**
 * RMSProp's scaling: a decaying average of squared gradients divides the gradient.
 *
 *     S ← λ·S + (1−λ)·g²;   u = g / (√S + ε)
 * @example
 * chain(scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3)); // = rmsprop(1e-3)
 */
export function scaleByRms(opts: RmsOptions = {}): GradientTransformation<RmsState> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = false } = opts;
  checkDecay("scaleByRms", "decay", decay);
  checkEps("scaleByRms", "eps", eps);
  checkHyperparam("scaleByRms", "initialScale", initialScale, { min: 0 });
  return {
    init: (params) => freezeState({ nu: fullLikeTree(params, initialScale, "scaleByRms") }),
    update: (updates, state) => {
      checkState("scaleByRms", state, ["nu"]);
      const [u, nu] = mapTreesN(
        "scaleByRms",
        2,
        (g, s) => {
          const ns = ema(s, g.square(), decay);
          return [castLike(g.div(rmsDenominator(ns, eps, epsInSqrt)), g), ns];
        },
        updates,
        state.nu,
      );
      return [freezeState(u), freezeState({ nu })];
    },
  };
}

/** The state of `scaleByStddev`: moving averages of gradients and of their squares. */
export interface StddevState {
  readonly mu: Updates;
  readonly nu: Updates;
}

/**
 * Centered RMSProp's scaling: divides by an estimate of the gradient's standard deviation.
 *
 *     m ← λ·m + (1−λ)·g;   S ← λ·S + (1−λ)·g²;   u = g / (√(S − m²) + ε)
 * @example
 * chain(scaleByStddev(), scaleByLearningRate(1e-3)); // = rmsprop(1e-3, { centered: true })
 */
export function scaleByStddev(opts: RmsOptions = {}): GradientTransformation<StddevState> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = false } = opts;
  checkDecay("scaleByStddev", "decay", decay);
  checkEps("scaleByStddev", "eps", eps);
  checkHyperparam("scaleByStddev", "initialScale", initialScale, { min: 0 });
  return {
    init: (params) =>
      freezeState({ mu: zerosLikeTree(params, "scaleByStddev"), nu: fullLikeTree(params, initialScale, "scaleByStddev") }),
    update: (updates, state) => {
      checkState("scaleByStddev", state, ["mu", "nu"]);
      const [u, mu, nu] = mapTreesN(
        "scaleByStddev",
        3,
        (g, m, s) => {
          const nm = ema(m, g, decay);
          const ns = ema(s, g.square(), decay);
          // max(·, 0) guards the tiny negative values rounding can give.
          const variance = np.maximum(ns.sub(nm.square()), 0);
          return [castLike(g.div(rmsDenominator(variance, eps, epsInSqrt)), g), nm, ns];
        },
        updates,
        state.mu,
        state.nu,
      );
      return [freezeState(u), freezeState({ mu, nu })];
    },
  };
}

/** The state of `scaleByRss`: the running sum `G` of squared gradients. */
export interface RssState {
  readonly sumOfSquares: Updates;
}

/**
 * AdaGrad's scaling by the root of the sum of squared gradients (as in the notes):
 *
 *     G ← G + g²;   u = g / (√G + ε)
 * @example
 * chain(scaleByRss(), scaleByLearningRate(0.5)); // = adagrad(0.5)
 */
export function scaleByRss(opts: { initialAccumulatorValue?: number; eps?: Hyperparam } = {}): GradientTransformation<RssState> {
  const { initialAccumulatorValue = 0, eps = 1e-7 } = opts;
  checkHyperparam("scaleByRss", "initialAccumulatorValue", initialAccumulatorValue, { min: 0 });
  checkEps("scaleByRss", "eps", eps);
  return {
    init: (params) => freezeState({ sumOfSquares: fullLikeTree(params, initialAccumulatorValue, "scaleByRss") }),
    update: (updates, state) => {
      checkState("scaleByRss", state, ["sumOfSquares"]);
      const [u, sumOfSquares] = mapTreesN(
        "scaleByRss",
        2,
        (g, s) => {
          const ns = castLike(s.add(g.square()), s);
          return [castLike(g.div(ns.sqrt().add(eps)), g), ns];
        },
        updates,
        state.sumOfSquares,
      );
      return [freezeState(u), freezeState({ sumOfSquares })];
    },
  };
}

/** The state of `scaleByAdadelta`: averages of squared gradients and of squared updates. */
export interface AdadeltaState {
  readonly eG: Updates;
  readonly eX: Updates;
}

/**
 * AdaDelta's scaling (Zeiler 2012): the ratio of two RMS's replaces the learning rate.
 *
 *     E[g²] ← ρ·E[g²] + (1−ρ)·g²
 *     Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *     E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²;   u = Δ
 * @example
 * chain(scaleByAdadelta({ rho: 0.9 }), scaleByLearningRate(1)); // = adadelta()
 */
export function scaleByAdadelta(opts: { rho?: Hyperparam; eps?: Hyperparam } = {}): GradientTransformation<AdadeltaState> {
  const { rho = 0.9, eps = 1e-6 } = opts;
  checkDecay("scaleByAdadelta", "rho", rho);
  checkEps("scaleByAdadelta", "eps", eps);
  return {
    init: (params) => freezeState({ eG: zerosLikeTree(params, "scaleByAdadelta"), eX: zerosLikeTree(params, "scaleByAdadelta") }),
    update: (updates, state) => {
      checkState("scaleByAdadelta", state, ["eG", "eX"]);
      const [u, eG, eX] = mapTreesN(
        "scaleByAdadelta",
        3,
        (g, eg, ex) => {
          const neg2 = ema(eg, g.square(), rho);
          const delta = castLike(ex.add(eps).sqrt().div(neg2.add(eps).sqrt()).mul(g), g);
          return [delta, neg2, ema(ex, delta.square(), rho)];
        },
        updates,
        state.eG,
        state.eX,
      );
      return [freezeState(u), freezeState({ eG, eX })];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Adam family

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
  const { b1, b2, eps, epsRoot, nesterov } = checkAdamOptions("scaleByAdam", opts);
  return {
    init: (params) =>
      freezeState({ count: zeroCount(), mu: zerosLikeTree(params, "scaleByAdam"), nu: zerosLikeTree(params, "scaleByAdam") }),
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
            ? nm.mul(b1).div(biasCorrection(b1, safeIncrement(count), g)).add(g.mul(oneMinus(b1)).div(biasCorrection(b1, count, g)))
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
export function scaleByAdamax(opts: { b1?: Hyperparam; b2?: Hyperparam; eps?: Hyperparam } = {}): GradientTransformation<AdamState> {
  const { b1, b2, eps } = checkAdamOptions("scaleByAdamax", opts);
  return {
    init: (params) =>
      freezeState({ count: zeroCount(), mu: zerosLikeTree(params, "scaleByAdamax"), nu: zerosLikeTree(params, "scaleByAdamax") }),
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

// ---------------------------------------------------------------------------------------------
// Rprop

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
  checkHyperparam("scaleByRprop", "initialStepSize", initialStepSize, { min: 0 });
  const { etaMinus, etaPlus, minStepSize, maxStepSize } = checkRprop("scaleByRprop", opts);
  return {
    init: (params) =>
      freezeState({ stepSizes: fullLikeTree(params, initialStepSize, "scaleByRprop"), prevUpdates: zerosLikeTree(params, "scaleByRprop") }),
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

// ---------------------------------------------------------------------------------------------
// Weight decay and clipping

/**
 * Adds decoupled weight decay to the updates: `u = g + λ·w` (needs `params` in `update`).
 * Chained *before* `scaleByLearningRate(α)` it becomes `w ← w − α(g + λw)`: AdamW's decay.
 * `mask` (a pytree of booleans shaped like the params, a prefix of it, or a function of the
 * params) limits the decay to some leaves, e.g. weights but not biases.
 * @example
 * addDecayedWeights(1e-4, (p) => tree.map((x: np.Array) => x.ndim > 1, p)); // decay matrices only
 */
export function addDecayedWeights(weightDecay: Hyperparam = 0, mask?: MaskSpec): GradientTransformation {
  checkHyperparam("addDecayedWeights", "weightDecay", weightDecay, { min: 0 });
  const inner: GradientTransformation = {
    init: () => freezeState({}),
    update: (updates, state, params) => {
      checkState("addDecayedWeights", state, []);
      const p = requireParams("addDecayedWeights", params);
      return [freezeState(mapTrees("addDecayedWeights", (g, w) => castLike(g.add(w.mul(weightDecay)), g), updates, p)), state];
    },
  };
  return mask === undefined ? inner : masked(inner, mask);
}

/**
 * Clips every update elementwise to `[-maxDelta, maxDelta]`.
 * @example
 * chain(clip(1), sgd(0.1));
 */
export function clip(maxDelta: Hyperparam): GradientTransformation<EmptyState> {
  checkHyperparam("clip", "maxDelta", maxDelta, { min: 0, infinity: true });
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("clip", state, []);
      return [freezeState(mapTrees("clip", (g) => castLike(np.clip(g, neg(maxDelta), maxDelta), g), updates)), state];
    },
  };
}

/**
 * Rescales all updates together when their global L2 norm exceeds `maxNorm`:
 * `u = g` if ‖g‖ < maxNorm, else `g·maxNorm/‖g‖` (the norm over every leaf).
 * @example
 * chain(clipByGlobalNorm(1), adam(1e-3));
 */
export function clipByGlobalNorm(maxNorm: Hyperparam): GradientTransformation<EmptyState> {
  checkHyperparam("clipByGlobalNorm", "maxNorm", maxNorm, { min: 0, minExclusive: true, infinity: true });
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("clipByGlobalNorm", state, []);
      const norm = globalNorm(updates);
      const keep = norm.less(maxNorm);
      const out = mapTrees("clipByGlobalNorm", (g) => castLike(np.where(keep, g, g.div(castLike(norm, g)).mul(maxNorm)), g), updates);
      return [freezeState(out), state];
    },
  };
}
