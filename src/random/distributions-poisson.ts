/**
 * `poisson` following `jax.random.poisson` (0.10.2): Knuth's multiplication method for lam < 10
 * and Hörmann's transformed rejection (PTRS) for lam ≥ 10, both as whole-array while loops that
 * split the key once per round, in float32 whatever the sample dtype (as JAX does).
 *
 * PTRS compares against log(k!), for which graft has no lgamma: it is a table for k < 16 and
 * Stirling's series (error < 10⁻⁹) above, so an acceptance can differ from JAX's only when the two
 * sides of the comparison lie within float32 rounding of each other.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { whileLoop } from "../lax/control/while.js";
import { take } from "../numpy/take.js";
import { array as npArray } from "../numpy/creation.js";
import type { Scheme } from "./threefry.js";
import { uniform } from "./continuous.js";
import { fma } from "./special.js";
import { checkKey, type ShapeLike } from "./sampler-checks.js";
import { anyTrue, floatParam, sampleShape, splitN } from "./distributions-helpers.js";

export interface PoissonOptions {
  /** int32 (default) or uint32. */
  dtype?: DType;
}

function knuth(scheme: Scheme, k: Array, lam: Array): Array {
  const c = (v: number, dtype: DType = "float32"): Array => L.full({ shape: lam.shape, dtype }, v);
  type Carry = [Array, Array, Array];
  const negLam = L.neg(lam);
  const [count] = whileLoop(
    ([, , logProd]: Carry) => anyTrue(L.gt(logProd, negLam)),
    ([n, key, logProd]: Carry): Carry => {
      const [next, sub] = splitN(scheme, key, 2) as [Array, Array];
      const n2 = L.select(L.gt(logProd, negLam), L.add(n, c(1, "int32")), n);
      const u = uniform(scheme, sub, lam.shape, { dtype: "float32" });
      return [n2, next, L.add(logProd, L.log(u))];
    },
    [c(0, "int32"), k, c(0)] as Carry,
  );
  return L.sub(count, c(1, "int32"));
}

// log(k!) for k = 0..15, rounded to float32 when used.
const LOG_FACTORIAL = globalThis.Array.from({ length: 16 }, (_, k) => {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
});

/** log(k!) for integer-valued float32 k ≥ 0 (NaN-free garbage below 0, which PTRS rejects anyway). */
function logFactorial(k: Array): Array {
  const c = (v: number): Array => L.fullLike(k, v);
  const small = L.binary("lt", k, c(16));
  const idx = L.convert(L.binary("max", L.binary("min", k, c(15)), c(0)), "int32");
  const table = take(npArray(LOG_FACTORIAL, { dtype: "float32" }), idx, null, { mode: "clip" }); // idx is clamped to [0, 15]
  const n = L.binary("max", L.add(k, c(1)), c(16));
  const inv = L.div(c(1), n);
  // (n - 1/2) log n - n + log(2π)/2 + 1/(12n) - 1/(360n³), n = k + 1.
  const series = L.mul(inv, L.sub(c(1 / 12), L.mul(L.mul(inv, inv), c(1 / 360))));
  const stirling = L.add(L.add(L.sub(L.mul(L.sub(n, c(0.5)), L.log(n)), n), c(0.5 * Math.log(2 * Math.PI))), series);
  return L.select(small, table, stirling);
}

function rejection(scheme: Scheme, k: Array, lam: Array): Array {
  const c = (v: number): Array => L.fullLike(lam, v);
  const logLam = L.log(lam);
  const b = fma(c(2.53), L.sqrt(lam), c(0.931));
  const a = fma(c(0.02483), b, c(-0.059));
  const invAlpha = L.add(c(1.1239), L.div(c(1.1328), L.sub(b, c(3.4))));
  const vR = L.sub(c(0.9277), L.div(c(3.6224), L.sub(b, c(2))));
  type Carry = [Array, Array, Array];
  const [kOut] = whileLoop(
    ([, accepted]: Carry) => anyTrue(L.unary("not", accepted)),
    ([kPrev, accepted, key]: Carry): Carry => {
      const [next, k0, k1] = splitN(scheme, key, 3) as [Array, Array, Array];
      const u = L.sub(uniform(scheme, k0, lam.shape, { dtype: "float32" }), c(0.5));
      const v = uniform(scheme, k1, lam.shape, { dtype: "float32" });
      const us = L.sub(c(0.5), L.unary("abs", u));
      const kk = L.unary("floor", L.add(fma(L.add(L.div(L.mul(c(2), a), us), b), u, lam), c(0.43)));
      const s = L.log(L.div(L.mul(v, invAlpha), L.add(L.div(a, L.mul(us, us)), b)));
      const t = L.sub(fma(kk, logLam, L.neg(lam)), logFactorial(kk));
      const accept1 = L.binary("and", L.binary("ge", us, c(0.07)), L.binary("le", v, vR));
      const reject = L.binary(
        "or",
        L.binary("lt", kk, c(0)),
        L.binary("and", L.binary("lt", us, c(0.013)), L.gt(v, us)),
      );
      const accept = L.binary("or", accept1, L.binary("and", L.unary("not", reject), L.binary("le", s, t)));
      return [L.select(accept, kk, kPrev), L.binary("or", accepted, accept), next];
    },
    [c(-1), L.full({ shape: lam.shape, dtype: "bool" }, 0), k] as Carry,
  );
  return L.convert(kOut, "int32");
}

export function poisson(
  scheme: Scheme,
  k: Array,
  lam: ArrayOrScalar,
  shape?: ShapeLike,
  opts: PoissonOptions = {},
): Array {
  checkOptions("random.poisson", opts, ["dtype"]);
  checkKey("poisson", k);
  const dtype = opts.dtype ?? "int32";
  if (dtype !== "int32" && dtype !== "uint32")
    throw new TypeError(
      `random.poisson: dtype must be "int32" (the default) or "uint32", got ${JSON.stringify(dtype)}`,
    );
  if (typeof lam === "number" && !(lam >= 0))
    throw new RangeError(`random.poisson: lam must be a non-negative rate, got ${lam}`);
  const s = sampleShape("poisson", shape, { lam });
  const lamF = floatParam("poisson", "lam", lam, "float32", s);
  const c = (v: number): Array => L.fullLike(lamF, v);
  const useKnuth = L.binary("or", L.binary("ne", lamF, lamF), L.binary("lt", lamF, c(10)));
  const viaKnuth = knuth(scheme, k, L.select(useKnuth, lamF, c(0)));
  const viaRejection = rejection(scheme, k, L.select(useKnuth, c(1e5), lamF));
  const result = L.select(useKnuth, viaKnuth, viaRejection);
  const zero = L.full({ shape: s, dtype: "int32" }, 0);
  return L.convert(L.select(L.eq(lamF, c(0)), zero, result), dtype);
}
