/**
 * grad, jvp and vjp outside jit see concrete primal values, as in JAX: JavaScript control flow on
 * values works; inside jit and for vmap-batched values it stays a ConcretizationError.
 */
import { describe, expect, it } from "vitest";
import { ConcretizationError, grad, hessian, jit, jvp, np, vjp, vmap } from "../../src/index.js";

const branchy = (x: np.Array): np.Array => (x.item() > 0 ? x.mul(x) : x.neg());

describe("concrete primals under grad, jvp and vjp", () => {
  it("value-dependent JS control flow differentiates as in JAX", () => {
    expect(grad(branchy)(np.array(2)).item()).toBe(4);
    expect(grad(branchy)(np.array(-3)).item()).toBe(-1);
    const [y, t] = jvp(branchy, [np.array(3)], [np.array(1)]);
    expect([y.item(), t.item()]).toEqual([9, 6]);
    const [out, pullback] = vjp(branchy, np.array(-2));
    expect([out.item(), (pullback(np.array(1))[0] as np.Array).item()]).toEqual([2, -1]);
    // Coercion to a JS number and comparisons read the primal too; second order as well.
    expect(grad((x: np.Array) => (Number(x) > 1 ? x.exp() : x.sin()))(np.array(2)).item()).toBeCloseTo(Math.exp(2), 5);
    expect(
      (
        hessian((x: np.Array) => ((x.tolist() as number) < 0 ? x.square() : x.mul(x).mul(x)))(np.array(2)) as np.Array
      ).item(),
    ).toBe(12);
    // A loop whose trip count depends on the value.
    const halve = (x: np.Array): np.Array => {
      let y = x;
      while (y.item() > 1) y = y.mul(0.5);
      return y;
    };
    expect(grad(halve)(np.array(5)).item()).toBe(0.125);
  });

  it("inside jit and under vmap it stays a ConcretizationError naming the transform", () => {
    expect(() => jit(grad(branchy))(np.array(2))).toThrow(ConcretizationError);
    expect(() => jit(grad(branchy))(np.array(2))).toThrow(/jit/);
    expect(() => grad(jit(branchy))(np.array(2))).toThrow(/jit/);
    expect(() => vmap(grad(branchy))(np.array([1, 2]))).toThrow(ConcretizationError);
    expect(() => vmap(grad(branchy))(np.array([1, 2]))).toThrow(/vmap/);
  });
});
