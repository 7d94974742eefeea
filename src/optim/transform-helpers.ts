// Small elementwise helpers shared by the building-block gradient transformations (internal).
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { castLike, type Hyperparam } from "./base.js";

export const oneMinus = (b: Hyperparam): Hyperparam => (typeof b === "number" ? 1 - b : np.subtract(1, b));
export const neg = (v: Hyperparam): Hyperparam => (typeof v === "number" ? -v : v.neg());
/** β·m + (1-β)·x: an exponential moving average step. */
export const ema = (m: Array, x: Array, b: Hyperparam): Array => castLike(m.mul(b).add(x.mul(oneMinus(b))), m);
