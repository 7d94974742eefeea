import { describe, it, expect } from "vitest";
import { np, stopGradient, grad, jvp, vmap, jit, hessian } from "../../src/index.js";
import { expectClose } from "../helpers.js";

type Array = np.Array;

describe("stopGradient", () => {
  it("passes the value through unchanged", () => {
    const x = np.array([1, -2, 3]);
    expect(stopGradient(x).tolist()).toEqual([1, -2, 3]);
    expect(stopGradient(x).dtype).toBe("float32");
    expect(np.stopGradient(x).tolist()).toEqual([1, -2, 3]);
  });

  it("blocks gradients: d/dx [sg(x) * x] = sg(x)", () => {
    expectClose(grad((x: Array) => stopGradient(x).mul(x).sum())(np.array([3, 4])), [3, 4]);
    expectClose(grad((x: Array) => np.stopGradient(x).mul(x).sum())(np.array([3, 4])), [3, 4]);
    expectClose(grad((x: Array) => stopGradient(x.square()).sum())(np.array([3, 4])), [0, 0]);
  });

  it("blocks forward-mode tangents", () => {
    const [y, t] = jvp((x: Array) => stopGradient(x.exp()).add(x), [np.array([0])], [np.array([1])]);
    expectClose(y, 1);
    expectClose(t, 1);
  });

  it("works on pytrees leaf by leaf", () => {
    const p = { a: np.array([1, 2]), b: [np.array(3)] };
    const s = stopGradient(p);
    expect(s.a.tolist()).toEqual([1, 2]);
    expect(s.b[0]!.item()).toBe(3);
    const g = grad((q: typeof p) => {
      const sq = stopGradient(q);
      return q.a.mul(sq.b[0]!).sum().add(sq.a.sum().mul(q.b[0]!));
    })(p);
    // d/da = b = 3 ; d/db = sum(a) = 3
    expectClose(g.a, [3, 3]);
    expectClose(g.b[0]!, 3);
  });

  it("second derivatives see it as a constant too", () => {
    // f = sg(x)^2 * x^2 ; f' = 2 x sg(x)^2 ; f'' = 2 sg(x)^2
    const H = hessian((x: Array) => stopGradient(x).square().mul(x.square()).sum())(np.array([2, 3])) as Array;
    expectClose(H, [8, 0, 0, 18]);
  });

  it("composes with vmap and jit", () => {
    const f = (x: Array) => stopGradient(x).mul(x).sum();
    expectClose(
      vmap(grad(f))(
        np.array([
          [1, 2],
          [3, 4],
        ]),
      ),
      [1, 2, 3, 4],
    );
    expectClose(jit(grad(f))(np.array([5])), 5);
    expectClose(grad(jit(f))(np.array([5])), 5);
  });

  it("leaves non-differentiable dtypes alone", () => {
    const i = stopGradient(np.array([1, 2], { dtype: "int32" }));
    expect(i.dtype).toBe("int32");
    expect(i.tolist()).toEqual([1, 2]);
  });
});
