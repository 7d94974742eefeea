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

export { cond, switchCase, scan, map, whileLoop, fori, type ScanOptions };
export type { AssociativeScanOptions } from "../associative-scan.js";
export type { CumulativeOptions } from "../cumulative.js";
export type { TopKOptions } from "../top-k.js";

/**
 * JAX-style `lax` namespace: `lax.cond`, `lax.switch`, `lax.whileLoop`, `lax.fori`, `lax.scan`,
 * `lax.map`, `lax.associativeScan`, `lax.cumsum`/`cumprod`/`cummax`/`cummin`, `lax.topK`.
 */
export const lax = Object.freeze({
  cond,
  switch: switchCase,
  whileLoop,
  fori,
  scan,
  map,
  associativeScan,
  cumsum,
  cumprod,
  cummax,
  cummin,
  topK,
});
