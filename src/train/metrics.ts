/**
 * Classification and loss metrics. The array forms are pure and traceable (use them inside a
 * jitted step or evaluation function); they return float32 scalars.
 */
import { Array as NDArray } from "../core/array.js";
import * as np from "../numpy/index.js";
import { checkOptions } from "../core/options.js";

const shapeStr = (x: NDArray): string => `[${x.shape.join(", ")}]`;

function asLabels(labels: NDArray): NDArray {
  return labels.dtype === "int32" ? labels : labels.astype("int32");
}

/** Options for {@link accuracy}. */
export interface AccuracyOptions {
  /**
   * Binary classification: predictions (probabilities or logits) of the labels' shape count as
   * class 1 when greater than `threshold` (e.g. 0.5 for probabilities, 0 for logits); labels are
   * compared as `label != 0`.
   */
  readonly threshold?: number;
  /** The labels are one-hot (or soft) rows of the predictions' shape: compare argmaxes. */
  readonly oneHot?: boolean;
}

/**
 * The fraction of correct predictions, a float32 scalar.
 *
 * - `predictions` one rank above `labels` (e.g. logits `[N, C]`, integer labels `[N]`): the predicted
 *   class is the argmax over the last axis.
 * - the same shape: predicted labels compared for equality; with `{ threshold }` binary scores;
 *   with `{ oneHot: true }` one-hot labels (argmax of both).
 *
 * @example accuracy(logits, y) // logits [N, C], y int32 [N]
 */
export function accuracy(predictions: NDArray, labels: NDArray, opts: AccuracyOptions = {}): NDArray {
  const fn = "accuracy";
  checkOptions(fn, opts, ["threshold", "oneHot"]);
  if (!(predictions instanceof NDArray) || !(labels instanceof NDArray))
    throw new TypeError(`${fn}: predictions and labels must be graft arrays`);
  let correct: NDArray;
  if (opts.oneHot) {
    if (predictions.ndim < 1 || !sameShape(predictions, labels))
      throw new RangeError(
        `${fn}: with oneHot, predictions ${shapeStr(predictions)} and labels ${shapeStr(labels)} must have the same shape`,
      );
    correct = predictions.argmax(-1).equal(labels.argmax(-1));
  } else if (predictions.ndim === labels.ndim + 1) {
    if (!sameShape(predictions.shape.slice(0, -1), labels.shape))
      throw new RangeError(
        `${fn}: scores ${shapeStr(predictions)} do not match labels ${shapeStr(labels)} (expected labels of shape [${predictions.shape.slice(0, -1).join(", ")}])`,
      );
    if (opts.threshold !== undefined)
      throw new TypeError(
        `${fn}: threshold applies to binary scores of the labels' shape, not to class scores ${shapeStr(predictions)}`,
      );
    correct = predictions.argmax(-1).equal(asLabels(labels));
  } else if (sameShape(predictions, labels)) {
    correct =
      opts.threshold !== undefined
        ? predictions.greater(opts.threshold).equal(labels.notEqual(0))
        : predictions.equal(labels);
  } else {
    throw new RangeError(
      `${fn}: predictions ${shapeStr(predictions)} and labels ${shapeStr(labels)} must have the same shape, or predictions one extra (class) axis`,
    );
  }
  if (correct.size === 0) throw new RangeError(`${fn}: no examples (empty labels)`);
  return correct.astype("float32").mean();
}

function sameShape(a: NDArray | readonly number[], b: NDArray | readonly number[]): boolean {
  const sa = a instanceof NDArray ? a.shape : a;
  const sb = b instanceof NDArray ? b.shape : b;
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}

/**
 * Top-k accuracy: an example counts as correct when its label's score is among the `k` largest
 * (fewer than `k` classes score strictly higher; ties go in the example's favour). `logits` has one
 * more (class) axis than the integer `labels`. `k` must be in [1, C].
 *
 * @example
 * const logits = np.array([[0.1, 0.5, 0.4], [0.8, 0.15, 0.05]]);
 * topKAccuracy(logits, np.array([2, 2], { dtype: "int32" }), 2).item(); // 0.5: class 2 ranks 2nd, then 3rd
 */
export function topKAccuracy(logits: NDArray, labels: NDArray, k: number): NDArray {
  const fn = "topKAccuracy";
  if (!(logits instanceof NDArray) || !(labels instanceof NDArray))
    throw new TypeError(`${fn}: logits and labels must be graft arrays`);
  if (logits.ndim !== labels.ndim + 1 || !sameShape(logits.shape.slice(0, -1), labels.shape))
    throw new RangeError(`${fn}: logits ${shapeStr(logits)} need one class axis more than labels ${shapeStr(labels)}`);
  const classes = logits.shape[logits.ndim - 1]!; // logits.ndim >= 1 (checked above)
  if (!Number.isInteger(k) || k < 1 || k > classes)
    throw new RangeError(`${fn}: k must be an integer in [1, ${classes}] (the number of classes), got ${k}`);
  if (labels.size === 0) throw new RangeError(`${fn}: no examples (empty labels)`);
  const own = np.takeAlongAxis(logits, asLabels(labels).expandDims(-1), -1, { mode: "clip" }); // [..., 1]
  const higher = logits.greater(own).astype("int32").sum(-1);
  return higher.less(k).astype("float32").mean();
}

/**
 * The mean loss.
 *
 * - `meanLoss(perExample)`: the mean of an array of per-example losses; with `weights` (same shape)
 *   the weighted mean `Σ w·l / Σ w` (traceable, returns a float scalar array).
 * - `meanLoss([l1, l2, ...], [n1, n2, ...])`: the mean of scalar losses (numbers or size-1 arrays,
 *   read back) weighted by, e.g., batch sizes, so a smaller last batch counts for less; a number.
 *
 * @example
 * meanLoss([1, 0.5], [3, 1]); // 0.875: batches of 3 and 1 examples
 * meanLoss(np.array([1, 3]), np.array([3, 1])).item(); // 1.5
 */
export function meanLoss(losses: NDArray, weights?: NDArray): NDArray;
export function meanLoss(losses: readonly (number | NDArray)[], weights?: readonly number[]): number;
export function meanLoss(
  losses: NDArray | readonly (number | NDArray)[],
  weights?: NDArray | readonly number[],
): NDArray | number {
  const fn = "meanLoss";
  if (losses instanceof NDArray) {
    if (losses.size === 0) throw new RangeError(`${fn}: no losses (empty array)`);
    if (weights === undefined) return losses.mean();
    if (!(weights instanceof NDArray)) throw new TypeError(`${fn}: weights for an array of losses must be an array`);
    if (!sameShape(losses, weights))
      throw new RangeError(`${fn}: weights ${shapeStr(weights)} must match losses ${shapeStr(losses)}`);
    return losses.mul(weights).sum().div(weights.sum());
  }
  if (losses.length === 0) throw new RangeError(`${fn}: no losses (empty list)`);
  if (weights !== undefined && (weights instanceof NDArray || weights.length !== losses.length))
    throw new RangeError(`${fn}: give one weight (a number) per loss (${losses.length})`);
  let num = 0;
  let den = 0;
  losses.forEach((l, i) => {
    const v = typeof l === "number" ? l : Number(np.item(l));
    const w = weights ? (weights as readonly number[])[i] : 1;
    if (w === undefined || !(w >= 0)) throw new RangeError(`${fn}: weights must be >= 0, got ${w}`);
    num += w * v;
    den += w;
  });
  if (den === 0) throw new RangeError(`${fn}: the weights sum to 0`);
  return num / den;
}
