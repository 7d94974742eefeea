import { describe, it, expect } from "vitest";
import { np, jacfwd, jacrev, hessian } from "../../src/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

const A = [
  [1, 2, -1],
  [0.5, 0, 3],
]; // [2,3]
const xs = [0.3, -0.2, 0.7];
// f(x) = sin(A x): J[i][j] = cos((Ax)_i) A[i][j]
const Ax = A.map((r) => r.reduce((s, v, j) => s + v * xs[j]!, 0));
const J = A.flatMap((r, i) => r.map((v) => Math.cos(Ax[i]!) * v));
const f = (x: Array) => np.matmul(np.array(A), x).sin();

describe("jacfwd / jacrev", () => {
  it("match the analytic Jacobian of R^3 -> R^2", () => {
    for (const jac of [jacfwd, jacrev]) {
      const j = jac(f)(np.array(xs)) as Array;
      expect(j.shape).toEqual([2, 3]);
      expectClose(j, J);
    }
  });

  it("block shapes are out.shape + in.shape", () => {
    const g = (x: Array) => x.sum(1).square(); // [2,3] -> [2]
    const x = np.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    for (const jac of [jacfwd, jacrev]) {
      const j = jac(g)(x) as Array;
      expect(j.shape).toEqual([2, 2, 3]);
      // d(s_i^2)/dx_kl = 2 s_i [i == k]
      expectClose(
        j,
        [0, 1].flatMap((i) => [0, 1].flatMap((k) => [0, 1, 2].map(() => (i === k ? 2 * [6, 15][i]! : 0)))),
      );
    }
    // scalar -> scalar and vector -> scalar
    expectClose(jacfwd((x: Array) => x.exp())(np.array(1)) as Array, Math.E);
    expect((jacrev((x: Array) => x.sum())(np.ones([3])) as Array).shape).toEqual([3]);
    expect((jacfwd((x: Array) => x.mul(2))(np.array(1)) as Array).shape).toEqual([]);
  });

  it("pytree inputs: a block per leaf", () => {
    const g = (p: { w: Array; b: Array }) => np.matmul(p.w, np.array([1, 2])).add(p.b);
    const p = {
      w: np.array([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      b: np.array([0, 0, 0]),
    };
    for (const jac of [jacfwd, jacrev]) {
      const j = jac(g)(p) as { w: Array; b: Array };
      expect(j.w.shape).toEqual([3, 3, 2]);
      expect(j.b.shape).toEqual([3, 3]);
      // dy_i/dW_kl = [i == k] x_l ; dy_i/db_k = [i == k]
      expectClose(
        j.w,
        [0, 1, 2].flatMap((i) => [0, 1, 2].flatMap((k) => [1, 2].map((xl) => (i === k ? xl : 0)))),
      );
      expectClose(j.b, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    }
  });

  it("pytree outputs: the result nests output-tree then input-tree", () => {
    const g = (x: Array) => ({ s: x.sum(), sq: [x.square()] });
    for (const jac of [jacfwd, jacrev]) {
      const j = jac(g)(np.array([1, 2])) as { s: Array; sq: Array[] };
      expectClose(j.s, [1, 1]);
      expect(j.sq[0]!.shape).toEqual([2, 2]);
      expectClose(j.sq[0]!, [2, 0, 0, 4]);
    }
  });

  it("argnums selects and orders the differentiated arguments", () => {
    const g = (x: Array, y: Array, c: number) => x.mul(y).mul(c);
    const x = np.array([1, 2]);
    const y = np.array([3, 4]);
    for (const jac of [jacfwd, jacrev]) {
      expectClose(jac(g, { argnums: 1 })(x, y, 2) as Array, [2, 0, 0, 4]);
      const [jy, jx] = jac(g, { argnums: [1, 0] })(x, y, 2) as Array[];
      expectClose(jy!, [2, 0, 0, 4]);
      expectClose(jx!, [6, 0, 0, 8]);
    }
  });

  it("agree with each other and keep float64", () => {
    const g = (x: Array) => x.tanh().mul(x.sum()).exp();
    const x = np.array([0.1, -0.4, 0.25], { dtype: "float64" });
    const a = jacfwd(g)(x) as Array;
    const b = jacrev(g)(x) as Array;
    expect(a.dtype).toBe("float64");
    expect(b.dtype).toBe("float64");
    expectClose(a, flat(b), 1e-12);
  });

  it("reject integer inputs", () => {
    expect(() => jacfwd(f)(np.array([1, 2, 3], { dtype: "int32" }))).toThrow(/jacfwd: input leaf 0 has dtype int32/);
    expect(() => jacrev(f)(np.array([1, 2, 3], { dtype: "int32" }))).toThrow(/jacrev: input leaf 0 has dtype int32/);
  });
});

describe("hessian", () => {
  it("of sum(x^3) is diag(6x); of a quadratic form is Q + Q^T", () => {
    expectClose(hessian((x: Array) => x.pow(3).sum())(np.array([1, 2])) as Array, [6, 0, 0, 12]);
    const Q = [
      [1, 2],
      [0, 3],
    ];
    const H = hessian((x: Array) => np.dot(x, np.matmul(np.array(Q), x)))(np.array([0.5, -1])) as Array;
    expectClose(H, [2, 2, 2, 6]);
  });

  it("of a function of a nested parameter object nests params-tree -> params-tree", () => {
    // f(p) = sum(w^2) * c + c^3 with p = { w: [2], b: { c: scalar } }
    type P = { w: Array; b: { c: Array } };
    const fn = (p: P) => p.w.square().sum().mul(p.b.c).add(p.b.c.pow(3));
    const w = [1, -2];
    const c = 0.5;
    const H = hessian(fn)({ w: np.array(w), b: { c: np.array(c) } }) as {
      w: { w: Array; b: { c: Array } };
      b: { c: { w: Array; b: { c: Array } } };
    };
    expect(H.w.w.shape).toEqual([2, 2]);
    expectClose(H.w.w, [2 * c, 0, 0, 2 * c]);
    expect(H.w.b.c.shape).toEqual([2]);
    expectClose(
      H.w.b.c,
      w.map((v) => 2 * v),
    );
    expect(H.b.c.w.shape).toEqual([2]);
    expectClose(
      H.b.c.w,
      w.map((v) => 2 * v),
    );
    expect(H.b.c.b.c.shape).toEqual([]);
    expectClose(H.b.c.b.c, 6 * c);
  });

  it("with argnums", () => {
    const g = (x: Array, y: Array) => x.square().mul(y).sum();
    const x = np.array([1, 2]);
    const y = np.array([3, 4]);
    expectClose(hessian(g, { argnums: 1 })(x, y) as Array, [0, 0, 0, 0]);
    const H = hessian(g, { argnums: [0, 1] })(x, y) as Array[][];
    expectClose(H[0]![0]!, [6, 0, 0, 8]);
    expectClose(H[0]![1]!, [2, 0, 0, 4]);
    expectClose(H[1]![0]!, [2, 0, 0, 4]);
    expectClose(H[1]![1]!, [0, 0, 0, 0]);
  });
});
