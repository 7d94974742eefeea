import { describe, it, expect } from "vitest";
import { np, grad, jit, vmap } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("concatenate / stack / hstack / vstack", () => {
  it("concatenates along any axis and promotes dtypes", () => {
    const a = np.arange(6).reshape([2, 3]);
    const b = np.arange(3, undefined, 1, { dtype: "int32" }).reshape([1, 3]);
    const c = np.concatenate([a, b]);
    expect(c.dtype).toBe("float32");
    expect(c.tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [0, 1, 2],
    ]);
    expect(np.concatenate([a, np.ones([2, 1])], -1).tolist()).toEqual([
      [0, 1, 2, 1],
      [3, 4, 5, 1],
    ]);
    expect(np.concatenate([a, b], null).tolist()).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2]);
    expect(np.concatenate([a]).tolist()).toEqual(a.tolist());
    expect(np.concatenate([b, b]).dtype).toBe("int32");
  });
  it("stack adds an axis; hstack / vstack", () => {
    const a = np.array([1, 2, 3]);
    const b = np.array([4, 5, 6]);
    expect(np.stack([a, b]).tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(np.stack([a, b], 1).tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(np.stack([a, b], -1).shape).toEqual([3, 2]);
    expect(np.stack([np.array(1), np.array(2)]).tolist()).toEqual([1, 2]);
    expect(np.vstack([a, b]).shape).toEqual([2, 3]);
    expect(np.hstack([a, b]).tolist()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(np.hstack([np.ones([2, 1]), np.zeros([2, 2])]).tolist()).toEqual([
      [1, 0, 0],
      [1, 0, 0],
    ]);
  });
  it("errors", () => {
    expect(() => np.concatenate([])).toThrow(/at least one array/);
    expect(() => np.concatenate([np.ones([2, 3]), np.ones([2, 4])])).toThrow(
      /array 1 has shape \[2, 4\] but array 0 has \[2, 3\]; all sizes except axis 0/,
    );
    expect(() => np.concatenate([np.ones([2]), np.ones([2, 1])])).toThrow(/ranks must be equal/);
    expect(() => np.concatenate([np.array(1), np.array(2)])).toThrow(/zero-dimensional/);
    expect(() => np.concatenate([np.ones([2])], 1)).toThrow(/axis 1 is out of range/);
    expect(() => np.stack([np.ones([2]), np.ones([3])])).toThrow(/same shape; array 1 has \[3\]/);
    expect(() => np.stack([np.ones([2])], 2)).toThrow(/out of range/);
  });
  it("gradients split the cotangent back", () => {
    const w = np.arange(5);
    const f = (a: np.Array, b: np.Array) => np.concatenate([a, b]).mul(w).sum();
    expect(grad(f, { argnums: [0, 1] })(np.ones([2]), np.ones([3])).map(flat)).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    const g = (a: np.Array, b: np.Array) =>
      np
        .stack([a, b], 1)
        .mul(
          np.array([
            [1, 2],
            [3, 4],
          ]),
        )
        .sum();
    expect(grad(g, { argnums: [0, 1] })(np.ones([2]), np.ones([2])).map(flat)).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });
  it("vmap and jit", () => {
    const xs = np.arange(6).reshape([2, 3]);
    const f = (x: np.Array) => np.stack([x, x.mul(2)], 1);
    expect(vmap(f)(xs).tolist()).toEqual([f(xs.get(0)).tolist(), f(xs.get(1)).tolist()]);
    expect(jit(f)(xs.get(1)).tolist()).toEqual(f(xs.get(1)).tolist());
  });
});

describe("split", () => {
  it("equal sections and index lists (NumPy semantics)", () => {
    expect(np.split(np.arange(6), 3).map((p) => p.tolist())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(np.split(np.arange(6), [1, -2, 10]).map((p) => p.tolist())).toEqual([[0], [1, 2, 3], [4, 5], []]);
    expect(np.split(np.arange(6), [3, 1]).map((p) => p.tolist())).toEqual([[0, 1, 2], [], [1, 2, 3, 4, 5]]);
    const parts = np.split(np.arange(12).reshape([3, 4]), 2, 1);
    expect(parts.map((p) => p.tolist())).toEqual([
      [
        [0, 1],
        [4, 5],
        [8, 9],
      ],
      [
        [2, 3],
        [6, 7],
        [10, 11],
      ],
    ]);
  });
  it("errors", () => {
    expect(() => np.split(np.arange(7), 3)).toThrow(
      /does not result in an equal division: axis 0 of size 7 into 3 sections/,
    );
    expect(() => np.split(np.arange(6), 0)).toThrow(/positive integer/);
    expect(() => np.split(np.array(1), 1)).toThrow(/zero-dimensional/);
    expect(() => np.split(np.arange(6), [1.5])).toThrow(/must be integers/);
  });
  it("gradient of the parts", () => {
    const f = (x: np.Array) => {
      const [a, b] = np.split(x, [2]);
      return a!.sum().mul(2).add(b!.mul(b!).sum());
    };
    expect(grad(f)(np.array([1, 2, 3, 4])).tolist()).toEqual([2, 2, 6, 8]);
  });
});

describe("tile / repeat", () => {
  it("tile prepends ones to the shorter of shape and reps", () => {
    expect(np.tile(np.array([1, 2]), 2).tolist()).toEqual([1, 2, 1, 2]);
    expect(np.tile(np.array([1, 2]), [2, 2]).tolist()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(np.tile(np.array([[1, 2]]), [2, 1, 2]).tolist()).toEqual([[[1, 2, 1, 2]], [[1, 2, 1, 2]]]);
    expect(
      np
        .tile(
          np.array([
            [1, 2],
            [3, 4],
          ]),
          [2],
        )
        .tolist(),
    ).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
    expect(np.tile(np.array([1]), 0).shape).toEqual([0]);
    expect(() => np.tile(np.array([1]), -1)).toThrow(/non-negative/);
  });
  it("repeat by a count or per element", () => {
    expect(
      np
        .repeat(
          np.array([
            [1, 2],
            [3, 4],
          ]),
          2,
        )
        .tolist(),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(
      np
        .repeat(
          np.array([
            [1, 2],
            [3, 4],
          ]),
          2,
          1,
        )
        .tolist(),
    ).toEqual([
      [1, 1, 2, 2],
      [3, 3, 4, 4],
    ]);
    expect(
      np
        .repeat(
          np.array([
            [1, 2],
            [3, 4],
          ]),
          [1, 2],
          0,
        )
        .tolist(),
    ).toEqual([
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(np.repeat(np.array([1, 2, 3]), [0, 3, 1]).tolist()).toEqual([2, 2, 2, 3]);
    expect(() => np.repeat(np.array([1, 2]), [1, 2, 3])).toThrow(/3 repeat counts for axis 0 of size 2/);
    expect(() => np.repeat(np.array([1, 2]), -1)).toThrow(/non-negative/);
  });
  it("gradients sum over the copies", () => {
    expect(grad((x: np.Array) => np.tile(x, [3]).mul(np.arange(6)).sum())(np.ones([2])).tolist()).toEqual([6, 9]);
    expect(grad((x: np.Array) => np.repeat(x, 2).mul(np.arange(4)).sum())(np.ones([2])).tolist()).toEqual([1, 5]);
    expect(
      grad((x: np.Array) =>
        np
          .repeat(x, [2, 0, 1])
          .mul(np.array([1, 2, 3]))
          .sum(),
      )(np.ones([3])).tolist(),
    ).toEqual([3, 0, 3]);
  });
});

describe("pad", () => {
  it("constant mode with every padWidth form", () => {
    expect(np.pad(np.array([1, 2]), 1).tolist()).toEqual([0, 1, 2, 0]);
    expect(np.pad(np.array([1, 2]), [1, 2], { constantValues: 7 }).tolist()).toEqual([7, 1, 2, 7, 7]);
    const m = np.arange(6).reshape([2, 3]);
    expect(
      np
        .pad(
          m,
          [
            [1, 0],
            [2, 1],
          ],
          { constantValues: 9 },
        )
        .tolist(),
    ).toEqual([
      [9, 9, 9, 9, 9, 9],
      [9, 9, 0, 1, 2, 9],
      [9, 9, 3, 4, 5, 9],
    ]);
    expect(np.pad(m, [[1, 1]]).shape).toEqual([4, 5]);
    expect(np.pad(m, [0, [1]]).shape).toEqual([2, 5]);
  });
  it("edge / reflect / symmetric / wrap (checked against NumPy), wider than the array", () => {
    const a = np.arange(3);
    expect(np.pad(a, [4, 5], { mode: "edge" }).tolist()).toEqual([0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2]);
    expect(np.pad(a, [4, 5], { mode: "reflect" }).tolist()).toEqual([0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]);
    expect(np.pad(a, [4, 5], { mode: "symmetric" }).tolist()).toEqual([2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1]);
    expect(np.pad(a, [4, 5], { mode: "wrap" }).tolist()).toEqual([2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]);
    expect(
      np
        .pad(
          np.array([
            [1, 2],
            [3, 4],
          ]),
          1,
          { mode: "edge" },
        )
        .tolist(),
    ).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
  });
  it("errors", () => {
    expect(() =>
      np.pad(np.ones([2, 2]), [
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/3 pad widths for an array of rank 2/);
    expect(() => np.pad(np.ones([2]), -1)).toThrow(/non-negative integers/);
    expect(() => np.pad(np.ones([2]), [[1, 2, 3]])).toThrow(/number or \[before, after\]/);
    expect(() => np.pad(np.ones([2]), 1, { mode: "edge", constantValues: 1 })).toThrow(
      /only applies to mode "constant"/,
    );
    expect(() => np.pad(np.ones([0]), 1, { mode: "reflect" })).toThrow(/cannot pad empty axis 0/);
    expect(() => np.pad(np.ones([2]), 1, { mode: "median" as np.PadMode })).toThrow(/unknown mode "median"/);
  });
  it("gradients", () => {
    expect(grad((x: np.Array) => np.pad(x, [1, 2]).mul(np.arange(5)).sum())(np.ones([2])).tolist()).toEqual([1, 2]);
    expect(
      grad((x: np.Array) => np.pad(x, [2, 0], { mode: "reflect" }).mul(np.arange(5)).sum())(np.ones([3])).tolist(),
    ).toEqual([2, 4, 4]);
  });
});

describe("flip", () => {
  it("reverses the given axes (all by default)", () => {
    const m = np.arange(6).reshape([2, 3]);
    expect(np.flip(m).tolist()).toEqual([
      [5, 4, 3],
      [2, 1, 0],
    ]);
    expect(m.flip(1).tolist()).toEqual([
      [2, 1, 0],
      [5, 4, 3],
    ]);
    expect(np.flip(m, [-2]).tolist()).toEqual([
      [3, 4, 5],
      [0, 1, 2],
    ]);
    expect(np.flip(np.array(3)).item()).toBe(3);
    expect(() => np.flip(m, 2)).toThrow(/axis 2 is out of range/);
    expect(grad((x: np.Array) => x.flip().mul(np.arange(3)).sum())(np.ones([3])).tolist()).toEqual([2, 1, 0]);
  });
  it("never mutates inputs", () => {
    const x = np.arange(6);
    np.flip(x);
    np.pad(x, 1);
    np.split(x, 2);
    np.concatenate([x, x]);
    expect(flat(x)).toEqual(range(6));
  });
});
