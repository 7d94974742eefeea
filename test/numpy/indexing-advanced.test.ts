/**
 * Advanced indexing (several integer arrays, boolean masks, nonzero) against reference values
 * computed by JAX 0.10.2 (scripts/indexing-fixtures.py → test/fixtures/indexing.json), plus
 * grad / vmap / jit compositions and error paths.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { np, grad, jit, vmap, ConcretizationError } from "../../src/index.js";

type Encoded =
  | number
  | null
  | "..."
  | { slice: (number | null)[] }
  | { arr: number[]; shape: number[] }
  | { mask: number[]; shape: number[] };
type Out = { shape: number[]; values: (number | null)[] };
type Fixtures = {
  x: { shape: number[]; scale: number };
  get: { name: string; index: Encoded[]; out: Out; grad: Out }[];
  update: {
    name: string;
    index: Encoded[];
    op: "set" | "add" | "mul" | "min" | "max";
    value: number | number[] | number[][];
    out: Out;
  }[];
  nonzero: {
    x: Out;
    cases: {
      size: number | null;
      fillValue: number | number[] | null;
      nonzero: Out[];
      argwhere: Out;
      flatFill: number | null;
      flatnonzero: Out;
    }[];
  };
};
type AtModes = {
  x: Out;
  indices: Out;
  weights: number[];
  cases: {
    op: "get" | "set" | "add";
    mode: "clip" | "fill" | "drop" | null;
    fillValue?: number;
    indices?: Out;
    value?: number[];
    out: Out;
    grad?: Out;
  }[];
};
const F: Fixtures & { atModes: AtModes } = JSON.parse(
  readFileSync(new URL("../fixtures/indexing.json", import.meta.url), "utf8"),
);

const i32 = (v: number[] | number[][]) => np.array(v, { dtype: "int32" });
const { slice } = np;
const X = () => np.arange(24, { dtype: "float32" }).reshape(F.x.shape).mul(F.x.scale);

/** The graft index spec for an encoded entry; `lists` turns 1-D int arrays into static JS lists. */
function decode(e: Encoded, lists = false): np.IndexSpec {
  if (e === null || e === "..." || typeof e === "number") return e;
  if ("slice" in e) return slice(e.slice[0], e.slice[1], e.slice[2]);
  if ("arr" in e) return lists && e.shape.length === 1 ? e.arr : np.array(e.arr, { dtype: "int32" }).reshape(e.shape);
  return np
    .array(
      e.mask.map((v) => v === 1),
      { dtype: "bool" },
    )
    .reshape(e.shape);
}
const specs = (index: Encoded[], lists = false) => index.map((e) => decode(e, lists));
const traced = (index: Encoded[]) =>
  index.filter((e): e is { arr: number[]; shape: number[] } => typeof e === "object" && e !== null && "arr" in e);

function expectClose(y: np.Array, want: Out, tol = 1e-5): void {
  expect(y.shape).toEqual(want.shape);
  const got = Array.from(y.dataSync(), Number);
  want.values.forEach((w, i) => {
    if (w === null) expect(got[i]).toBeNaN();
    else expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  });
}

const maxErr = (y: np.Array, want: Out): number =>
  Math.max(0, ...Array.from(y.dataSync(), Number).map((v, i) => Math.abs(v - (want.values[i] ?? Number.NaN))));

describe("get with several integer arrays and masks (JAX reference values)", () => {
  for (const c of F.get)
    it(c.name, () => {
      expectClose(X().get(...specs(c.index)), c.out);
      // At(...).get agrees with get.
      expectClose(np.at(X(), ...specs(c.index)).get(), c.out);
    });

  it("static lists give the same result as int32 arrays (in-range cases)", () => {
    for (const c of F.get) {
      if (c.name.includes("out-of-range")) continue;
      expectClose(X().get(...specs(c.index, true)), c.out);
    }
  });

  it("gradients of sum(sin(x[idx]) * w) match JAX (duplicates accumulate, clamped reads count)", () => {
    for (const c of F.get) {
      const idx = specs(c.index);
      const n = c.out.values.length;
      const w = np.arange(n).add(1).reshape(c.out.shape);
      const g = grad((x: np.Array) =>
        np
          .sin(x.get(...idx))
          .mul(w)
          .sum(),
      )(X());
      expect({ name: c.name, ok: maxErr(g, c.grad) <= 1e-4 }).toEqual({ name: c.name, ok: true });
    }
  });

  it("jit with traced index arrays equals the reference", () => {
    for (const c of F.get) {
      const arrays = traced(c.index);
      if (arrays.length === 0 || c.index.some((e) => typeof e === "object" && e !== null && "mask" in e)) continue;
      const f = jit((x: np.Array, ...ix: np.Array[]) => {
        let k = 0;
        return x.get(...c.index.map((e) => (typeof e === "object" && e !== null && "arr" in e ? ix[k++]! : decode(e))));
      });
      expectClose(f(X(), ...arrays.map((a) => decode(a) as np.Array)), c.out);
    }
  });

  it("vmap over a batch of index pairs equals a loop", () => {
    const rows = i32([
      [0, 1, 1],
      [1, 0, 0],
    ]);
    const cols = i32([
      [2, 0, 3],
      [3, 3, 1],
    ]);
    const f = (r: np.Array, c: np.Array) => X().get(r, slice(), c);
    const batched = vmap(f)(rows, cols);
    expect(batched.shape).toEqual([2, 3, 3]);
    for (const b of [0, 1]) expect(batched.get(b).tolist()).toEqual(f(rows.get(b), cols.get(b)).tolist());
    // Batched operand with shared indices.
    const xs = np.stack([X(), X().mul(-1)]);
    const g = vmap((x: np.Array) => x.get(i32([1, 0]), slice(1), i32([0, 3])))(xs);
    expect(g.get(1).tolist()).toEqual(
      X()
        .mul(-1)
        .get(i32([1, 0]), slice(1), i32([0, 3]))
        .tolist(),
    );
  });

  it("masks built from the data (eager), and under grad with a concrete mask", () => {
    const x = X();
    const m = x.greater(5);
    expect(x.get(m).tolist()).toEqual(
      Array.from(x.dataSync())
        .filter((v) => v > 5)
        .map(Number),
    );
    const g = grad((y: np.Array) => y.get(m).mul(2).sum())(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(m.dataSync(), (b) => (b ? 2 : 0)));
  });

  it("a JS list of booleans is a mask, as in NumPy, and works under jit (it is static)", () => {
    const x = X(); // [2, 3, 4]
    const keep = [false, true, true];
    const want = x.get(slice(), np.array(keep)).tolist();
    expect(x.get(slice(), keep).tolist()).toEqual(want);
    expect(jit((y: np.Array) => y.get(slice(), keep))(x).tolist()).toEqual(want);
    expect(x.at(slice(), keep).set(0).tolist()).toEqual(x.at(slice(), np.array(keep)).set(0).tolist());
    expect(() => x.get([true, false, true])).toThrow(
      /getIndex: a boolean list of length 3 does not match axis 0 of length 2/,
    );
    expect(() => x.get([true, 1] as never)).toThrow(/list indices must be flat lists of integers/);
  });
});

describe("at(...) updates with several arrays and masks (JAX reference values)", () => {
  for (const c of F.update)
    it(c.name, () => {
      const v = typeof c.value === "number" ? c.value : np.array(c.value as number[]);
      expectClose(np.at(X(), ...specs(c.index))[c.op](v), c.out);
      if (traced(c.index).length) {
        const f = jit((x: np.Array) => x.at(...specs(c.index))[c.op](v));
        expectClose(f(X()), c.out);
      }
    });

  it("gradient of a set through two arrays: zero where overwritten, the value's grad is the picked cotangent", () => {
    const r = i32([0, 1]),
      c = i32([1, 2]);
    const w = np.arange(24, { dtype: "float32" }).reshape([2, 3, 4]);
    const [gx, gv] = grad((x: np.Array, v: np.Array) => x.at(r, slice(), c).set(v).mul(w).sum(), { argnums: [0, 1] })(
      X(),
      np.ones([2, 3]),
    );
    const gxv = gx.dataSync();
    expect(gxv[1]).toBe(0); // x[0, 0, 1] is overwritten
    expect(gxv[2]).toBe(2); // x[0, 0, 2] is kept: its cotangent is w's entry
    expect(gv.tolist()).toEqual(w.get(r, slice(), c).tolist());
  });
});

describe("at(...) modes with out-of-range traced indices (JAX reference values)", () => {
  const A = F.atModes;
  const x = np.array(A.x.values as number[]);
  const w = np.array(A.weights);
  const ids = (o: Out) => np.array(o.values as number[], { dtype: "int32" });
  for (const c of A.cases)
    it(`${c.op} mode=${c.mode ?? "default"}${c.fillValue === undefined ? "" : ` fillValue=${c.fillValue}`}`, () => {
      const ind = ids(c.indices ?? A.indices);
      if (c.op === "get") {
        const opts = {
          ...(c.mode ? { mode: c.mode as "clip" | "fill" } : {}),
          ...(c.fillValue === undefined ? {} : { fillValue: c.fillValue }),
        };
        expectClose(np.at(x, ind).get(opts), c.out);
        expectClose(x.at(ind).get(opts), c.out); // the method takes the same options
        expectClose(jit((y: np.Array, i: np.Array) => np.at(y, i).get(opts))(x, ind), c.out);
        if (c.grad) expectClose(grad((y: np.Array) => np.sin(np.at(y, ind).get(opts)).mul(w).sum())(x), c.grad);
      } else {
        const opts = c.mode ? { mode: c.mode as "drop" | "clip" } : {};
        expectClose(np.at(x, ind)[c.op](np.array(c.value!), opts), c.out);
        expectClose(x.at(ind)[c.op](np.array(c.value!), opts), c.out);
        expectClose(jit((y: np.Array, i: np.Array) => np.at(y, i)[c.op](np.array(c.value!), opts))(x, ind), c.out);
      }
    });
  it("x.get matches at(...).get's default (clamped read, zero gradient past the edge)", () => {
    const ind = ids(A.indices);
    expectClose(x.get(ind), A.cases[0]!.out);
    expectClose(grad((y: np.Array) => np.sin(y.get(ind)).mul(w).sum())(x), A.cases[0]!.grad!);
  });
  it("bad mode options name the op", () => {
    const ind = ids(A.indices);
    expect(() => np.at(x, ind).get({ mode: "wrap" as never })).toThrow(
      /at\(\.\.\.\)\.get: mode must be "clip" or "fill", got "wrap"/,
    );
    expect(() => np.at(x, ind).set(1, { mode: "fill" as never })).toThrow(
      /at\(\.\.\.\)\.set: mode must be "drop" or "clip"/,
    );
    expect(() => np.at(x, ind).add(1, { fillValue: 1 } as never)).toThrow(
      /at\(\.\.\.\)\.add: unknown option "fillValue"/,
    );
  });
});

describe("nonzero / argwhere / flatnonzero (JAX reference values)", () => {
  const x = np.array(F.nonzero.x.values as number[]).reshape(F.nonzero.x.shape);
  for (const c of F.nonzero.cases) {
    const opts = {
      ...(c.size === null ? {} : { size: c.size }),
      ...(c.fillValue === null ? {} : { fillValue: c.fillValue }),
    };
    it(`size ${c.size}, fillValue ${JSON.stringify(c.fillValue)}`, () => {
      np.nonzero(x, opts).forEach((col, d) => expectClose(col, c.nonzero[d]!));
      expectClose(np.argwhere(x, opts), c.argwhere);
      const flatOpts = {
        ...(c.size === null ? {} : { size: c.size }),
        ...(c.flatFill === null ? {} : { fillValue: c.flatFill }),
      };
      expectClose(np.flatnonzero(x, flatOpts), c.flatnonzero);
      if (c.size !== null) {
        expectClose(jit((y: np.Array) => np.argwhere(y, opts))(x), c.argwhere);
        expectClose(jit((y: np.Array) => np.flatnonzero(y, flatOpts))(x), c.flatnonzero);
      }
    });
  }
  it("int32 results, bool inputs, and vmap with a static size", () => {
    const b = np.array([true, false, true]);
    expect(np.nonzero(b)[0]!.dtype).toBe("int32");
    expect(np.flatnonzero(b).tolist()).toEqual([0, 2]);
    const rows = np.array([
      [0, 1, 1],
      [1, 0, 0],
    ]);
    expect(vmap((r: np.Array) => np.flatnonzero(r, { size: 2, fillValue: -1 }))(rows).tolist()).toEqual([
      [1, 2],
      [0, -1],
    ]);
  });
  it("errors: no size under jit, bad options, 0-d input", () => {
    expect(() => jit((y: np.Array) => np.nonzero(y)[0]!)(np.ones([3]))).toThrow(ConcretizationError);
    expect(() => jit((y: np.Array) => np.nonzero(y)[0]!)(np.ones([3]))).toThrow(/nonzero: .*pass a static \{ size \}/);
    expect(() => np.nonzero(np.ones([3]), { size: -1 })).toThrow(/nonzero: size must be a non-negative integer/);
    expect(() => np.nonzero(np.ones([2, 2]), { size: 2, fillValue: [1, 2, 3] })).toThrow(/one integer per axis \(2\)/);
    expect(() => np.nonzero(np.array(1))).toThrow(/nonzero: a 0-d array/);
    expect(() => np.argwhere(np.ones([2]), { sise: 2 } as never)).toThrow(/unknown option "sise"/);
  });
});

describe("advanced indexing errors", () => {
  it("a mask under jit names the op and suggests np.where or a static size", () => {
    const f = jit((x: np.Array) => x.get(x.greater(0)));
    expect(() => f(X())).toThrow(ConcretizationError);
    expect(() => f(X())).toThrow(
      /getIndex: a boolean mask index .*np\.where\(mask, x, other\).*np\.nonzero\(mask, \{ size \}\)/,
    );
    const g = jit((x: np.Array) => x.at(x.greater(0)).set(0));
    expect(() => g(X())).toThrow(/at\(\.\.\.\)\.set: a boolean mask index/);
    expect(() => vmap((x: np.Array) => x.get(x.greater(0)))(X())).toThrow(ConcretizationError);
  });
  it("index arrays that do not broadcast together", () => {
    expect(() => X().get(i32([0, 1]), i32([0, 1, 2]))).toThrow(
      /getIndex: shape mismatch: indexing arrays could not be broadcast together with shapes \[2\], \[3\]/,
    );
    expect(() =>
      X()
        .at(i32([0, 1]), slice(), i32([0, 1, 2]))
        .set(1),
    ).toThrow(np.IndexError);
  });
  it("non-integer index arrays", () => {
    expect(() => X().get(np.array([0, 1]), i32([0, 1]))).toThrow(
      /getIndex: array indices must be int32 or uint32, got float32/,
    );
  });
  it("mask shape mismatch and 0-d masks", () => {
    expect(() => X().get(np.array([true, false, true]))).toThrow(
      /getIndex: boolean index of shape \[3\] does not match the indexed array's axes 0\.\.0 of shape \[2\]/,
    );
    expect(() => X().get(slice(), np.ones([3, 3], { dtype: "bool" }))).toThrow(/axes 1\.\.2 of shape \[3, 4\]/);
    expect(() => X().get(np.array(true))).toThrow(/0-d boolean indices are not supported/);
    expect(() => X().get(np.ones([2, 3, 4, 1], { dtype: "bool" }))).toThrow(/too many indices/);
  });
  it("static out-of-range integers in any of several lists still raise IndexError", () => {
    expect(() => X().get([0, 1], [0, 3])).toThrow(/index 3 is out of bounds for axis 1 with size 3/);
  });
});
