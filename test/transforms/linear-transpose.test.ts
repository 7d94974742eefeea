import { describe, it, expect } from "vitest";
import { np, grad, jit, vmap, ShapedArray } from "../../src/index.js";
import { linearTranspose } from "../../transforms/linear-transpose.js";
import { checkpoint } from "../../transforms/checkpoint.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

/** Deterministic pseudo-random values in [-1, 1). */
const rand = (shape: number[], seed: number): Array => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(
    Array.from({ length: n }, (_, i) => ((Math.imul(i + 1 + seed * 7919, 2654435761) >>> 0) / 2 ** 32) * 2 - 1),
    { shape },
  );
};
const dot = (a: Array, b: Array): number => flat(a).reduce((s, v, i) => s + v * flat(b)[i]!, 0);

describe("linearTranspose", () => {
  it("of matmul by a constant is matmul by its transpose", () => {
    const A = rand([3, 4], 1);
    const fT = linearTranspose((x: Array) => np.matmul(A, x), np.zeros([4]));
    const ct = rand([3], 2);
    const [xt] = fT(ct);
    expect(xt.shape).toEqual([4]);
    expectClose(xt, flat(np.matmul(A.T, ct)));
    // matrix argument on the right: X ↦ X A, transposed: C ↦ C Aᵀ
    const gT = linearTranspose((X: Array) => np.matmul(X, A), new ShapedArray([2, 3], "float32"));
    const C = rand([2, 4], 3);
    expectClose(gT(C)[0], flat(np.matmul(C, A.T)));
  });

  it("of sum is broadcast, of a slice is a pad", () => {
    const sT = linearTranspose((x: Array) => x.sum(1), new ShapedArray([2, 3], "float32"));
    expectClose(sT(np.array([5, -1]))[0], [5, 5, 5, -1, -1, -1]);
    const slT = linearTranspose((x: Array) => x.get("1:3"), np.zeros([5]));
    expectClose(slT(np.array([7, 8]))[0], [0, 7, 8, 0, 0]);
  });

  it("⟨ct, f(x)⟩ = ⟨fT(ct), x⟩ for random vectors, with pytrees and several arguments", () => {
    const A = rand([4, 3], 4);
    const f = (p: { u: Array; v: Array }, s: Array) => ({
      y: np
        .matmul(A, p.u)
        .mul(2)
        .sub(p.v.reshape([2, 2]).T.reshape([4])),
      z: [p.u.cumsum().add(s), np.concatenate([p.u, p.v]).flip(0).get("0:5")],
    });
    const primals = [{ u: np.zeros([3]), v: np.zeros([4]) }, np.zeros([3])] as const;
    const fT = linearTranspose(f, ...primals);
    for (let seed = 0; seed < 3; seed++) {
      const x = { u: rand([3], 10 + seed), v: rand([4], 20 + seed) };
      const s = rand([3], 30 + seed);
      const ct = { y: rand([4], 40 + seed), z: [rand([3], 50 + seed), rand([5], 60 + seed)] as [Array, Array] };
      const fx = f(x, s);
      const lhs = dot(ct.y, fx.y) + dot(ct.z[0], fx.z[0]!) + dot(ct.z[1], fx.z[1]!);
      const [px, ps] = fT(ct);
      const rhs = dot(px.u, x.u) + dot(px.v, x.v) + dot(ps, s);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
    }
  });

  it("works through jit, checkpoint, vmap and inside other transforms", () => {
    const A = rand([3, 3], 5);
    const f = jit((x: Array) => checkpoint((v: Array) => np.matmul(A, v).neg())(x));
    const [xt] = linearTranspose(f, np.zeros([3]))(np.array([1, 2, 3]));
    expectClose(xt, flat(np.matmul(A.T, np.array([1, 2, 3])).neg()));
    const [bt] = linearTranspose(
      vmap((v: Array) => v.mul(2)),
      np.zeros([2, 3]),
    )(np.ones([2, 3]));
    expectClose(bt, [2, 2, 2, 2, 2, 2]);
    // f closing over a traced value of an enclosing grad: d/dy Σ fT(1)(y) where f(x) = y·x
    const g = grad((y: Array) => linearTranspose((x: Array) => x.mul(y), np.zeros([3]))(np.ones([3]))[0].sum())(
      np.array(2),
    );
    expectClose(g, [3]);
  });

  it("unused inputs get zero cotangents; float64 is kept", () => {
    const fT = linearTranspose((a: Array, _b: Array) => a.mul(3), np.zeros([2], { dtype: "float64" }), np.zeros([2]));
    const [ta, tb] = fT(np.array([1, 1], { dtype: "float64" }));
    expect(ta.dtype).toBe("float64");
    expectClose(ta, [3, 3]);
    expectClose(tb, [0, 0]);
  });

  it("non-linear functions are rejected with a clear error", () => {
    const msg = /linearTranspose: f is not linear in its inputs \(/;
    expect(() => linearTranspose((x: Array) => x.mul(x), np.zeros([2]))).toThrow(msg);
    expect(() => linearTranspose((x: Array) => x.sin(), np.zeros([2]))).toThrow(/not linear in its inputs \(.*'sin'/);
    expect(() => linearTranspose((x: Array, y: Array) => np.matmul(x, y), np.zeros([2, 2]), np.zeros([2, 2]))).toThrow(
      msg,
    );
    expect(() => linearTranspose((x: Array) => np.ones([2]).div(x), np.zeros([2]))).toThrow(msg);
    expect(() =>
      linearTranspose(
        jit((x: Array) => x.mul(x.sum())),
        np.zeros([2]),
      ),
    ).toThrow(msg);
    expect(() => linearTranspose((x: Array) => x.exp(), np.zeros([2]))).toThrow(msg);
  });

  it("checks its arguments and the cotangent", () => {
    expect(() => linearTranspose((x: Array) => x, np.zeros([2], { dtype: "int32" }))).toThrow(/float32\/float64/);
    const fT = linearTranspose((x: Array) => x.mul(2), np.zeros([2]));
    expect(() => fT(np.ones([3]))).toThrow(/shape/);
    expect(() => fT([np.ones([2])] as never)).toThrow(/structure/);
  });
});
