/**
 * Custom JVPs whose rule needs the function's own outputs. customJvp stages a rule once per
 * signature, and a rule that calls its own function while being staged gets the plain function
 * (see stagingCache in lax/control/custom-jvp.ts): its second derivative would then differentiate
 * the algorithm (a Householder or Jacobi loop, with branches) instead of the rule. A chain of
 * copies, each rule calling the next copy, keeps derivatives rule-consistent up to `depth` orders.
 */
import type { Array } from "../../core/array.js";
import { customJvp, type CustomJvp } from "../../lax/control/custom-jvp.js";

/** Orders of derivatives that use the rule (beyond them, the algorithm itself is differentiated). */
const DEPTH = 3;

/**
 * A customJvp of `fun` whose rule gets `self` (the function, for its primal outputs) besides the
 * primals and tangents.
 */
export function selfReferentialJvp<A extends Array[], R>(
  fun: (...args: A) => R,
  rule: (self: (...args: A) => R, primals: A, tangents: A) => readonly [R, R],
): CustomJvp<A, R> {
  const copies = globalThis.Array.from({ length: DEPTH }, () => customJvp(fun));
  copies.forEach((copy, i) => {
    const next = copies[Math.min(i + 1, DEPTH - 1)]!;
    copy.defJvp((primals, tangents) => rule(next, primals, tangents));
  });
  return copies[0]!;
}
