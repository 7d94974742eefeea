import { describe, it, expect } from "vitest";
import { np, vjp, jvp, jit } from "../../src/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

const dotAll = (a: Array, b: Array): number => flat(a).reduce((s, v, i) => s + v * flat(b)[i]!, 0);

describe("vjp", () => {
  it("pulls back a cotangent through an elementwise product", () => {
    const [y, pb] = vjp((x: Array) => x.mul(x), np.array([1, 2, 3]));
    expectClose(y, [1, 4, 9]);
    const [g] = pb(np.array([1, 10, 100]));
    expectClose(g, [2, 40, 600]);
  });

  it("returns one cotangent per positional argument", () => {
    const f = (a: Array, b: Array) => np.matmul(a, b);
    const A = np.array([
      [1, 2],
      [3, 4],
    ]);
    const B = np.array([
      [5, 6],
      [7, 8],
    ]);
    const [, pb] = vjp(f, A, B);
    const ct = np.array([
      [1, 0],
      [0, 1],
    ]);
    const [ga, gb] = pb(ct);
    // dA = ct @ B^T, dB = A^T @ ct
    expect(ga.tolist()).toEqual([
      [5, 7],
      [6, 8],
    ]);
    expect(gb.tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("satisfies <ct, J t> = <J^T ct, t> against jvp", () => {
    const f = (x: Array) =>
      np
        .matmul(
          np.array([
            [1, -2, 0.5],
            [0.3, 1, 2],
          ]),
          x.sin(),
        )
        .exp();
    const x = np.array([0.2, -0.4, 1.1]);
    const t = np.array([1, 2, -1]);
    const ct = np.array([0.7, -1.3]);
    const [, jt] = jvp(f, [x], [t]);
    const [, pb] = vjp(f, x);
    const [jtc] = pb(ct);
    expect(Math.abs(dotAll(ct, jt) - dotAll(jtc, t))).toBeLessThan(1e-4);
  });

  it("handles pytree inputs and outputs", () => {
    const p = { w: np.array([1, 2]), b: np.array(3) };
    const [out, pb] = vjp((q: typeof p) => ({ y: q.w.mul(q.b), s: q.b.square() }), p);
    expectClose(out.y, [3, 6]);
    const [g] = pb({ y: np.array([1, 1]), s: np.array(1) });
    expectClose(g.w, [3, 3]);
    // d/db: sum(ct_y * w) + 2b * ct_s = 3 + 6
    expectClose(g.b, 9);
  });

  it("unused inputs get zero cotangents of their shape", () => {
    const [, pb] = vjp((x: Array, _y: Array) => x.sum(), np.ones([2]), np.ones([3, 1]));
    const [gx, gy] = pb(np.array(1));
    expectClose(gx, [1, 1]);
    expect(gy.shape).toEqual([3, 1]);
    expectClose(gy, [0, 0, 0]);
  });

  it("broadcasting is summed back on the way out", () => {
    const [, pb] = vjp((x: Array, b: Array) => x.add(b), np.zeros([3, 2]), np.zeros([2]));
    const [gx, gb] = pb(
      np.array([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    expect(gx.shape).toEqual([3, 2]);
    expectClose(gb, [9, 12]);
  });

  it("the pullback can be called many times", () => {
    const [, pb] = vjp((x: Array) => x.exp(), np.array([0, 1]));
    expectClose(pb(np.array([1, 0]))[0], [1, 0]);
    expectClose(pb(np.array([0, 1]))[0], [0, Math.E]);
  });

  it("composes with jit", () => {
    const f = jit((x: Array) => x.tanh().mul(3));
    const [, pb] = vjp(f, np.array([0.5, -1]));
    expectClose(
      pb(np.array([1, 1]))[0],
      [0.5, -1].map((v) => 3 * (1 - Math.tanh(v) ** 2)),
    );
  });

  it("rejects cotangents of the wrong structure or shape", () => {
    const [, pb] = vjp((x: Array) => x.mul(2), np.ones([2]));
    expect(() => pb(np.ones([3]))).toThrow(/vjp: cotangent 0 has shape \[3\] but the output has shape \[2\]/);
    const [, pb2] = vjp((x: Array) => ({ a: x }), np.ones([2]));
    expect(() => pb2({ b: np.ones([2]) } as never)).toThrow(
      /vjp: cotangent structure .* does not match output structure/,
    );
  });
});
