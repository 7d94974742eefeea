import { describe, it, expect } from "vitest";
import { np, jvp, grad } from "../../src/index.js";
import { expectClose, f64 } from "../helpers.js";

type Array = np.Array;

describe("jvp", () => {
  it("computes value and directional derivative of elementwise functions", () => {
    const xs = [0, 0.5, 1, 2];
    const [y, dy] = jvp((x: Array) => x.sin(), [np.array(xs)], [np.ones([4])]);
    expectClose(y, xs.map(Math.sin));
    expectClose(dy, xs.map(Math.cos));
    const [, dexp] = jvp((x: Array) => x.exp().mul(x), [np.array(xs)], [np.array([1, 2, 3, 4])]);
    expectClose(
      dexp,
      xs.map((v, i) => Math.exp(v) * (1 + v) * (i + 1)),
    );
  });

  it("is linear in the tangent", () => {
    const f = (x: Array) => x.tanh().mul(x).sum();
    const x = f64([0.3, -1.2, 2]);
    const t1 = f64([1, 0.5, -2]);
    const t2 = f64([0, 3, 1]);
    const [, a] = jvp(f, [x], [t1]);
    const [, b] = jvp(f, [x], [t2]);
    const [, ab] = jvp(f, [x], [t1.mul(2).add(t2.mul(-3))]);
    expectClose(ab, 2 * (a.item() as number) - 3 * (b.item() as number), 1e-12);
  });

  it("matches central finite differences (float64)", () => {
    const f = (x: Array, w: Array) => np.matmul(w, x.tanh()).square().sum().log();
    const x = f64([0.3, -1.2, 0.7]);
    const w = np.array(
      [
        [1, 2, -1],
        [0.5, -0.25, 3],
      ],
      { dtype: "float64" },
    );
    const tx = f64([0.2, -1, 0.4]);
    const tw = np.array(
      [
        [0.1, 0, 1],
        [-1, 2, 0.5],
      ],
      { dtype: "float64" },
    );
    const h = 1e-6;
    const fd =
      ((f(x.add(tx.mul(h)), w.add(tw.mul(h))).item() as number) -
        (f(x.sub(tx.mul(h)), w.sub(tw.mul(h))).item() as number)) /
      (2 * h);
    const [, d] = jvp(f, [x, w], [tx, tw]);
    expectClose(d, fd, 1e-7);
  });

  it("handles pytree primals and outputs", () => {
    const params = { w: np.array([1, 2]), b: { c: np.array(0.5) } };
    const tangents = { w: np.array([1, 0]), b: { c: np.array(2) } };
    const f = (p: typeof params) => ({ s: p.w.mul(p.b.c).sum(), list: [p.w.square(), p.b.c] });
    const [out, tout] = jvp(f, [params], [tangents]);
    expectClose(out.s, 1.5);
    // d(sum(w*c)) = sum(tw*c) + sum(w)*tc = 0.5 + 3*2
    expectClose(tout.s, 6.5);
    expectClose(tout.list[0]!, [2, 0]);
    expectClose(tout.list[1]!, 2);
  });

  it("multiple positional arguments; an argument with zero tangent contributes nothing", () => {
    const f = (x: Array, y: Array) => x.mul(y);
    const [, t] = jvp(f, [np.array([2, 3]), np.array([5, 7])], [np.array([1, 1]), np.zeros([2])]);
    expectClose(t, [5, 7]);
  });

  it("outputs independent of the input have zero tangents (instantiated with the right shape)", () => {
    const [y, t] = jvp((_x: Array) => np.ones([2, 3]), [np.array([1])], [np.array([1])]);
    expect(y.shape).toEqual([2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expectClose(t, [0, 0, 0, 0, 0, 0]);
  });

  it("broadcasting and reductions transport tangents correctly", () => {
    const f = (x: Array, b: Array) => x.add(b).mean(0);
    const [, t] = jvp(
      f,
      [np.ones([3, 2]), np.zeros([2])],
      [
        np.array([
          [1, 0],
          [2, 0],
          [3, 0],
        ]),
        np.array([10, 20]),
      ],
    );
    expectClose(t, [12, 20]);
  });

  it("nested jvp gives second derivatives", () => {
    const f = (x: Array) => x.pow(3);
    const df = (x: Array) => jvp(f, [x], [np.onesLike(x)])[1];
    const [, d2] = jvp(df, [np.array([2, -1])], [np.array([1, 1])]);
    expectClose(d2, [12, -6]);
  });

  it("composes with grad (forward-over-reverse)", () => {
    const g = grad((x: Array) => x.sin().sum());
    const [gv, hv] = jvp(g, [np.array([0.5, 1])], [np.array([1, 2])]);
    expectClose(gv, [Math.cos(0.5), Math.cos(1)]);
    expectClose(hv, [-Math.sin(0.5), -2 * Math.sin(1)]);
  });

  it("keeps float64 precision", () => {
    const [y, t] = jvp((x: Array) => x.exp(), [f64([1])], [f64([1])]);
    expect(y.dtype).toBe("float64");
    expect(t.dtype).toBe("float64");
    expect(Math.abs((t.item() as number) - Math.E)).toBeLessThan(1e-14);
  });

  it("accepts JS numbers as primals and tangents", () => {
    const [y, t] = jvp((x: Array) => np.multiply(x, x), [3 as unknown as Array], [1 as unknown as Array]);
    expectClose(y, 9);
    expectClose(t, 6);
  });

  it("rejects mismatched structures and shapes, and integer primals", () => {
    const f = (x: Array) => x;
    expect(() => jvp(f, [np.ones([2])], [np.ones([3])])).toThrow(
      /jvp: tangent leaf 0 has shape \[3\] but its primal has shape \[2\]/,
    );
    expect(() => jvp((p: { a: Array }) => p.a, [{ a: np.ones([2]) }], [{ b: np.ones([2]) } as never])).toThrow(
      /jvp: primals and tangents must have the same pytree structure/,
    );
    expect(() => jvp(f, [np.array([1], { dtype: "int32" })], [np.array([1], { dtype: "int32" })])).toThrow(
      /jvp: primal leaf 0 has dtype int32.*float32\/float64/,
    );
  });
});
