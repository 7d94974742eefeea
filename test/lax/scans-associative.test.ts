/** lax.associativeScan (pytrees, reverse, axis) and lax.cumsum/cumprod/cummax/cummin, against sequential loops. */
import { describe, expect, test } from "vitest";
import { grad, jit, lax, np, vmap } from "../../src/index.js";
import { expectClose, f64, flat } from "../helpers.js";

/** Deterministic, irregular values (no ties). */
type Pair = { a: np.Array; b: np.Array };
const f64n = (v: number[][]): np.Array => np.array(v, { dtype: "float64" });
const vals = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 2);

describe("lax.associativeScan", () => {
  test.each([0, 1, 2, 3, 4, 5, 7, 8, 13])("prefix sums and reversed suffix sums, length %i", (n) => {
    const x = vals(n, 1);
    const prefix = x.map((_, i) => x.slice(0, i + 1).reduce((a, b) => a + b, 0));
    const suffix = x.map((_, i) => x.slice(i).reduce((a, b) => a + b, 0));
    expectClose(lax.associativeScan(np.add, f64(x)), prefix, 1e-12);
    expectClose(lax.associativeScan(np.add, f64(x), { reverse: true }), suffix, 1e-12);
  });
  test("a pytree: the linear recurrence h_t = a_t h_{t-1} + b_t, as a scan of affine maps", () => {
    const n = 11;
    const a = vals(n, 2).map((v) => v / 2);
    const b = vals(n, 3);
    type Affine = { a: np.Array; b: np.Array };
    const compose = (p: Affine, q: Affine): Affine => ({ a: q.a.mul(p.a), b: q.a.mul(p.b).add(q.b) });
    const out = lax.associativeScan(compose, { a: f64(a), b: f64(b) });
    const want: number[] = [];
    let h = 0;
    for (let t = 0; t < n; t++) want.push((h = a[t]! * h + b[t]!));
    expectClose(out.b, want, 1e-12);
    // The same under jit, and reversed (h_t = a_t h_{t+1} + b_t from the end).
    expectClose(jit((p: Affine) => lax.associativeScan(compose, p))({ a: f64(a), b: f64(b) }).b, want, 1e-12);
    const rev = lax.associativeScan(compose, { a: f64(a), b: f64(b) }, { reverse: true });
    const wantRev: number[] = new Array(n);
    h = 0;
    for (let t = n - 1; t >= 0; t--) wantRev[t] = h = a[t]! * h + b[t]!;
    expectClose(rev.b, wantRev, 1e-12);
  });
  test("along axis 1 and a negative axis, and under vmap", () => {
    const x = f64(vals(12, 4)).reshape([3, 4]);
    const want = lax.cumsum(x, 1);
    expectClose(lax.associativeScan(np.add, x, { axis: 1 }), flat(want), 1e-12);
    expectClose(lax.associativeScan(np.add, x, { axis: -1 }), flat(want), 1e-12);
    expectClose(vmap((r: np.Array) => lax.associativeScan(np.maximum, r))(x), flat(lax.cummax(x, 1)), 0);
  });
  test("keeps -0 exactly (positions are chosen, not added to zero padding)", () => {
    const out = lax.associativeScan(np.minimum, f64([-0, 1, 2, 3, 4]));
    expect(flat(out).map((v) => Object.is(v, -0))).toEqual([true, true, true, true, true]);
  });
  test("the gradient of a product scan equals the sequential loop's", () => {
    const x = vals(6, 5);
    const g = grad((a: np.Array) => lax.associativeScan(np.multiply, a).sum())(f64(x));
    const want = x.map((_, j) => {
      let s = 0;
      for (let i = j; i < x.length; i++) s += x.slice(0, i + 1).reduce((p, v, k) => (k === j ? p : p * v), 1);
      return s;
    });
    expectClose(g, want, 1e-12);
  });
  test("errors", () => {
    expect(() => lax.associativeScan((p: Pair, _q: Pair) => p, { a: f64([1, 2]), b: f64([1, 2, 3]) })).toThrow(
      /every leaf needs the same length along axis 0/,
    );
    expect(() => lax.associativeScan((p: np.Array[]) => [p[0]!], [f64([1, 2]), f64([3, 4])])).toThrow(
      /fn must return the structure of its inputs/,
    );
    expect(() => lax.associativeScan((p: np.Array) => p.sum(), f64([1, 2, 3]))).toThrow(/fn must work elementwise/);
    expect(() => lax.associativeScan(np.add, f64([1, 2]), { axis: 1 })).toThrow(
      /associativeScan: axis 1 is out of range/,
    );
    expect(() => lax.associativeScan(3 as unknown as typeof np.add, f64([1]))).toThrow(/expected a function/);
    expect(() => lax.associativeScan((p: object) => p, {})).toThrow(/no array leaves/);
  });
});

describe("lax cumulative reductions", () => {
  test("default axis 0 and reverse, as jax.lax", () => {
    const x = f64n([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(lax.cumsum(x).tolist()).toEqual([
      [1, 2],
      [4, 6],
      [9, 12],
    ]);
    expect(lax.cumprod(x, 0, { reverse: true }).tolist()).toEqual([
      [15, 48],
      [15, 24],
      [5, 6],
    ]);
    expect(lax.cummax(f64([1, 3, 2]), 0, { reverse: true }).tolist()).toEqual([3, 3, 2]);
    expect(flat(lax.cummin(f64([3, Number.NaN, 1]))).map(String)).toEqual(["3", "NaN", "NaN"]);
  });
  test("errors name the op", () => {
    expect(() => lax.cumprod(f64(2))).toThrow(/cumprod: needs an array of rank >= 1/);
    expect(() => lax.cummax(f64([1]), 0, { reverse: "yes" as unknown as boolean })).toThrow(
      /cummax: reverse must be a boolean/,
    );
  });
});
