/**
 * `take` / `takeAlongAxis` out-of-range modes ("fill" default, "clip", "wrap") and fill values,
 * against JAX 0.10.2 (scripts/indexing-fixtures.py → test/fixtures/indexing.json), plus their
 * gradients and jit / vmap compositions.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { np, grad, jit, vmap } from "../../src/index.js";

type Out = { shape: number[]; values: (number | boolean | null)[] };
type TakeCase = {
  fn: "take" | "takeAlongAxis";
  dtype: "float32" | "float64" | "int32" | "uint32" | "bool";
  mode: "fill" | "clip" | "wrap" | null;
  axis: number | null;
  fillValue?: number;
  indexDtype?: "uint32";
  indices: Out;
  out: Out;
};
type GradCase = { fn: "take" | "takeAlongAxis"; mode: "clip" | "wrap" | null; axis: number; indices: Out; grad: Out };
const F: { take: TakeCase[]; takeGrad: GradCase[] } = JSON.parse(
  readFileSync(new URL("../fixtures/indexing.json", import.meta.url), "utf8"),
);

const TAKE_X = [
  [1, 0, 3, 2, 0],
  [4, 1, 0, 2, 5],
];

function values(y: np.Array): number[] {
  return Array.from(y.dataSync(), Number);
}
const expected = (o: Out) => o.values.map((v) => (v === null ? Number.NaN : Number(v)));

function run(c: TakeCase, jitted = false): np.Array {
  const x =
    c.axis === null && c.fn === "take" && c.indexDtype
      ? np.array(TAKE_X[0]!, { dtype: c.dtype })
      : np.array(TAKE_X, { dtype: c.dtype });
  const ind = np.array(c.indices.values as number[], { dtype: c.indexDtype ?? "int32" }).reshape(c.indices.shape);
  const opts = {
    ...(c.mode ? { mode: c.mode } : {}),
    ...(c.fillValue === undefined ? {} : { fillValue: c.fillValue }),
  };
  const f = (a: np.Array, i: np.Array) =>
    c.fn === "take" ? np.take(a, i, c.axis, opts) : np.takeAlongAxis(a, i, c.axis, opts);
  return jitted ? jit(f)(x, ind) : f(x, ind);
}

describe("take / takeAlongAxis modes match JAX for every dtype", () => {
  for (const c of F.take) {
    const name = `${c.fn} ${c.dtype} mode=${c.mode ?? "default"} axis=${c.axis}${c.fillValue === undefined ? "" : ` fillValue=${c.fillValue}`}${c.indexDtype ? " uint32 indices" : ""}`;
    it(name, () => {
      for (const jitted of [false, true]) {
        const y = run(c, jitted);
        expect(y.dtype).toBe(c.dtype);
        expect(y.shape).toEqual(c.out.shape);
        expect(values(y)).toEqual(expected(c.out));
      }
    });
  }

  it("static index lists follow the same modes as int32 arrays", () => {
    const x = np.array(TAKE_X);
    expect(values(np.take(x, [0, 7, -1, -6], 1))).toEqual([1, Number.NaN, 0, Number.NaN, 4, Number.NaN, 5, Number.NaN]);
    expect(values(np.take(x, [0, 7, -1, -6], 1, { mode: "clip" }))).toEqual([1, 0, 1, 1, 4, 5, 4, 4]);
    expect(values(np.take(x, [0, 7, -1, -6], 1, { mode: "wrap" }))).toEqual([1, 3, 0, 0, 4, 0, 5, 5]);
    expect(values(np.takeAlongAxis(np.array([1, 2, 3]), [2, 3, -4], 0))).toEqual([3, Number.NaN, Number.NaN]);
    expect(np.take(np.array([1, 2, 3], { dtype: "int32" }), [3]).tolist()).toEqual([-2147483648]);
  });
});

describe("gradients of take / takeAlongAxis match JAX (out-of-range reads get zero in fill mode)", () => {
  for (const c of F.takeGrad)
    it(`${c.fn} mode=${c.mode ?? "default"}`, () => {
      const x = np.array(TAKE_X).mul(0.25);
      const ind = np.array(c.indices.values as number[], { dtype: "int32" }).reshape(c.indices.shape);
      const n = sizeOfShape(c.fn === "take" ? [2, ...c.indices.shape] : c.indices.shape);
      const w = np
        .arange(n)
        .add(1)
        .reshape(c.fn === "take" ? [2, ...c.indices.shape] : c.indices.shape);
      const opts = c.mode ? { mode: c.mode } : {};
      const f = (a: np.Array) =>
        np
          .cos(c.fn === "take" ? np.take(a, ind, c.axis, opts) : np.takeAlongAxis(a, ind, c.axis, opts))
          .mul(w)
          .sum();
      const got = values(grad(f)(x));
      expected(c.grad).forEach((v, i) =>
        expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))),
      );
    });
});

function sizeOfShape(s: number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

describe("take modes under transforms", () => {
  it("vmap over batched indices equals a loop, in every mode", () => {
    const x = np.array([10, 20, 30]);
    const idx = np.array(
      [
        [0, 5],
        [-1, -4],
      ],
      { dtype: "int32" },
    );
    for (const mode of ["fill", "clip", "wrap"] as const) {
      const f = (i: np.Array) => np.take(x, i, null, { mode });
      const b = vmap(f)(idx);
      for (const r of [0, 1]) expect(values(b.get(r))).toEqual(values(f(idx.get(r))));
    }
  });
  it("fillValue is cast to the array's dtype and only allowed in fill mode", () => {
    expect(np.take(np.array([1, 2], { dtype: "int32" }), [5], null, { fillValue: -7 }).tolist()).toEqual([-7]);
    expect(np.take(np.array([true, false]), [5], null, { fillValue: 0 }).tolist()).toEqual([false]);
    expect(() => np.take(np.array([1, 2]), [0], null, { mode: "clip", fillValue: 1 })).toThrow(
      /take: fillValue only applies to mode "fill"/,
    );
  });
});

describe("take mode errors", () => {
  it("bad modes and options name the op", () => {
    const x = np.array([1, 2, 3]);
    expect(() => np.take(x, [0], null, { mode: "nearest" as never })).toThrow(
      /take: mode must be "fill" or "clip" or "wrap", got string "nearest"/,
    );
    expect(() => np.takeAlongAxis(x, [0], 0, { mode: "wrap" })).toThrow(
      /takeAlongAxis: mode must be "fill" or "clip".*no wrap mode/,
    );
    expect(() => np.take(x, [0], null, { fill: 1 } as never)).toThrow(/take: unknown option "fill"/);
    expect(() => np.take(x, np.array([0.5]))).toThrow(/take: indices must be int32 or uint32, got float32/);
    expect(() => np.take(np.zeros([0]), [0], null, { mode: "clip" })).toThrow(/cannot index an axis of size 0/);
  });
});
