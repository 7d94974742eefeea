/**
 * np.cross with broadcasting over leading axes and axisa/axisb/axisc/axis, np.histogram with an
 * array of bin edges traced under jit, and np.unique along an axis, against JAX 0.10.2
 * (test/fixtures/cross-histogram-unique.json, from scripts/cross-histogram-unique-fixtures.py).
 *
 * Tolerances: cross is two float32 products and a difference per component, so graft and XLA agree
 * to a few ulps of the products (4·2⁻²⁴ relative to |a|·|b|); histogram counts are exact and the
 * density is one division chain (1e-6 relative); unique is exact (a selection of input values).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { grad, jit, np, vmap, type Array } from "../../src/index.js";
import type { UniqueOptions } from "../../src/numpy/sorting-unique.js";

interface Enc {
  shape: number[];
  dtype: string;
  values: (number | null)[];
}
type Case = Record<string, Enc> & { kwargs?: Record<string, number | boolean> };
const fixture: { jax_version: string; cases: Record<string, Case> } = JSON.parse(
  readFileSync(new URL("../fixtures/cross-histogram-unique.json", import.meta.url), "utf8"),
);
const get = (name: string): Case => {
  const c = fixture.cases[name];
  if (c === undefined) throw new Error(`fixture has no ${name}`);
  return c;
};
const arr = (e: Enc): Array =>
  np.reshape(
    np.array(
      e.values.map((v) => (v === null ? Number.NaN : v)),
      { dtype: e.dtype as "float32" },
    ),
    e.shape,
  );
const vals = (x: Array): number[] => globalThis.Array.from(x.dataSync() as ArrayLike<number>);
const want = (e: Enc): number[] => e.values.map((v) => (v === null ? Number.NaN : v));

function expectClose(got: Array, e: Enc, absTol: (i: number) => number): void {
  expect(got.shape).toEqual(e.shape);
  const w = want(e);
  vals(got).forEach((g, i) =>
    expect(Math.abs(g - w[i]!), `[${i}] graft ${g}, JAX ${w[i]}`).toBeLessThanOrEqual(absTol(i)),
  );
}

describe(`np.cross against JAX ${fixture.jax_version}`, () => {
  const names = Object.keys(fixture.cases).filter((k) => k.startsWith("cross/"));
  for (const name of names)
    it(name.slice(6), () => {
      const c = get(name);
      const got = np.cross(arr(c.a!), arr(c.b!), c.kwargs as Record<string, number>);
      // |a|·|b| bounds every product in the components.
      const scale = Math.max(...want(c.a!).map((v) => Math.abs(v!))) * Math.max(...want(c.b!).map((v) => Math.abs(v!)));
      expectClose(got, c.out!, () => 4 * 2 ** -24 * scale);
    });

  it("is differentiable and batches: d/da c·(a×b) = b×c, and vmap equals broadcasting", () => {
    const a = np.array([0.3, -1.2, 2]);
    const b = np.array([1.5, 0.5, -0.7]);
    const c = np.array([0.2, 0.9, -1.1]);
    const g = grad((x: Array) => np.sum(np.multiply(c, np.cross(x, b))))(a);
    const bxc = vals(np.cross(b, c));
    vals(g).forEach((v, i) => expect(v).toBeCloseTo(bxc[i]!, 5));
    const batched = vmap((x: Array) => np.cross(x, b))(np.stack([a, c]));
    expect(vals(batched)).toEqual(vals(np.cross(np.stack([a, c]), b)));
  });

  it("names the op on bad vectors and axes", () => {
    expect(() => np.cross(np.ones([2, 4]), np.ones([2, 3]))).toThrow(
      /cross: the vectors must have 2 or 3 components, got 4 and 3/,
    );
    expect(() => np.cross(np.ones([3]), np.ones([3]), { axisa: 2 })).toThrow(/cross/);
    expect(() => np.cross(np.ones([2, 3]), np.ones([4, 3]))).toThrow(/cross|broadcast/);
  });
});

describe(`np.histogram with an array of edges against JAX ${fixture.jax_version}`, () => {
  for (const name of ["edges", "edges_weights", "edges_density"])
    it(`${name}, edges traced under jit`, () => {
      const c = get(`histogram/${name}`);
      const f = jit((x: Array, e: Array, w: Array) =>
        np.histogram(x, {
          bins: e,
          ...(name === "edges_weights" ? { weights: w } : {}),
          ...(name === "edges_density" ? { density: true } : {}),
        }),
      );
      const [counts, edges] = f(arr(c.x!), arr(c.edges!), arr(c.weights!));
      expectClose(counts, c.counts!, (i) => 1e-6 * Math.abs(want(c.counts!)[i]!));
      expectClose(edges, c.out_edges!, () => 0);
    });

  it("rejects edges that are not a 1-D array of at least 2", () => {
    expect(() => np.histogram(np.ones([4]), { bins: np.ones([2, 2]) })).toThrow(/histogram: bin edges must be 1-D/);
    expect(() => np.histogram(np.ones([4]), { bins: np.ones([1]) })).toThrow(/histogram: bin edges must be 1-D/);
  });
});

const UNIQUE_KEYS: Record<string, keyof UniqueOptions> = {
  axis: "axis",
  return_index: "returnIndex",
  return_inverse: "returnInverse",
  return_counts: "returnCounts",
  size: "size",
  fill_value: "fillValue",
  equal_nan: "equalNan",
};

describe(`np.unique with axis against JAX ${fixture.jax_version}`, () => {
  const names = Object.keys(fixture.cases).filter((k) => k.startsWith("unique/"));
  for (const name of names)
    it(name.slice(7), () => {
      const c = get(name);
      const opts = Object.fromEntries(Object.entries(c.kwargs!).map(([k, v]) => [UNIQUE_KEYS[k]!, v])) as UniqueOptions;
      const extras = opts.returnIndex || opts.returnInverse || opts.returnCounts;
      const out = extras
        ? np.unique(arr(c.x!), opts)
        : { values: np.unique(arr(c.x!), { ...opts, returnIndex: false, returnInverse: false, returnCounts: false }) };
      const check = (got: Array | undefined, e: Enc | undefined) => {
        if (e === undefined) return;
        expect(got).toBeDefined();
        expect(got!.shape).toEqual(e.shape);
        expect(vals(got!)).toEqual(want(e));
      };
      check(out.values, c.values);
      check(out.indices, c.indices);
      check(out.inverseIndices, c.inverse);
      check(out.counts, c.counts);
    });

  it("works under jit with a static size", () => {
    const c = get("unique/size_fill");
    const f = jit((x: Array) => np.unique(x, { axis: 0, size: 6, fillValue: -1 }));
    expect(vals(f(arr(c.x!)))).toEqual(want(c.values!));
  });

  it("empty inputs keep the slice shape", () => {
    expect(np.unique(np.zeros([0, 3]), { axis: 0 }).shape).toEqual([0, 3]);
    expect(np.unique(np.zeros([3, 0]), { axis: 1 }).shape).toEqual([3, 0]);
  });

  it("rejects an axis out of range, naming the op and the shape", () => {
    expect(() => np.unique(np.ones([2, 3]), { axis: 2 })).toThrow(
      /unique: axis must be an integer in \[-2, 2\) for an input of shape \[2, 3\], got 2/,
    );
    expect(() => np.unique(np.ones([2, 3]), { axis: 0.5 })).toThrow(/unique: axis must be an integer/);
  });
});
