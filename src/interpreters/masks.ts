/** Lists spread and merged by boolean masks (which operands are linear, unknown, nonzero...). */

const countTrue = (mask: readonly boolean[]): number => mask.reduce((n, m) => n + (m ? 1 : 0), 0);

/**
 * Puts `values` at the true entries of `mask`, in order, and `other(i)` at the false ones. An
 * internal error unless there is exactly one value per true entry.
 */
export function spreadByMask<T, U>(mask: readonly boolean[], values: readonly T[], other: (i: number) => U): (T | U)[] {
  const n = countTrue(mask);
  if (values.length !== n) throw new Error(`internal error: ${values.length} values for ${n} masked entries`);
  let k = 0;
  return mask.map((m, i) => (m ? values[k++]! : other(i))); // k < n = values.length
}

/**
 * Interleaves two lists by `mask`: true entries take the next of `ifTrue`, false ones the next of
 * `ifFalse`. An internal error unless the counts match.
 */
export function mergeByMask<T, U>(mask: readonly boolean[], ifTrue: readonly T[], ifFalse: readonly U[]): (T | U)[] {
  const n = countTrue(mask);
  if (ifTrue.length !== n || ifFalse.length !== mask.length - n)
    throw new Error(
      `internal error: merging ${ifTrue.length} and ${ifFalse.length} values by a mask of ${n} and ${mask.length - n}`,
    );
  let t = 0;
  let f = 0;
  return mask.map((m) => (m ? ifTrue[t++]! : ifFalse[f++]!)); // t < n, f < mask.length - n
}
