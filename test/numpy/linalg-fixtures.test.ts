/**
 * np.linalg against NumPy/SciPy values and jax.grad derivatives (test/fixtures/linalg.json), in
 * float64 and float32, eagerly and under jit.
 */
import { describe, it } from "vitest";
import { grad, jit, np, type Array } from "../../src/index.js";
import { triangularSolve, type NormOrder, type TriangularSolveOptions } from "../../src/numpy/linalg/index.js";
import { CASES, decode, expectMatches, type LinalgCase, weightsFor } from "./linalg-fixture-data.js";

const ORDERS: Record<string, number> = { inf: Infinity, "-inf": -Infinity };

/** The case's function of its arguments (the first output for slogdet's sign). */
function opOf(c: LinalgCase): (...xs: Array[]) => Array {
  switch (c.op) {
    case "cholesky":
      return (a) => np.linalg.cholesky(a!);
    case "triangularSolve":
      return (a, b) => triangularSolve(a!, b!, c.opts as TriangularSolveOptions);
    case "solve":
      return (a, b) => np.linalg.solve(a!, b!);
    case "inv":
      return (a) => np.linalg.inv(a!);
    case "det":
      return (a) => np.linalg.det(a!);
    case "slogdet":
      return (a) => np.linalg.slogdet(a!).sign;
    case "matrixPower":
      return (a) => np.linalg.matrixPower(a!, c.n!);
    case "norm": {
      const ord = (typeof c.ord === "string" ? (ORDERS[c.ord] ?? c.ord) : c.ord) as NormOrder;
      return (x) => np.linalg.norm(x!, ord, c.axis ?? null, { keepdims: c.keepdims ?? false });
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

/** The differentiated output: slogdet's gradient is of logabsdet. */
const diffOf = (c: LinalgCase): ((...xs: Array[]) => Array) =>
  c.op === "slogdet" ? (a) => np.linalg.slogdet(a!).logabsdet : opOf(c);

describe("np.linalg matches NumPy / SciPy / JAX", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: float64 value${c.grads ? " and jax.grad" : ""}`, () => {
      const args = c.args.map((a) => decode(a));
      expectMatches(opOf(c)(...args), c.out, 1e-10, "value");
      if (c.out2) expectMatches(np.linalg.slogdet(args[0]!).logabsdet, c.out2, 1e-10, "logabsdet");
      if (c.grads) {
        const f = diffOf(c);
        const w = weightsFor(f(...args).shape);
        const g = grad((...xs: Array[]) => np.sum(w.mul(f(...xs))), { argnums: args.map((_, i) => i) })(...args);
        c.grads.forEach((want, i) => expectMatches((g as Array[])[i]!, want, 1e-8, `grad ${i}`));
      }
    });
    it(`${name}: float32 value, under jit`, () => {
      const args = c.args.map((a) => decode(a, "float32"));
      const out = jit(opOf(c))(...args);
      if (out.dtype !== "float32") throw new Error(`dtype ${out.dtype}, expected float32`);
      expectMatches(out, c.out, 2e-4, "value");
    });
  }
});
