import { describe, expect, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import * as nn from "../../src/nn/activations.js";
import { flatten } from "../../src/tree/index.js";
import { hessian } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { vmap } from "../../transforms/vmap.js";
import { denseHessian, hvp } from "../../src/curvature/index.js";
import { NormalStream } from "./_spectra.js";

type Array = np.Array;

const f64 = (v: number[] | number[][] | number, shape?: number[]): Array =>
  shape ? np.array(Float64Array.from(v as number[]), { shape, dtype: "float64" }) : np.array(v, { dtype: "float64" });
const flat = (x: Array): number[] => Array.from(x.dataSync(), Number);
const close = (got: number[], want: number[], tol = 1e-10): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!), `index ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(want[i]!)),
    ),
  );
};
const leavesOf = (t: unknown): number[] => (flatten(t)[0] as Array[]).flatMap(flat);

/** A random symmetric n×n matrix (host). */
function randomSymmetric(n: number, seed: number): number[][] {
  const s = new NormalStream(seed);
  const a = Array.from({ length: n }, () => Array.from({ length: n }, () => s.normal()));
  return a.map((row, i) => row.map((x, j) => (x + a[j]![i]!) / 2));
}
const matvec = (A: number[][], v: number[]): number[] => A.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));

/** f(x) = ½ xᵀAx + bᵀx + sin(0) (a quadratic with Hessian A). */
function quadratic(A: number[][], b: number[]) {
  const Am = f64(A);
  const bm = f64(b);
  return (x: Array): Array => x.mul(np.matmul(Am, x)).sum().div(2).add(bm.mul(x).sum());
}

describe("hvp", () => {
  it("equals A·v on random quadratics, at any point", () => {
    for (const [n, seed] of [
      [1, 1],
      [4, 2],
      [9, 3],
    ] as const) {
      const A = randomSymmetric(n, seed);
      const s = new NormalStream(seed + 100);
      const b = Array.from({ length: n }, () => s.normal());
      const x = Array.from({ length: n }, () => s.normal());
      const v = Array.from({ length: n }, () => s.normal());
      const f = quadratic(A, b);
      close(flat(hvp(f, f64(x), f64(v))), matvec(A, v));
      // and against graft's dense hessian (jacfwd of jacrev) times v
      const H = hessian(f)(f64(x)) as Array;
      close(flat(hvp(f, f64(x), f64(v))), flat(np.matmul(H, f64(v))));
    }
  });

  it("works on pytree params: a quadratic in the flattened leaves", () => {
    // params {b: [3], w: [2, 3]} flatten (keys sorted) to 9 coordinates: b then w row-major.
    const n = 9;
    const A = randomSymmetric(n, 7);
    const Am = f64(A);
    const f = (p: { w: Array; b: Array }): Array => {
      const x = np.concatenate([p.b.reshape([-1]), p.w.reshape([-1])]);
      return x.mul(np.matmul(Am, x)).sum().div(2).add(x.sin().sum());
    };
    const s = new NormalStream(8);
    const p = { w: f64(Array.from(s.normals(6)), [2, 3]), b: f64(Array.from(s.normals(3)), [3]) };
    const vv = Array.from(s.normals(9));
    const v = { w: f64(vv.slice(3), [2, 3]), b: f64(vv.slice(0, 3), [3]) };
    const out = hvp(f, p, v);
    expect(out.w.shape).toEqual([2, 3]);
    expect(out.b.shape).toEqual([3]);
    const xs = [...flat(p.b), ...flat(p.w)];
    // Hessian = A − diag(sin x)
    const want = matvec(A, vv).map((y, i) => y - Math.sin(xs[i]!) * vv[i]!);
    close([...flat(out.b), ...flat(out.w)], want);
  });

  it("matches the dense Hessian on a small MLP loss (pytree params)", () => {
    const s = new NormalStream(3);
    const mk = (shape: number[]) =>
      f64(
        Array.from(s.normals(shape.reduce((a, b) => a * b, 1))).map((x) => 0.5 * x),
        shape,
      );
    type P = { layers: { w: Array; b: Array }[] };
    const params: P = {
      layers: [
        { w: mk([3, 4]), b: mk([4]) },
        { w: mk([4, 2]), b: mk([2]) },
      ],
    };
    const x = mk([5, 3]);
    const y = np.array([0, 1, 1, 0, 1], { dtype: "int32" });
    const loss = (p: P): Array => {
      const h = np.tanh(np.matmul(x, p.layers[0]!.w).add(p.layers[0]!.b));
      const logits = np.matmul(h, p.layers[1]!.w).add(p.layers[1]!.b);
      const oneHot = y
        .reshape([-1, 1])
        .equal(np.arange(0, 2, 1, { dtype: "int32" }))
        .astype("float64");
      return nn.logSoftmax(logits).mul(oneHot).sum(1).mean().neg();
    };
    // Dense Hessian from graft's hessian(): nested params-by-params blocks, flattened in order.
    const [pl] = flatten(params) as [Array[], unknown];
    const sizes = pl.map((l) => l.size);
    const n = sizes.reduce((a, b) => a + b, 0);
    const blocks = flatten(hessian(loss)(params))[0] as Array[];
    expect(blocks.length).toBe(pl.length * pl.length);
    const offs = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    blocks.forEach((blk, k) => {
      const i = Math.floor(k / pl.length);
      const j = k % pl.length;
      const d = flat(blk);
      for (let r = 0; r < sizes[i]!; r++)
        for (let c = 0; c < sizes[j]!; c++) H[offs[i]! + r]![offs[j]! + c] = d[r * sizes[j]! + c]!;
    });
    const vv = Array.from(s.normals(n));
    let o = 0;
    const vTree: P = {
      layers: params.layers.map((l) => {
        const b = f64(vv.slice(o + 0, o + l.b.size), [...l.b.shape]);
        const w = f64(vv.slice(o + l.b.size, o + l.b.size + l.w.size), [...l.w.shape]);
        o += l.b.size + l.w.size;
        return { b, w };
      }),
    };
    close(leavesOf(hvp(loss, params, vTree)), matvec(H, vv), 1e-9);
    // denseHessian (n HVPs) agrees with hessian() too.
    const D = denseHessian(loss, params);
    D.forEach((row, i) => close(row, H[i]!, 1e-9));
  });

  it("is jittable and vmappable (a batch of HVPs rebuilds the Hessian)", () => {
    const A = randomSymmetric(4, 11);
    const f = quadratic(A, [1, 2, 3, 4]);
    const x = f64([0.1, -0.2, 0.3, 0.5]);
    const hvpJit = jit((p: Array, v: Array) => hvp(f, p, v));
    const v = f64([1, -1, 2, 0.5]);
    close(flat(hvpJit(x, v)), matvec(A, [1, -1, 2, 0.5]));
    close(
      flat(hvpJit(x, f64([0, 0, 0, 1]))),
      A.map((r) => r[3]!),
    );
    expect(hvpJit.cacheSize).toBe(1);
    const H = vmap((e: Array) => hvp(f, x, e))(np.eye(4, undefined, { dtype: "float64" }));
    close(flat(H), A.flat());
  });

  it("takes data as traced arguments inside jit", () => {
    const loss = (w: Array, xs: Array): Array => np.matmul(xs, w).tanh().square().sum();
    const step = jit((w: Array, v: Array, xs: Array) => hvp((q: Array) => loss(q, xs), w, v));
    const w = f64([0.3, -0.1]);
    const v = f64([1, 2]);
    const xs = f64([
      [1, 2],
      [3, -1],
      [0.5, 0.5],
    ]);
    const H = hessian((q: Array) => loss(q, xs))(w) as Array;
    close(flat(step(w, v, xs)), flat(np.matmul(H, v)), 1e-9);
  });

  it("casts v to the params' dtypes and checks its structure and shapes", () => {
    const f = (p: { a: Array }) => p.a.square().sum();
    const out = hvp(f, { a: np.array([1, 2], { dtype: "float64" }) }, { a: np.array([1, 1]) });
    expect(out.a.dtype).toBe("float64");
    close(flat(out.a), [2, 2]);
    expect(() => hvp(f, { a: np.ones([2]) }, { b: np.ones([2]) } as unknown as { a: Array })).toThrow(
      /structure of params/,
    );
    expect(() => hvp(f, { a: np.ones([2]) }, { a: np.ones([3]) })).toThrow(/shape \[3\]/);
    expect(() => hvp(null as unknown as typeof f, { a: np.ones([2]) }, { a: np.ones([2]) })).toThrow(
      /must be a function/,
    );
  });

  it("works with float32 params", () => {
    const f = (x: Array) => x.pow(3).sum();
    const out = hvp(f, np.array([1, 2]), np.array([1, 0]));
    expect(out.dtype).toBe("float32");
    close(flat(out), [6, 0], 1e-6);
  });
});
