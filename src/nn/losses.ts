/**
 * Loss functions. Every loss computes a per-element (regression losses, binary losses) or
 * per-example (softmax cross-entropies, multiclass hinge) value and then reduces it according to
 * `reduction`:
 *
 * - `"mean"` (default): the mean over all those values;
 * - `"sum"`: their sum;
 * - `"none"`: no reduction (the unreduced array is returned).
 *
 * So `mse(p, y, { reduction: "sum" })` for one example is the squared L2 loss ‖f(x) − y‖²₂ and the
 * default `mse(p, y)` is that divided by the number of elements (PyTorch's `MSELoss`).
 *
 * The logit-based losses are written in stable forms: finite, with finite gradients, for logits as
 * large as ±1e4 in float32.
 *
 * @example
 * import { np, nn } from "graft-ad";
 * nn.losses.mse(np.array([1, 2]), np.array([0, 0]));                         // (1 + 4) / 2 = 2.5
 * nn.losses.softmaxCrossEntropyWithIntegerLabels(np.array([[1e4, 0]]), np.array([1], { dtype: "int32" })); // 1e4
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import * as np from "../numpy/index.js";
import { asArray, toFloat } from "../core/convert.js";
import { isFloat } from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import { canReadSync, isConcrete, readView } from "../core/concrete.js";
import { logSoftmax, softplus } from "./activations.js";
import { checkOptions } from "../core/options.js";

/** How a loss reduces its per-element / per-example values. */
export type Reduction = "mean" | "sum" | "none";

/** Options shared by all losses. */
export interface LossOptions {
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * Applies a {@link Reduction} to an array of loss values.
 * @example nn.losses.reduceLoss(np.array([1, 2, 3]), "sum") // 6
 */
export function reduceLoss(values: Array, reduction: Reduction = "mean"): Array {
  switch (reduction) {
    case "mean":
      return np.mean(values);
    case "sum":
      return np.sum(values);
    case "none":
      return values;
    default:
      throw new Error(`loss reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`);
  }
}

const floatArg = (x: ArrayOrScalar, op: string): Array => toFloat(asArray(x, op));

function pair(op: string, a: ArrayOrScalar, b: ArrayOrScalar): [Array, Array] {
  const x = floatArg(a, op);
  const y = floatArg(b, op);
  if (x.ndim > 0 && y.ndim > 0 && !sameShape(x.shape, y.shape)) {
    // Broadcasting silently (e.g. [n] against [n, 1]) is a classic bug in losses; insist on a match.
    throw new Error(`${op}: predictions ${fmt(x.shape)} and targets ${fmt(y.shape)} must have the same shape`);
  }
  return [x, y];
}
/**
 * Throws a RangeError naming the first label outside [0, numClasses) when `labels` is concrete (an
 * eager value that the backend reads synchronously). Traced labels (under `jit` or `vmap`) cannot be
 * read, so they are not checked.
 */
function checkLabelRange(op: string, labels: Array, numClasses: number): void {
  if (!isConcrete(labels) || labels.size === 0 || !canReadSync(labels)) return;
  const data = readView(labels, op);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v >= 0 && v < numClasses) continue;
    const where = labels.ndim === 0 ? "" : ` at index [${unravel(i, labels.shape).join(", ")}]`;
    throw new RangeError(
      `${op}: label ${v}${where} is out of range for ${numClasses} classes (labels must be integers in [0, ${numClasses - 1}])`,
    );
  }
}
/** The multi-index of flat (row-major) position `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const out = new globalThis.Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return out;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);
const fmt = (s: readonly number[]): string => `[${s.join(", ")}]`;

/**
 * Mean squared error (L2 loss): (p − y)² elementwise, then reduced.
 * @example nn.losses.mse(np.array([1, 2]), np.array([0, 0])) // 2.5
 */
export function mse(predictions: ArrayOrScalar, targets: ArrayOrScalar, opts: LossOptions = {}): Array {
  checkOptions("mse", opts, ["reduction"]);
  const [p, y] = pair("mse", predictions, targets);
  return reduceLoss(np.square(np.subtract(p, y)), opts.reduction);
}
/** Alias of {@link mse}. */
export const l2 = mse;
/** Alias of {@link mse}. */
export const squaredError = mse;

/**
 * Absolute error (L1 loss): |p − y| elementwise, then reduced.
 * @example nn.losses.l1(np.array([1, -2]), np.array([0, 0])) // 1.5
 */
export function l1(predictions: ArrayOrScalar, targets: ArrayOrScalar, opts: LossOptions = {}): Array {
  checkOptions("l1", opts, ["reduction"]);
  const [p, y] = pair("l1", predictions, targets);
  return reduceLoss(np.abs(np.subtract(p, y)), opts.reduction);
}
/** Alias of {@link l1}. */
export const absoluteError = l1;

/** Options of {@link huber}. */
export interface HuberOptions extends LossOptions {
  /** Where the loss switches from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * Huber loss with r = p − y: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (continuous, with a continuous
 * first derivative; the gradient is clipped to ±δ).
 * @example nn.losses.huber(np.array([0.5, 3]), np.array([0, 0]), { delta: 1 }) // mean(0.125, 2.5)
 */
export function huber(predictions: ArrayOrScalar, targets: ArrayOrScalar, opts: HuberOptions = {}): Array {
  checkOptions("huber", opts, ["reduction", "delta"]);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huber: delta must be positive, got ${delta}`);
  const [p, y] = pair("huber", predictions, targets);
  const absR = np.abs(np.subtract(p, y));
  // quadratic part on min(|r|, δ), linear part on the excess: equal to the piecewise form.
  const q = np.minimum(absR, delta);
  const lin = np.subtract(absR, q);
  return reduceLoss(np.add(np.multiply(np.square(q), 0.5), np.multiply(lin, delta)), opts.reduction);
}

/**
 * Binary cross-entropy on probabilities: −[y·log p + (1 − y)·log(1 − p)] elementwise (labels may be
 * soft, in [0, 1]). Each log is clamped below at −100 (as PyTorch's `BCELoss` does) so p = 0 or 1
 * gives a finite loss; prefer {@link binaryCrossEntropyWithLogits}, which is exact everywhere.
 * @example nn.losses.binaryCrossEntropy(np.array([0.9]), np.array([1])) // -log 0.9
 */
export function binaryCrossEntropy(probs: ArrayOrScalar, labels: ArrayOrScalar, opts: LossOptions = {}): Array {
  checkOptions("binaryCrossEntropy", opts, ["reduction"]);
  const [p, y] = pair("binaryCrossEntropy", probs, labels);
  const clampedLog = (v: Array): Array => {
    const pos = np.greater(v, 0);
    // log of a safe value where v ≤ 0, so neither the value nor the gradient sees log(0).
    const lg = np.log(np.where(pos, v, 1));
    return np.where(pos, np.maximum(lg, -100), -100);
  };
  const loss = np.negative(
    np.add(np.multiply(y, clampedLog(p)), np.multiply(np.subtract(1, y), clampedLog(np.subtract(1, p)))),
  );
  return reduceLoss(loss, opts.reduction);
}

/**
 * Binary cross-entropy on logits x (the logistic loss −y·log σ(x) − (1 − y)·log(1 − σ(x))),
 * in the stable form max(x, 0) − x·y + log1p(e^−|x|) = softplus(x) − x·y. Its gradient is exactly
 * σ(x) − y, finite for any finite x.
 * @example nn.losses.binaryCrossEntropyWithLogits(np.array([1e4, -1e4]), np.array([0, 0])) // mean(1e4, 0)
 */
export function binaryCrossEntropyWithLogits(
  logits: ArrayOrScalar,
  labels: ArrayOrScalar,
  opts: LossOptions = {},
): Array {
  checkOptions("binaryCrossEntropyWithLogits", opts, ["reduction"]);
  const [x, y] = pair("binaryCrossEntropyWithLogits", logits, labels);
  // softplus has the custom derivative σ(x) (no kink at 0).
  return reduceLoss(np.subtract(softplus(x), np.multiply(x, y)), opts.reduction);
}
/** Alias of {@link binaryCrossEntropyWithLogits} (Optax's name). */
export const sigmoidBinaryCrossEntropy = binaryCrossEntropyWithLogits;

/** Options of the softmax cross-entropies. */
export interface SoftmaxCrossEntropyOptions extends LossOptions {
  /** The class axis (default -1). */
  axis?: number;
}

/**
 * Softmax cross-entropy −Σ_k y_k·log softmax(x)_k over the class axis, for one-hot or soft label
 * distributions `labels` (same shape as `logits`); then reduced over the remaining (example) axes.
 * Uses logSoftmax, so it is finite for logits of any finite size.
 * @example nn.losses.softmaxCrossEntropy(np.array([[0, 0]]), np.array([[1, 0]])) // log 2
 */
export function softmaxCrossEntropy(
  logits: ArrayOrScalar,
  labels: ArrayOrScalar,
  opts: SoftmaxCrossEntropyOptions = {},
): Array {
  checkOptions("softmaxCrossEntropy", opts, ["reduction", "axis"]);
  const [x, y] = pair("softmaxCrossEntropy", logits, labels);
  const axis = opts.axis ?? -1;
  if (x.ndim === 0) throw new Error("softmaxCrossEntropy: logits need a class axis");
  return reduceLoss(np.negative(np.sum(np.multiply(y, logSoftmax(x, axis)), axis)), opts.reduction);
}

/**
 * Softmax cross-entropy with integer class labels: −log softmax(x)[label], one value per example.
 * `labels` has the shape of `logits` without the class axis and an integer dtype, with values in
 * [0, C) for C classes. Computed as logSoftmax followed by `takeAlongAxis`.
 *
 * Concrete (eager) labels are checked: a label outside [0, C) throws a `RangeError` naming it and
 * C. Traced labels (inside `jit` or `vmap`) cannot be checked, and an out-of-range label is then
 * handled as the gather handles indices: one in [−C, 0) counts from the end, one ≥ C reads class
 * C − 1 and one < −C class 0 (clamped), without an error.
 * @example nn.losses.softmaxCrossEntropyWithIntegerLabels(np.array([[0, 0]]), np.array([0], { dtype: "int32" })) // log 2
 */
export function softmaxCrossEntropyWithIntegerLabels(
  logits: ArrayOrScalar,
  labels: ArrayOrScalar,
  opts: SoftmaxCrossEntropyOptions = {},
): Array {
  checkOptions("softmaxCrossEntropyWithIntegerLabels", opts, ["reduction", "axis"]);
  const x = floatArg(logits, "softmaxCrossEntropyWithIntegerLabels");
  const lab = asArray(labels, "softmaxCrossEntropyWithIntegerLabels");
  if (isFloat(lab.dtype) || lab.dtype === "bool")
    throw new TypeError(`softmaxCrossEntropyWithIntegerLabels: labels must be integers (int32), got ${lab.dtype}`);
  if (x.ndim === 0) throw new Error("softmaxCrossEntropyWithIntegerLabels: logits need a class axis");
  const ax = normalizeAxis("softmaxCrossEntropyWithIntegerLabels", opts.axis ?? -1, x.ndim);
  const expected = x.shape.filter((_, i) => i !== ax);
  if (!sameShape(lab.shape, expected))
    throw new Error(
      `softmaxCrossEntropyWithIntegerLabels: labels ${fmt(lab.shape)} must have the logits' shape without the class axis, ${fmt(expected)}`,
    );
  checkLabelRange("softmaxCrossEntropyWithIntegerLabels", lab, x.shape[ax]!);
  const picked = np.takeAlongAxis(logSoftmax(x, ax), np.expandDims(lab, ax), ax, { mode: "clip" }); // the documented clamping
  return reduceLoss(np.negative(np.squeeze(picked, ax)), opts.reduction);
}

/**
 * Binary hinge loss max(0, 1 − y·s) elementwise, for scores s and labels y in {−1, +1}.
 * @example nn.losses.hinge(np.array([0.5, 2]), np.array([1, -1])) // mean(0.5, 3)
 */
export function hinge(scores: ArrayOrScalar, labels: ArrayOrScalar, opts: LossOptions = {}): Array {
  checkOptions("hinge", opts, ["reduction"]);
  const [s, y] = pair("hinge", scores, labels);
  return reduceLoss(np.maximum(np.subtract(1, np.multiply(s, y)), 0), opts.reduction);
}

/** Options of {@link multiclassHinge}. */
export interface MulticlassHingeOptions extends LossOptions {
  /** The margin Δ (default 1). */
  margin?: number;
}

/**
 * Multiclass (SVM, Weston–Watkins) hinge: Σ_{j ≠ y} max(0, s_j − s_y + Δ) per example, for scores
 * `[..., classes]` and integer labels `[...]` in [0, classes). Concrete labels outside that range
 * throw a `RangeError`; traced ones (inside `jit` or `vmap`) are not checked, and give a meaningless
 * (clamped) value.
 * @example nn.losses.multiclassHinge(np.array([[3.2, 5.1, -1.7]]), np.array([0], { dtype: "int32" })) // 2.9
 */
export function multiclassHinge(
  scores: ArrayOrScalar,
  labels: ArrayOrScalar,
  opts: MulticlassHingeOptions = {},
): Array {
  checkOptions("multiclassHinge", opts, ["reduction", "margin"]);
  const s = floatArg(scores, "multiclassHinge");
  const lab = asArray(labels, "multiclassHinge");
  if (isFloat(lab.dtype) || lab.dtype === "bool")
    throw new TypeError(`multiclassHinge: labels must be integers (int32), got ${lab.dtype}`);
  if (s.ndim === 0) throw new Error("multiclassHinge: scores need a class axis");
  checkLabelRange("multiclassHinge", lab, s.shape[s.ndim - 1]!);
  const margin = opts.margin ?? 1;
  const lab1 = np.expandDims(lab, -1);
  const correct = np.takeAlongAxis(s, lab1, -1, { mode: "clip" });
  const isTrue = np.equal(np.iota(s.shape, s.ndim - 1, { dtype: "int32" }), np.astype(lab1, "int32"));
  const margins = np.where(isTrue, 0, np.maximum(np.add(np.subtract(s, correct), margin), 0));
  return reduceLoss(np.sum(margins, -1), opts.reduction);
}
