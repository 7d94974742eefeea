/**
 * Comparing browser results with Node's. Errors are relative to the largest expected magnitude
 * (max |a − e| / max |e|), so entries that happen to be near zero, whose own relative error is
 * meaningless after float32 rounding, do not dominate.
 */

/** The relative error of `actual` against `expected`; Infinity if their lengths differ or a value is not finite. */
export function relativeError(actual: readonly number[], expected: readonly number[]): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Number.POSITIVE_INFINITY;
    diff = Math.max(diff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  // All-zero expectations: fall back to the absolute error.
  return scale === 0 ? diff : diff / scale;
}
