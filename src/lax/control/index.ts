/**
 * Control flow on traced values, as primitives that hold sub-programs: they stay inside jit, and
 * grad / vmap transform them without unrolling.
 */
import { cond, switchCase } from "./cond.js";
import { scan, map, type ScanOptions } from "./scan.js";
import { whileLoop, fori } from "./while.js";

export { cond, switchCase, scan, map, whileLoop, fori, type ScanOptions };

/** JAX-style `lax` namespace: `lax.cond`, `lax.switch`, `lax.whileLoop`, `lax.fori`, `lax.scan`, `lax.map`. */
export const lax = Object.freeze({ cond, switch: switchCase, whileLoop, fori, scan, map });
