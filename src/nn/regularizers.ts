/**
 * Weight penalties over a whole parameter pytree (every array leaf, and JS-number leaves, count).
 * The penalties:
 *
 * - L1: λ·‖W‖₁ with {@link l1} = Σ|w|;
 * - L2 (weight decay): λ·‖W‖² with {@link l2} = Σw² — the squared norm, **without** a ½;
 * - elastic net: α‖W‖² + β‖W‖₁, parametrised as {@link elasticNet} = alpha·(l1Ratio·‖W‖₁ + (1 − l1Ratio)·‖W‖²).
 *
 * Each returns a scalar, differentiable with `grad` (d l2 / dw = 2w). To leave some leaves out
 * (biases, say), pass just the sub-tree to penalise.
 *
 * @example
 * import { np, nn, grad } from "graft-ad";
 * const params = { w: np.array([1, -2]), b: np.array([3]) };
 * nn.regularizers.l2(params);              // 1 + 4 + 9 = 14
 * nn.regularizers.l2({ w: params.w });     // 5
 * const loss = (p: typeof params) => nn.regularizers.l2(p).mul(1e-4); // add to the data loss
 * grad(loss)(params);                       // { w: 2e-4·w, b: 2e-4·b }
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { asArray, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { leaves } from "../tree/index.js";

function total(op: string, params: unknown, f: (x: Array) => Array): Array {
  let acc: Array | undefined;
  for (const leaf of leaves(params)) {
    if (leaf === null || leaf === undefined) continue;
    const a = toFloat(asArray(leaf as Array | number, op));
    const s = np.sum(f(a));
    acc = acc === undefined ? s : np.add(acc, s);
  }
  return acc ?? np.array(0);
}

/**
 * ‖W‖₁ = Σ|w| over every leaf of `params`.
 * @example nn.regularizers.l1({ w: np.array([1, -2]) }) // 3
 */
export const l1 = (params: unknown): Array => total("l1", params, np.abs);

/**
 * ‖W‖² = Σw² over every leaf of `params` (the squared L2 norm, no ½, so λ·l2 is the penalty λ‖W‖²;
 * its gradient is 2w).
 * @example nn.regularizers.l2({ w: np.array([1, -2]) }) // 5
 */
export const l2 = (params: unknown): Array => total("l2", params, np.square);

/** Options of {@link elasticNet}. */
export interface ElasticNetOptions {
  /** Mix between the L1 (1) and L2 (0) penalties (default 0.5). */
  l1Ratio?: number;
  /** Overall strength (default 1). */
  alpha?: number;
}

/**
 * Elastic net: alpha·(l1Ratio·‖W‖₁ + (1 − l1Ratio)·‖W‖²), i.e. α‖W‖² + β‖W‖₁ (Zou & Hastie 2005) with
 * β = alpha·l1Ratio and α = alpha·(1 − l1Ratio). (The L2 part is the squared norm without ½, as in
 * {@link l2}.)
 * @example nn.regularizers.elasticNet({ w: np.array([1, -2]) }, { l1Ratio: 0.5, alpha: 2 }) // 3 + 5 = 8
 */
export function elasticNet(params: unknown, opts: ElasticNetOptions = {}): Array {
  checkOptions("elasticNet", opts, ["l1Ratio", "alpha"]);
  const l1Ratio = opts.l1Ratio ?? 0.5;
  const alpha = opts.alpha ?? 1;
  if (!(l1Ratio >= 0 && l1Ratio <= 1)) throw new Error(`elasticNet: l1Ratio must be in [0, 1], got ${l1Ratio}`);
  return np.multiply(np.add(np.multiply(l1(params), l1Ratio), np.multiply(l2(params), 1 - l1Ratio)), alpha);
}
