/**
 * Parallel cyclic Jacobi rotations, shared by `eigh` (two-sided, on A) and `svd` (one-sided, on
 * the Gram matrix of the current columns). Each round pairs the n indices into disjoint pairs by
 * the round-robin ("circle") tournament schedule, so one round's rotations commute and are applied
 * at once as one orthogonal matrix J (two matmuls); n − 1 rounds (n even) or n rounds (n odd, one
 * index sits out each round) make a sweep that visits every pair once.
 *
 * Sweeps: cyclic Jacobi converges quadratically once off-diagonal mass is small. Measured (NumPy
 * prototype of this exact schedule, random and clustered spectra), a full float64 convergence
 * (eigenvalue and reconstruction errors below 4·eps·n) took at most 4, 5, 7, 8 sweeps for
 * n = 3, 8, 32, 64 and float32 fewer; ⌈log₂ n⌉ + 4 sweeps leaves at least two spare at every
 * size measured, and a converged sweep is harmless (its rotations are the identity). A fixed count
 * (not a while loop) keeps the loop a `fori`: one compiled loop under jit, batchable by vmap.
 */
import type { Array } from "../../core/array.js";
import { scalar } from "../../core/ops.js";
import { fori } from "../../lax/control/while.js";
import { abs, logicalAnd, sqrt, where } from "../elementwise.js";
import { sum } from "../reductions.js";
import { expandDims } from "../shape.js";
import { identity, indices, mT } from "./common.js";

/** The sweeps run for an n×n problem (see the file comment). */
export const jacobiSweeps = (n: number): number => Math.ceil(Math.log2(Math.max(n, 2))) + 4;

/** Rounds per sweep of the round-robin schedule. */
const roundsPerSweep = (n: number): number => (n % 2 === 1 ? n : n - 1);

/** (x mod m) for x in (−m, m): one wrap. */
const wrap = (x: Array, m: number): Array => where(x.less(0), x.add(m), x);

/**
 * partner[i] (int32 [n]) in round r (a traced int32 scalar in [0, rounds)); partner[i] = i sits out.
 * Odd n: i meets r − i (mod n). Even n: index 0 is fixed and k = i − 1 meets r − k (mod n − 1),
 * the one k that would meet itself meeting index 0 instead.
 */
function partnerOf(n: number, r: Array): Array {
  const i = indices(n);
  if (n % 2 === 1) return wrap(r.sub(i), n);
  const k = i.sub(1);
  const kPartner = wrap(r.sub(k), n - 1);
  const meetsZero = logicalAnd(kPartner.equal(k), i.greater(0));
  const partnerOfZero = sum(where(meetsZero, i, 0));
  return where(i.equal(0), partnerOfZero, where(meetsZero, 0, kPartner.add(1)));
}

/**
 * The rotation J [..., n, n] of round r that zeroes G's (p, q) entries of every pair (G symmetric,
 * [..., n, n]): Jᵀ G J has 0 there. Per pair, with d = G_qq − G_pp and g = G_pq,
 * t = tan θ = 2g·sgn(d) / (|d| + √(d² + 4g²)) (the smaller angle), c = 1/√(1 + t²), s = t c, and
 * J_pp = J_qq = c, J_pq = s, J_qp = −s. Both members of a pair read g as the mean of G_pq and G_qp,
 * so they agree exactly even when rounding left G slightly unsymmetric (else J would not be
 * orthogonal and the iteration would stall).
 */
export function jacobiRotation(G: Array, r: Array): Array {
  const n = G.shape[G.ndim - 1]!;
  const dt = G.dtype;
  const partner = partnerOf(n, r);
  const i = indices(n);
  const P = expandDims(partner, -1).equal(i).astype(dt); // P[i, partner[i]] = 1
  const diag = sum(G.mul(identity(n, dt)), -1);
  const diagPartner = sum(expandDims(diag, -2).mul(P), -1);
  const paired = partner.notEqual(i);
  const g = where(paired, sum(G.add(mT(G)).mul(P), -1).mul(0.5), 0);
  const first = i.less(partner); // this index is p (< q) of its pair
  const d = where(first, diagPartner.sub(diag), diag.sub(diagPartner));
  const sgn = where(d.greaterEqual(0), 1, -1).astype(dt);
  const zero = g.equal(0);
  const denom = abs(d).add(sqrt(d.mul(d).add(g.mul(g).mul(4))));
  const t = where(
    zero,
    0,
    g
      .mul(2)
      .mul(sgn)
      .div(where(zero, 1, denom)),
  );
  const c = sqrt(t.mul(t).add(1)).reciprocal();
  const s = where(first, t.mul(c), t.mul(c).neg());
  return expandDims(c, -1).mul(identity(n, dt)).add(expandDims(s, -1).mul(P));
}

/**
 * Runs `rotate(r, carry)` for every round of {@link jacobiSweeps}(n) sweeps (one `fori`), with r
 * the round's int32 index.
 */
export function jacobiLoop<C>(n: number, rotate: (r: Array, carry: C) => C, init: C): C {
  const rounds = roundsPerSweep(n);
  if (n < 2) return init;
  const [, out] = fori(
    0,
    rounds * jacobiSweeps(n),
    (_: Array, [r, carry]: [Array, C]): [Array, C] => {
      const next = r.add(1);
      return [where(next.equal(rounds), 0, next).astype("int32"), rotate(r, carry)];
    },
    [scalar(0, "int32"), init] as [Array, C],
  );
  return out;
}
