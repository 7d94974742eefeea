/** Reductions, cumulative ops and NaN-aware reductions (axis, keepdims, ddof as JAX's keywords). */
import { np } from "../../../src/index.js";
import { arg, axisOf, num, type Impl } from "./types.js";

type Reducer = (x: np.Array, axis?: number | readonly number[] | null, opts?: { keepdims?: boolean }) => np.Array;

const keepdims = (kw: Readonly<Record<string, unknown>>): { keepdims?: boolean } =>
  kw.keepdims === undefined ? {} : { keepdims: kw.keepdims as boolean };

const reducer =
  (f: Reducer): Impl =>
  (args, kw) =>
    f(arg(args, 0), axisOf(kw) ?? null, keepdims(kw));

const withDdof =
  (f: typeof np.var_): Impl =>
  (args, kw) =>
    f(arg(args, 0), axisOf(kw) ?? null, {
      ...keepdims(kw),
      ...(kw.ddof === undefined ? {} : { ddof: num(kw, "ddof") }),
    });

const argReducer =
  (f: typeof np.argmax): Impl =>
  (args, kw) =>
    f(arg(args, 0), (axisOf(kw) as number | undefined) ?? null, keepdims(kw));

const cumulative =
  (f: (x: np.Array, axis?: number | null) => np.Array): Impl =>
  (args, kw) =>
    f(arg(args, 0), (axisOf(kw) as number | undefined) ?? null);

export const REDUCTION_CASES: Record<string, Impl> = {
  sum: reducer(np.sum),
  prod: reducer(np.prod),
  max: reducer(np.max),
  min: reducer(np.min),
  mean: reducer(np.mean),
  all: reducer(np.all),
  any: reducer(np.any),
  logsumexp: reducer(np.logsumexp),
  nansum: reducer(np.nansum),
  nanmean: reducer(np.nanmean),
  nanmax: reducer(np.nanmax),
  var: withDdof(np.var_),
  std: withDdof(np.std),
  argmax: argReducer(np.argmax),
  argmin: argReducer(np.argmin),
  cumsum: cumulative(np.cumsum),
  cumprod: cumulative(np.cumprod),
  cummax: cumulative(np.cummax),
};
