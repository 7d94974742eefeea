import { describe, it, expect } from "vitest";
import { np, nn, grad, jit, vmap, type Array } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import { expectClose } from "../helpers.js";

describe("norm (custom JVP, safe at zero)", () => {
  it("values over all axes, one axis, keepdims", () => {
    expectClose(np.norm(np.array([3, 4])), 5);
    expectClose(
      np.norm(
        np.array([
          [3, 4],
          [6, 8],
        ]),
        1,
      ),
      [5, 10],
    );
    expect(np.norm(np.ones([2, 3]), 0, { keepdims: true }).shape).toEqual([1, 3]);
  });
  it("gradient x/|x| away from zero and 0 at zero (autodiff of sqrt(sum(x²)) gives NaN there)", () => {
    expectClose(grad((x: Array) => np.norm(x))(np.array([3, 4])), [0.6, 0.8]);
    expectClose(grad((x: Array) => np.norm(x))(np.zeros([3])), [0, 0, 0]);
    const naive = grad((x: Array) => x.square().sum().sqrt())(np.zeros([3]));
    expect(Number.isNaN(naive.dataSync()[0])).toBe(true);
  });
  it("matches finite differences (orders 1 and 2), under jit and vmap", () => {
    checkGrads(
      (x: Array) => np.norm(x, -1),
      [
        np.array(
          [
            [1, -2, 0.5],
            [0.3, 0.1, -2],
          ],
          { dtype: "float64" },
        ),
      ],
      { order: 2 },
    );
    expectClose(jit(grad((x: Array) => np.norm(x)))(np.array([3, 4])), [0.6, 0.8]);
    expectClose(
      vmap(grad((x: Array) => np.norm(x)))(
        np.array([
          [0, 0],
          [3, 4],
        ]),
      ),
      [0, 0, 0.6, 0.8],
    );
  });
});

describe("softplus (custom JVP: sigmoid)", () => {
  it("is finite with exact derivatives everywhere, including 0 and ±1e4 in float32", () => {
    const d1 = grad((x: Array) => nn.softplus(x).sum());
    const d2 = grad((x: Array) => d1(x).sum());
    const x = np.array([0, 30, 1e4, -1e4]);
    expectClose(nn.softplus(x), [Math.LN2, 30, 1e4, 0]);
    expectClose(d1(x), [0.5, 1, 1, 0]);
    expectClose(d2(x), [0.25, 0, 0, 0]);
    checkGrads(nn.softplus, [np.array([-3, -0.1, 0, 0.2, 5], { dtype: "float64" })], { order: 2 });
  });
});
