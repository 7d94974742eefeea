/**
 * qr, eigh, eigvalsh, svd, lstsq, pinv, matrixRank, cond and norm 2 / −2 / "nuc" against NumPy values
 * and jax.grad derivatives (test/fixtures/linalg.json, "decompositions"): factors compared up to the
 * sign of each column, gradients of sign-invariant objectives; float64 eagerly, float32 under jit.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, np, type Array } from "../../src/index.js";
import type { NormOrder } from "../../src/numpy/linalg/index.js";
import { decode, expectMatches } from "./linalg-fixture-data.js";
import {
  DECOMPOSITIONS,
  type DecompositionCase,
  expectRUpToSign,
  expectUpToSign,
  weighted,
} from "./linalg-decomposition-data.js";

const ORDERS: Record<string, number> = { inf: Infinity, "-inf": -Infinity };
const ordOf = (c: DecompositionCase): NormOrder =>
  (typeof c.ord === "string" ? (ORDERS[c.ord] ?? c.ord) : (c.ord ?? null)) as NormOrder;

/** The case's outputs by the fixture's names. */
function run(c: DecompositionCase, args: Array[]): Record<string, Array> {
  const [a, b] = args as [Array, Array];
  switch (c.op) {
    case "qr":
      if (c.mode === "r") return { R: np.linalg.qr(a, { mode: "r" }) };
      return { ...np.linalg.qr(a, { mode: c.mode ?? "reduced" }) };
    case "eigh":
      return { ...np.linalg.eigh(a, c.uplo ? { UPLO: c.uplo, symmetrizeInput: false } : {}) };
    case "eigvalsh":
      return { eigenvalues: np.linalg.eigvalsh(a) };
    case "svd":
      return { ...np.linalg.svd(a, { fullMatrices: false }) };
    case "svdvals":
      return { S: np.linalg.svd(a, { computeUv: false }) };
    case "lstsq":
      return { ...np.linalg.lstsq(a, b, { rcond: c.rcond ?? null }) };
    case "pinv":
      return { out: np.linalg.pinv(a, { hermitian: c.hermitian ?? false }) };
    case "matrixRank":
      return { out: np.linalg.matrixRank(a) };
    case "cond":
      return { out: np.linalg.cond(a, ordOf(c)) };
    case "norm":
      return { out: np.linalg.norm(a, ordOf(c), c.axis ?? null, { keepdims: c.keepdims ?? false }) };
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

/** sign(diag R), padded with ones to length `len`. */
function diagSigns(R: Array, len: number): Array {
  const d = np.sign(np.diagonal(R, { axis1: -2, axis2: -1 }));
  const k = d.shape[d.ndim - 1]!;
  return len > k ? np.concatenate([d, np.ones([...d.shape.slice(0, -1), len - k], { dtype: d.dtype })], -1) : d;
}

/** The scalar the generator differentiated (see the objectives in scripts/gen-linalg-fixtures.py). */
function objective(c: DecompositionCase): (...xs: Array[]) => Array {
  return (...xs) => {
    const o = run(c, xs);
    switch (c.op) {
      case "qr": {
        const R = o.R!;
        const dR = np.expandDims(diagSigns(R, R.shape[R.ndim - 2]!), -1).mul(R);
        if (!o.Q) return weighted(dR, "w2");
        const Q = o.Q;
        return weighted(Q.mul(np.expandDims(diagSigns(R, Q.shape[Q.ndim - 1]!), -2)), "w1").add(weighted(dR, "w2"));
      }
      case "eigh":
        return weighted(o.eigenvalues!, "w1").add(weighted(np.square(o.eigenvectors!), "w2"));
      case "svd":
        return weighted(o.S!, "w1")
          .add(weighted(np.square(o.U!), "w2"))
          .add(weighted(np.square(o.Vh!), "w3"));
      case "lstsq":
        return weighted(o.solution!, "w1").add(weighted(o.residuals!, "w2"));
      default:
        return weighted(Object.values(o)[0]!, "w1");
    }
  };
}

/** Outputs whose columns (or rows, for Vh) are only defined up to sign. */
const SIGNED: Record<string, -1 | -2> = { Q: -1, U: -1, eigenvectors: -1, Vh: -2 };

function checkOutputs(c: DecompositionCase, got: Record<string, Array>, tol: number, dtype: "float32" | "float64") {
  for (const [name, want] of Object.entries(c.outs)) {
    const g = got[name]!;
    expect(g, `output ${name}`).toBeDefined();
    if (name === "R") expectRUpToSign(g, want, tol, "R (sign-normalized)");
    else if (name in SIGNED) expectUpToSign(g, want, SIGNED[name]!, tol, name);
    else expectMatches(g, want, tol, `${name} (${dtype})`);
  }
}

describe("np.linalg decompositions match NumPy / JAX", () => {
  for (const [name, c] of Object.entries(DECOMPOSITIONS)) {
    it(`${name}: float64 value${c.grads ? " and jax.grad" : ""}`, () => {
      const args = c.args.map((a) => decode(a));
      checkOutputs(c, run(c, args), 1e-10, "float64");
      if (c.grads) {
        const g = grad(objective(c), { argnums: args.map((_, i) => i) })(...args) as Array[];
        c.grads.forEach((want, i) => expectMatches(g[i]!, want, 1e-8, `grad ${i}`));
      }
    });
    // rcond=1e-10 is below float32's eps: there the zero singular value is kept, as in JAX.
    it.skipIf(c.rcond === 1e-10)(`${name}: float32 value, under jit`, () => {
      const args = c.args.map((a) => decode(a, "float32"));
      const got = jit((...xs: Array[]) => run(c, xs))(...args);
      for (const [k, v] of Object.entries(got))
        if (k !== "rank" && c.op !== "matrixRank") expect(v.dtype, k).toBe("float32");
      // The graded case's smallest singular vectors carry eps32 · σ₁/σ₄ ≈ 1e-3 error (any algorithm).
      checkOutputs(c, got, name.includes("graded") ? 2e-3 : 2e-4, "float32");
    });
  }
});
