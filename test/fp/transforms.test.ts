/** The curried transforms return what the transforms themselves return, and compose with pipe/flow. */
import { flow, pipe } from "fp-ts/function";
import { describe, expect, it } from "vitest";
import type { Array } from "../../src/core/array.js";
import * as fp from "../../src/fp/index.js";
import * as np from "../../src/numpy/index.js";
import { tree } from "../../src/tree/index.js";
import { grad, valueAndGrad } from "../../transforms/grad.js";
import { hessian, jacfwd, jacrev } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { jvp } from "../../transforms/jvp.js";
import { vjp } from "../../transforms/vjp.js";
import { vmap } from "../../transforms/vmap.js";

const f64 = (v: Parameters<typeof np.array>[0]): Array => np.array(v, { dtype: "float64" });
const values = (x: unknown): number[][] =>
  tree.leaves(x).map((leaf) => globalThis.Array.from((leaf as Array).dataSync(), Number));

/** Same structure, and every value within 1e-12 relative (float64; the same computation both ways). */
function expectSameTree(got: unknown, want: unknown): void {
  expect(tree.structure(got).toString()).toBe(tree.structure(want).toString());
  const [g, w] = [values(got), values(want)];
  g.forEach((leaf, i) =>
    leaf.forEach((v, j) => expect(Math.abs(v - w[i]![j]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(w[i]![j]!)))),
  );
}

const loss = (w: Array, x: Array): Array => np.dot(x, w).tanh().sum();
const w = f64([0.3, -0.7, 1.1]);
const x = f64([
  [1, 2, 3],
  [0.5, -1, 0.25],
]);

describe("curried transforms equal the transforms", () => {
  it("grad, with argnums and hasAux", () => {
    expectSameTree(fp.grad()(loss)(w, x), grad(loss)(w, x));
    expectSameTree(fp.grad({ argnums: 1 })(loss)(w, x), grad(loss, { argnums: 1 })(w, x));
    expectSameTree(fp.grad({ argnums: [0, 1] })(loss)(w, x), grad(loss, { argnums: [0, 1] })(w, x));
    const withAux = (v: Array): [Array, { n: Array }] => [v.square().sum(), { n: v.sum() }];
    expectSameTree(fp.grad({ hasAux: true })(withAux)(w), grad(withAux, { hasAux: true })(w));
  });

  it("grad's value is the analytic gradient xᵀ(1 − tanh²(xw)) (an independent check)", () => {
    const t = values(np.dot(x, w).tanh())[0]!;
    const rows = [
      [1, 2, 3],
      [0.5, -1, 0.25],
    ];
    const want = [0, 1, 2].map((j) => rows.reduce((s, row, i) => s + row[j]! * (1 - t[i]! ** 2), 0));
    values(fp.grad()(loss)(w, x))[0]!.forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 12));
  });

  it("valueAndGrad", () => {
    expectSameTree(fp.valueAndGrad({ argnums: 0 })(loss)(w, x), valueAndGrad(loss, { argnums: 0 })(w, x));
  });

  it("vmap, jit, jvp and vjp", () => {
    const row = (v: Array, r: Array): Array => np.dot(r, v).sin();
    expectSameTree(fp.vmap({ inAxes: [null, 0] })(row)(w, x), vmap(row, { inAxes: [null, 0] })(w, x));
    expectSameTree(fp.jit()(loss)(w, x), jit(loss)(w, x));
    const scaled = (v: Array, k: number): Array => v.mul(k);
    expectSameTree(fp.jit({ staticArgnums: 1 })(scaled)(w, 3), jit(scaled, { staticArgnums: 1 })(w, 3));
    const sin = (v: Array): Array => v.sin();
    const dir = f64([1, 0, -2]);
    expectSameTree(fp.jvp([w], [dir])(sin), jvp(sin, [w], [dir]));
    const [y, pullback] = fp.vjp(w)(sin);
    const [y0, pullback0] = vjp(sin, w);
    expectSameTree(y, y0);
    expectSameTree(pullback(dir), pullback0(dir));
  });

  it("jacfwd, jacrev and hessian", () => {
    const sq = (v: Array): Array => v.square().mul(v.sum());
    expectSameTree(fp.jacfwd()(sq)(w), jacfwd(sq)(w));
    expectSameTree(fp.jacrev()(sq)(w), jacrev(sq)(w));
    expectSameTree(fp.hessian({ argnums: 0 })(loss)(w, x), hessian(loss, { argnums: 0 })(w, x));
  });

  it("bad options still get the transform's own error", () => {
    expect(() => fp.vmap({ inAxes: 1.5 })((v: Array) => v)).toThrow(/vmap: inAxes must hold integer axes/);
    expect(() => fp.grad({ argnums: 0, bogus: 1 } as never)((v: Array) => v.sum())).toThrow(/grad: .*bogus/);
  });
});

describe("composition with pipe and flow", () => {
  it("pipe(loss, fp.grad, fp.vmap, jit) gives the per-example gradients", () => {
    const perExample = pipe(loss, fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0] }), jit);
    const got = perExample(w, x);
    expect([...got.shape]).toEqual([2, 3]);
    const rows = [0, 1].map((i) => grad(loss)(w, x.get(i).reshape([1, 3])));
    expectSameTree(got, np.stack(rows));
  });

  it("flow builds the same transformer, applied later", () => {
    const perExampleGrads = flow(fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0] }), fp.jit());
    expectSameTree(perExampleGrads(loss)(w, x), vmap(grad(loss), { inAxes: [null, 0] })(w, x));
  });

  it("second derivatives by piping grad twice", () => {
    const cube = (v: Array): Array => v.mul(v).mul(v).sum();
    const d2 = pipe(cube, fp.grad(), (g) => (v: Array) => g(v).sum(), fp.grad());
    expect(values(d2(f64([1, -2])))[0]).toEqual([6, -12]); // d²(v³)/dv² = 6v
  });
});
