import { describe, it, expect } from "vitest";
import { np, vmap, grad, jit } from "../../src/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

const M = [
  [1, 2, 3],
  [4, 5, 6],
]; // [2,3]
const col = (m: number[][], j: number) => m.map((r) => r[j]!);
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe("vmap inAxes", () => {
  it("maps over the leading axis by default", () => {
    const y = vmap((r: Array) => r.square().sum())(np.array(M));
    expect(y.shape).toEqual([2]);
    expectClose(
      y,
      M.map((r) => dot(r, r)),
    );
  });

  it("maps over any axis, including negative ones", () => {
    const f = (c: Array) => c.mul(np.array([1, 10])).sum();
    const want = [0, 1, 2].map((j) => dot(col(M, j), [1, 10]));
    expectClose(vmap(f, { inAxes: 1 })(np.array(M)), want);
    expectClose(vmap(f, { inAxes: -1 })(np.array(M)), want);
    // middle axis of a 3-D array: x[i, k, j] mapped over k
    const x3 = np.arange(24).reshape(2, 3, 4);
    const y = vmap((s: Array) => s.sum(), { inAxes: 1 })(x3);
    const data = flat(x3);
    expectClose(
      y,
      [0, 1, 2].map((k) => data.filter((_, idx) => Math.floor(idx / 4) % 3 === k).reduce((a, b) => a + b, 0)),
    );
  });

  it("inAxes as a list with null for unmapped arguments", () => {
    const w = np.array([1, -1, 2]);
    const y = vmap((r: Array, v: Array) => r.mul(v).sum(), { inAxes: [0, null] })(np.array(M), w);
    expectClose(
      y,
      M.map((r) => dot(r, [1, -1, 2])),
    );
    const z = vmap((v: Array, c: Array) => v.mul(c).sum(), { inAxes: [null, 1] })(np.array([1, 1]), np.array(M));
    expectClose(z, [5, 7, 9]);
  });

  it("inAxes as a nested pytree prefix", () => {
    const params = {
      w: np.array([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      b: np.array([10, 20, 30]),
    };
    const xs = np.array([
      [1, 0],
      [0, 1],
      [1, 1],
      [2, -1],
    ]); // 4 examples
    // both parameters shared, examples mapped
    const f = (p: typeof params, x: Array) => np.matmul(x, p.w).add(p.b);
    const y = vmap(f, { inAxes: [{ w: null, b: null }, 0] })(params, xs);
    expect(y.shape).toEqual([4, 3]);
    const X = [
      [1, 0],
      [0, 1],
      [1, 1],
      [2, -1],
    ];
    expectClose(
      y,
      X.flatMap((x) => [0, 1, 2].map((j) => x[0]! * M[0]![j]! + x[1]! * M[1]![j]! + [10, 20, 30][j]!)),
    );
    // per-leaf axes inside the object: w mapped over axis 1 (3 columns), b over axis 0
    const z = vmap((p: typeof params) => p.w.sum().add(p.b), { inAxes: [{ w: 1, b: 0 }] })(params);
    expectClose(
      z,
      [0, 1, 2].map((j) => M[0]![j]! + M[1]![j]! + [10, 20, 30][j]!),
    );
    // a list argument with a single axis for all its leaves
    const u = vmap((pair: Array[]) => pair[0]!.mul(pair[1]!), { inAxes: [1] })([np.array(M), np.array(M)]);
    expect(u.shape).toEqual([3, 2]);
    expectClose(
      u,
      [0, 1, 2].flatMap((j) => col(M, j).map((v) => v * v)),
    );
  });

  it("axisSize with every argument unmapped (inAxes [null]) broadcasts the result", () => {
    const y = vmap((v: Array) => v.mul(2), { inAxes: [null], axisSize: 3 })(np.array([1, 2]));
    expect(y.shape).toEqual([3, 2]);
    expectClose(y, [2, 4, 2, 4, 2, 4]);
  });

  it("top-level inAxes null means no argument is mapped", () => {
    const y = vmap((v: Array) => v.mul(2), { inAxes: null, axisSize: 3 })(np.array([1, 2]));
    expect(y.shape).toEqual([3, 2]);
    expectClose(y, [2, 4, 2, 4, 2, 4]);
  });

  it("JS numbers passed with inAxes null", () => {
    const y = vmap((r: Array, s: Array) => r.mul(s), { inAxes: [0, null] })(np.array([1, 2]), 3 as unknown as Array);
    expectClose(y, [3, 6]);
  });
});

describe("vmap outAxes", () => {
  it("places the batch axis where asked, including negative", () => {
    const f = (r: Array) => r.mul(2);
    const x = np.array(M);
    expect(vmap(f, { outAxes: 0 })(x).tolist()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(vmap(f, { outAxes: 1 })(x).tolist()).toEqual([
      [2, 8],
      [4, 10],
      [6, 12],
    ]);
    expect(vmap(f, { outAxes: -1 })(x).tolist()).toEqual([
      [2, 8],
      [4, 10],
      [6, 12],
    ]);
    expect(vmap(f, { inAxes: 1, outAxes: 1 })(x).tolist()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
  });

  it("null outAxes returns an unbatched output; a pytree prefix sets per-output axes", () => {
    const f = (r: Array) => ({ s: r.sum(), c: np.array([7]), r: r.add(1) });
    const out = vmap(f, { outAxes: { s: 0, c: null, r: 1 } })(np.array(M));
    expectClose(out.s, [6, 15]);
    expect(out.c.shape).toEqual([1]);
    expect(out.r.tolist()).toEqual([
      [2, 5],
      [3, 6],
      [4, 7],
    ]);
    const [a, b] = vmap((r: Array) => [r.sum(), np.array(1)], { outAxes: [0, null] })(np.array(M));
    expectClose(a!, [6, 15]);
    expect(b!.shape).toEqual([]);
    expect(() => vmap((r: Array) => [r], { outAxes: [null] })(np.array(M))).toThrow(
      /vmap: output 0 depends on the mapped axis but its outAxes entry is null/,
    );
  });

  it("top-level outAxes null returns unbatched outputs and rejects batched ones", () => {
    expect(vmap((_r: Array) => np.array(1), { outAxes: null })(np.array(M)).shape).toEqual([]);
    expect(() => vmap((r: Array) => r, { outAxes: null })(np.array(M))).toThrow(
      /depends on the mapped axis but its outAxes entry is null/,
    );
  });

  it("unbatched outputs with a numeric outAxes are broadcast along the batch", () => {
    const y = vmap((_r: Array) => np.array([1, 2]))(np.array(M));
    expect(y.tolist()).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});

describe("nested vmap and compositions", () => {
  it("vmap(vmap(f)) computes all pairs", () => {
    const a = [1, 2, 3];
    const b = [10, 20];
    const outer = vmap((x: Array) => vmap((y: Array) => x.mul(y))(np.array(b)))(np.array(a));
    expect(outer.shape).toEqual([3, 2]);
    expectClose(
      outer,
      a.flatMap((x) => b.map((y) => x * y)),
    );
  });

  it("nested vmap with different axes computes a matrix product", () => {
    const A = np.array(M); // [2,3]
    const B = np.array([
      [1, 0],
      [0, 1],
      [1, 1],
    ]); // [3,2]
    const mm = vmap((row: Array) => vmap((c: Array) => row.mul(c).sum(), { inAxes: 1 })(B))(A);
    expect(mm.tolist()).toEqual(np.matmul(A, B).tolist());
    expect(mm.tolist()).toEqual([
      [4, 5],
      [10, 11],
    ]);
  });

  it("batch-dependent shapes inside: matmul, reductions, broadcasting", () => {
    const W = np.array([
      [1, 2],
      [3, 4],
      [5, 6],
    ]); // [3,2]
    const y = vmap((x: Array) => np.matmul(x, W).tanh().sum(-1), { inAxes: 1 })(
      np.array([
        [1, 2],
        [0, 1],
        [1, 0],
      ]),
    ); // x: [3] columns mapped over 2
    const X = [
      [1, 2],
      [0, 1],
      [1, 0],
    ];
    expectClose(
      y,
      [0, 1].map((j) =>
        [0, 1].reduce(
          (s, k) =>
            s +
            Math.tanh(
              col(X, j).reduce(
                (t, v, i) =>
                  t +
                  v *
                    [
                      [1, 2],
                      [3, 4],
                      [5, 6],
                    ][i]![k]!,
                0,
              ),
            ),
          0,
        ),
      ),
    );
  });

  it("vmap(grad(f)) gives per-example gradients equal to looped grads", () => {
    const w = np.array([0.5, -1, 2]);
    const loss = (wt: Array, x: Array, y: Array) => np.dot(x, wt).sub(y).square().add(wt.square().sum().mul(0.1));
    const X = [
      [1, 2, 3],
      [0, -1, 1],
      [2, 2, -2],
      [0.5, 0, 1],
    ];
    const Y = [1, -2, 0.5, 3];
    const perEx = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, np.array(X), np.array(Y));
    expect(perEx.shape).toEqual([4, 3]);
    const looped = X.flatMap((x, i) => flat(grad(loss)(w, np.array(x), np.array(Y[i]!))));
    expectClose(perEx, looped);
    // independent closed form: 2 (x.w - y) x + 0.2 w
    const wv = [0.5, -1, 2];
    expectClose(
      perEx,
      X.flatMap((x, i) => x.map((xi, k) => 2 * (dot(x, wv) - Y[i]!) * xi + 0.2 * wv[k]!)),
    );
  });

  it("vmap over jit and jit over vmap agree with the eager result", () => {
    const f = (r: Array) => r.sin().mul(r).sum();
    const x = np.array(M);
    const want = M.map((r) => r.reduce((s, v) => s + Math.sin(v) * v, 0));
    expectClose(vmap(jit(f))(x), want);
    expectClose(jit(vmap(f))(x), want);
  });
});

describe("vmap errors", () => {
  it("inconsistent batch sizes name both leaves", () => {
    expect(() => vmap((a: Array, b: Array) => a.add(b))(np.ones([2, 3]), np.ones([4, 3]))).toThrow(
      /vmap: inconsistent sizes for the mapped axis: leaf 0 \(shape \[2, 3\], axis 0\) gives 2, but leaf 1 \(shape \[4, 3\], axis 0\) gives 4/,
    );
    expect(() => vmap((a: Array) => a, { axisSize: 5 })(np.ones([2]))).toThrow(/axisSize gives 5, but leaf 0/);
  });
  it("out-of-range axes", () => {
    expect(() => vmap((a: Array) => a, { inAxes: 2 })(np.ones([2, 3]))).toThrow(
      /vmap: inAxes 2 is out of range for argument leaf 0 of shape \[2, 3\] \(rank 2\)/,
    );
    expect(() => vmap((a: Array) => a, { inAxes: 0 })(np.array(1))).toThrow(/vmap: inAxes 0 is out of range/);
    expect(() => vmap((a: Array) => a, { outAxes: 3 })(np.ones([2, 3]))).toThrow(
      /vmap: outAxes 3 is out of range for output 0 of rank 1 \(valid: -2 to 1\)/,
    );
  });
  it("no mapped argument and no axisSize", () => {
    expect(() => vmap((a: Array) => a, { inAxes: [null] })(np.ones([2]))).toThrow(
      /vmap: no argument is mapped \(all inAxes are null\); pass axisSize/,
    );
  });
});
