/**
 * `quantile`, `percentile`, `median` with JAX's interpolation methods: a sort along the reduced
 * axes and two gathers, so they are differentiable (the gradient flows to the order statistics
 * used), batchable and jittable. A NaN anywhere along the reduced axes makes the result NaN.
 */
import { type Array, type ArrayOrScalar, describeValue } from "../core/array.js";
import { normalizeAxes, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { asArray, castTo, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { argsortLast, takeAlongLast } from "../lax/sort-helpers.js";
import { array } from "./creation.js";

/** JAX's interpolation methods between the order statistics around position q·(n-1). */
export type QuantileMethod = "linear" | "lower" | "higher" | "nearest" | "midpoint";
const METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "nearest", "midpoint"];

export interface QuantileOptions {
  /** Default "linear"; "nearest" takes the lower neighbour on exact halves (JAX, not NumPy). */
  method?: QuantileMethod;
  /** Keep the reduced axes as size-1 axes. */
  keepdims?: boolean;
}

type QInput = ArrayOrScalar | readonly number[];

/** q as a float array of a's dtype; static values are range-checked against [0, scale]. */
function quantileArray(op: string, q: QInput, scale: number, dtype: Array["dtype"]): Array {
  let qa: Array;
  if (typeof q === "number" || globalThis.Array.isArray(q)) {
    const vals: readonly unknown[] = typeof q === "number" ? [q] : (q as readonly unknown[]);
    for (const v of vals)
      if (typeof v !== "number" || !(v >= 0 && v <= scale))
        throw new RangeError(`${op}: q must be in [0, ${scale}], got ${describeValue(v)}`);
    qa = array(typeof q === "number" ? q : (vals as number[]), { dtype });
  } else qa = asArray(q as ArrayOrScalar, op);
  if (qa.ndim > 1) throw new RangeError(`${op}: q must be a scalar or 1-D, got shape ${shapeStr(qa.shape)}`);
  const f = castTo(toFloat(qa), dtype);
  return scale === 1 ? f : L.div(f, L.fullLike(f, scale));
}

function quantileImpl(
  op: string,
  x: ArrayOrScalar,
  q: QInput,
  scale: number,
  axis: number | readonly number[] | null | undefined,
  opts: QuantileOptions,
): Array {
  checkOptions(op, opts, ["method", "keepdims"]);
  const method = opts.method ?? "linear";
  if (!METHODS.includes(method))
    throw new TypeError(`${op}: method must be one of ${METHODS.join(", ")}, got ${describeValue(method)}`);
  const a = toFloat(asArray(x, op));
  const qa = quantileArray(op, q, scale, a.dtype);
  const axes = normalizeAxes(op, axis, a.ndim);
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => a.shape[i]!);
  const n = axes.reduce((p, i) => p * a.shape[i]!, 1);
  if (n === 0) throw new RangeError(`${op}: cannot take a quantile over an empty axis of ${shapeStr(a.shape)}`);
  // Reduced axes merged into one last axis.
  const rows = L.reshape(L.transpose(a, [...kept, ...axes]), [...keptShape, n]);
  const last = rows.ndim - 1;
  const hasNan = bind1("reduce_max", [L.binary("ne", rows, rows)], { axes: [last] });
  const nanRows = L.select(
    L.broadcastInDim(
      hasNan,
      rows.shape,
      keptShape.map((_, i) => i),
    ),
    L.fullLike(rows, Number.NaN),
    rows,
  );
  const sorted = takeAlongLast(nanRows, argsortLast(nanRows));

  const m = qa.size;
  const qFlat = L.reshape(qa, [m]);
  const pos = L.mul(qFlat, L.fullLike(qFlat, n - 1));
  const lowF = L.unary("floor", pos);
  const highF = L.unary("ceil", pos);
  const highWeight = L.sub(pos, lowF);
  const clampIdx = (v: Array) =>
    castTo(L.binary("max", L.binary("min", v, L.fullLike(v, n - 1)), L.fullLike(v, 0)), "int32");
  const spread = (v: Array) => L.broadcastInDim(v, [...keptShape, m], [keptShape.length]);
  const lowValue = takeAlongLast(sorted, spread(clampIdx(lowF)));
  const highValue = takeAlongLast(sorted, spread(clampIdx(highF)));
  const hw = spread(highWeight);
  let result: Array;
  if (method === "linear") result = L.add(L.mul(lowValue, L.sub(L.fullLike(hw, 1), hw)), L.mul(highValue, hw));
  else if (method === "lower") result = lowValue;
  else if (method === "higher") result = highValue;
  else if (method === "nearest") result = L.select(L.binary("le", hw, L.fullLike(hw, 0.5)), lowValue, highValue);
  else result = L.mul(L.add(lowValue, highValue), L.fullLike(lowValue, 0.5));

  // [...kept, m] → [...q.shape, ...kept] (with the reduced axes back as 1s under keepdims).
  const front = L.moveAxis(result, keptShape.length, 0);
  const outRest = opts.keepdims ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape;
  return L.reshape(front, [...qa.shape, ...outRest]);
}

/**
 * The `q`-th quantiles (q in [0, 1], a scalar or 1-D) of `x` over `axis` (a number, a list, or
 * null/omitted for all); the output shape is `q.shape` + the remaining axes. JAX's methods.
 *
 * @example
 * np.quantile(np.arange(10), [0.25, 0.5, 0.75]); // [2.25, 4.5, 6.75]
 * np.quantile(np.arange(10), [0.25, 0.5, 0.75], null, { method: "nearest" }); // [2, 4, 7]
 */
export function quantile(
  x: ArrayOrScalar,
  q: QInput,
  axis?: number | readonly number[] | null,
  opts: QuantileOptions = {},
): Array {
  return quantileImpl("quantile", x, q, 1, axis, opts);
}

/**
 * The `q`-th percentiles (q in [0, 100]): `quantile(x, q / 100, …)`.
 * @example np.percentile(np.array([1, 2, 3, 4]), 50); // 2.5
 */
export function percentile(
  x: ArrayOrScalar,
  q: QInput,
  axis?: number | readonly number[] | null,
  opts: QuantileOptions = {},
): Array {
  return quantileImpl("percentile", x, q, 100, axis, opts);
}

/**
 * The median over `axis` (all axes when omitted): JAX's `quantile(x, 0.5, method="midpoint")`.
 * @example np.median(np.array([[1, 3], [2, 8]]), 0); // [1.5, 5.5]
 */
export function median(
  x: ArrayOrScalar,
  axis?: number | readonly number[] | null,
  opts: { keepdims?: boolean } = {},
): Array {
  checkOptions("median", opts, ["keepdims"]);
  return quantileImpl("median", x, 0.5, 1, axis, { method: "midpoint", keepdims: opts.keepdims ?? false });
}
