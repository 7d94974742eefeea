/**
 * Control flow on traced values, as primitives that hold sub-programs: they stay inside jit, and
 * grad / vmap transform them without unrolling.
 */
import { cond, switchCase } from "./cond.js";
import { scan, map, type ScanOptions } from "./scan.js";
import { whileLoop, fori } from "./while.js";

import { associativeScan } from "../associative-scan.js";
import { cumsum, cumprod, cummax, cummin } from "../cumulative.js";
import { topK } from "../top-k.js";
import { conv, convGeneralDilated } from "../conv.js";
import { reduceWindow } from "../reduce-window.js";

export { cond, switchCase, scan, map, whileLoop, fori, type ScanOptions };
export type { AssociativeScanOptions } from "../associative-scan.js";
export type { CumulativeOptions } from "../cumulative.js";
export type { TopKOptions } from "../top-k.js";
export type { ConvDimensionNumbers, ConvGeneralDilatedOptions, ConvPadding } from "../conv.js";
export type { ReduceWindowOp, ReduceWindowOptions } from "../reduce-window.js";

/**
 * JAX-style `lax` namespace: `lax.cond`, `lax.switch`, `lax.whileLoop`, `lax.fori` (also `lax.foriLoop`), `lax.scan`,
 * `lax.map`, `lax.associativeScan`, `lax.cumsum`/`cumprod`/`cummax`/`cummin`, `lax.topK`,
 * `lax.convGeneralDilated`/`conv`, `lax.reduceWindow`.
 */
export const lax = Object.freeze({
  cond,
  switch: switchCase,
  whileLoop,
  fori,
  /** `jax.lax.fori_loop`'s name for {@link fori}. */
  foriLoop: fori,
  scan,
  map,
  associativeScan,
  cumsum,
  cumprod,
  cummax,
  cummin,
  topK,
  convGeneralDilated,
  conv,
  reduceWindow,
});
